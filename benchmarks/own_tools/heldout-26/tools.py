"""Five tools of a twenty-sixth made-up user, for `benchmarks/own_tools.py --set heldout-26`, given
as MCP-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def fuel_cost(distance_km: float, price_per_litre: float, litres_per_100km: float = 7) -> float:
    """Estimate the fuel cost of a car trip."""
    if min(distance_km, price_per_litre, litres_per_100km) <= 0:
        raise ValueError("positive numbers")
    return round(distance_km * litres_per_100km / 100 * price_per_litre, 2)


def pet_human_age(age: float, species: str) -> float:
    """Convert a pet's age into the equivalent human age."""
    factor = {"dog": 7.0, "cat": 6.0, "rabbit": 8.0}
    if age < 0 or species not in factor:
        raise ValueError("a non-negative age of a dog, cat or rabbit")
    return round(age * factor[species], 1)


def find_pharmacy(city: str, open_24h: bool = False) -> str:
    """Find pharmacies in a city."""
    key = " ".join(city.lower().split())
    count = 1 + _digest(key, open_24h) % 6
    return f"{count} pharmacies in {city.strip()}{' open 24 hours' if open_24h else ''}"


def book_yoga_class(style: str, date: str, time: str) -> str:
    """Book a place in a yoga class."""
    if style not in ("hatha", "vinyasa", "yin") or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError("a known style and a YYYY-MM-DD date")
    if not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", time) or int(time[:2]) > 23:
        raise ValueError("a HH:MM time")
    return f"{style} yoga on {date} at {time}: booked, place #{_digest(style, date, time) % 30 + 1}"


def reverse_text(text: str) -> str:
    """Write a text backwards, character by character."""
    return text[::-1]
