"""heldout-29: Python functions alone, two of them taking units as enums of their symbols."""

from typing import Literal

LengthUnit = Literal["m", "km", "mi", "ft"]
WeightUnit = Literal["kg", "g", "lb", "oz"]


def convert_length(value: float, from_unit: LengthUnit, to_unit: LengthUnit) -> float:
    """Convert a length between units.

    Args:
        value: The length to convert.
        from_unit: The unit of the length given.
        to_unit: The unit to convert to.
    """
    metres = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "ft": 0.3048}
    return round(value * metres[from_unit] / metres[to_unit], 3)


def convert_weight(value: float, from_unit: WeightUnit, to_unit: WeightUnit) -> float:
    """Convert a weight between units.

    Args:
        value: The weight to convert.
        from_unit: The unit of the weight given.
        to_unit: The unit to convert to.
    """
    grams = {"kg": 1000.0, "g": 1.0, "lb": 453.59237, "oz": 28.349523125}
    return round(value * grams[from_unit] / grams[to_unit], 3)


def country_capital(country: str) -> str:
    """Look up the capital city of a country.

    Args:
        country: The country's name in English.
    """
    capitals = {"france": "Paris", "japan": "Tokyo", "kenya": "Nairobi", "peru": "Lima", "canada": "Ottawa",
                "norway": "Oslo", "egypt": "Cairo", "chile": "Santiago"}  # fmt: skip
    return capitals.get(country.strip().lower(), "unknown")


def count_vowels(text: str) -> int:
    """Count the vowels in a piece of text.

    Args:
        text: The text to count vowels in.
    """
    return sum(c in "aeiouAEIOU" for c in text)
