"""Five tools of a twenty-third made-up user, for `benchmarks/own_tools.py --set heldout-23`, given
as MCP-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def translate_text(text: str, target_language: str) -> str:
    """Translate a text into another language."""
    return f"[{target_language.strip().lower()}] {text.strip()} #{_digest(text.strip().lower()) % 100}"


def weather_history(city: str, date: str) -> str:
    """The weather that was recorded in a city on a past day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError("a date as YYYY-MM-DD")
    kinds = ("sunny", "cloudy", "rainy", "windy", "snowy")
    return f"{city} on {date}: {kinds[_digest(city.lower(), date) % len(kinds)]}, {_digest(date, city.lower()) % 35} C"


def calorie_lookup(food: str, grams: float = 100) -> int:
    """Look up the calories in a portion of a food."""
    if grams <= 0:
        raise ValueError("a portion of more than 0 grams")
    return round((50 + _digest(food.strip().lower()) % 400) * grams / 100)


def book_taxi(pickup: str, dropoff: str, passengers: int = 1) -> str:
    """Book a taxi from one address to another."""
    if not 1 <= passengers <= 6:
        raise ValueError("1 to 6 passengers")
    return f"Taxi for {passengers} from {pickup} to {dropoff}, ref {_digest(pickup, dropoff) % 10000:04d}"


def count_vowels(text: str) -> int:
    """Count the vowels in a word or sentence."""
    return sum(ch in "aeiouAEIOU" for ch in text)
