"""Six everyday tools of a made-up user, for `benchmarks/own_tools.py`: deterministic, so answers can
be checked, and written for this benchmark (no test set of any paper)."""

import datetime
import zlib

RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 151.0, "CAD": 1.36, "INR": 83.0}  # per US dollar
METERS = {"meters": 1.0, "kilometers": 1000.0, "miles": 1609.344, "feet": 0.3048, "inches": 0.0254}
TODAY = datetime.date(2026, 1, 1)


def get_weather(city: str, unit: str = "celsius") -> str:
    """Get the current weather in a city.

    Args:
        city: The name of the city.
        unit: The temperature unit, celsius or fahrenheit.
    """
    degrees = zlib.crc32(city.strip().lower().encode()) % 35 - 5
    if unit == "fahrenheit":
        degrees = round(degrees * 9 / 5 + 32)
    return f"{degrees} degrees and {['sunny', 'cloudy', 'rainy'][degrees % 3]}"


def convert_currency(amount: float, from_currency: str, to_currency: str) -> float:
    """Convert an amount of money from one currency to another.

    Args:
        amount: The amount of money.
        from_currency: The currency code to convert from, such as USD.
        to_currency: The currency code to convert to, such as EUR.
    """
    return round(amount / RATES[from_currency] * RATES[to_currency], 2)


def calculate_tip(bill: float, percent: float) -> float:
    """Calculate the tip for a restaurant bill.

    Args:
        bill: The bill amount.
        percent: The tip percentage.
    """
    return round(bill * percent / 100, 2)


def count_letter(word: str, letter: str) -> int:
    """Count how many times a letter appears in a word.

    Args:
        word: The word to search.
        letter: The letter to count.
    """
    return word.lower().count(letter.lower())


def days_until(date: str) -> int:
    """Count the days from today until a date.

    Args:
        date: The date, as YYYY-MM-DD.
    """
    return (datetime.date.fromisoformat(date) - TODAY).days


def convert_length(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a length from one unit to another.

    Args:
        value: The length to convert.
        from_unit: The unit to convert from: meters, kilometers, miles, feet or inches.
        to_unit: The unit to convert to: meters, kilometers, miles, feet or inches.
    """
    return round(value * METERS[from_unit] / METERS[to_unit], 4)
