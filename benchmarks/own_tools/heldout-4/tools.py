"""Five everyday tools of a fourth made-up user, for `benchmarks/own_tools.py --set heldout-4`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import zlib

RECIPES = ["soup", "curry", "salad", "pie", "stir-fry", "risotto", "omelette", "tacos"]


def set_alarm(time: str, label: str = "alarm") -> str:
    """Set an alarm for a time of day.

    Args:
        time: The time of day, as HH:MM in 24-hour form.
        label: A name for the alarm.
    """
    hours, minutes = (int(x) for x in time.split(":"))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"no such time: {time}")
    return f"{label} set for {hours:02d}:{minutes:02d}"


def book_table(restaurant: str, people: int, date: str) -> str:
    """Book a table at a restaurant.

    Args:
        restaurant: The name of the restaurant.
        people: How many people the table is for.
        date: The day of the booking, as YYYY-MM-DD.
    """
    day = datetime.date.fromisoformat(date)
    ref = zlib.crc32(restaurant.lower().encode()) % 9000 + 1000
    return f"table for {people} at {restaurant.strip()} on {day.isoformat()}, ref {ref}"


def convert_temperature(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a temperature from one unit to another.

    Args:
        value: The temperature to convert.
        from_unit: The unit it is in.
        to_unit: The unit to convert to.
    """
    kelvin = {"celsius": value + 273.15, "fahrenheit": (value - 32) * 5 / 9 + 273.15, "kelvin": value}[from_unit]
    out = {"celsius": kelvin - 273.15, "fahrenheit": (kelvin - 273.15) * 9 / 5 + 32, "kelvin": kelvin}[to_unit]
    return round(out, 2)


def is_prime(number: int) -> bool:
    """Check whether a whole number is a prime number.

    Args:
        number: The whole number to check.
    """
    return number > 1 and all(number % k for k in range(2, int(number**0.5) + 1))


def find_recipes(ingredient: str) -> str:
    """Find recipes that use an ingredient.

    Args:
        ingredient: The ingredient the recipes should use.
    """
    key = ingredient.strip().lower()
    picks = [RECIPES[(zlib.crc32(key.encode()) + k) % len(RECIPES)] for k in (0, 3)]
    return f"{key} {picks[0]}, {key} {picks[1]}"
