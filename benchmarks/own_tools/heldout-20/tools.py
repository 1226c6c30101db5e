"""Six home and travel tools of a twentieth made-up user, for `benchmarks/own_tools.py --set
heldout-20`, given as Python functions with type hints and docstrings (no JSON file): deterministic
stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
from typing import Literal


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def electricity_cost(kwh: float, price_per_kwh: float = 0.3) -> float:
    """What an amount of electricity costs.

    Args:
        kwh: The energy used, in kilowatt-hours.
        price_per_kwh: The price of one kilowatt-hour.
    """
    if kwh < 0:
        raise ValueError("energy of 0 or more")
    return round(kwh * price_per_kwh, 2)


def train_times(origin: str, destination: str, day: datetime.date) -> str:
    """Train departures between two stations on a day.

    Args:
        origin: The station to leave from.
        destination: The station to go to.
        day: The day of travel.
    """
    if origin.lower() == destination.lower():
        raise ValueError("two different stations")
    hour = 6 + _digest(origin.lower(), destination.lower(), day) % 12
    return f"{origin} to {destination} on {day.isoformat()}: {hour:02d}:10, {hour + 2:02d}:40"


def recycle_bin(item: str) -> str:
    """Which recycling bin an item goes in.

    Args:
        item: The thing to throw away, such as a pizza box.
    """
    bins = ("paper", "plastic and metal", "glass", "compost", "general waste")
    return f"{item}: {bins[_digest(item.lower()) % len(bins)]}"


def set_light_color(room: str, color: Literal["warm white", "cool white", "red", "blue", "green"]) -> str:
    """Change the color of the smart lights in a room.

    Args:
        room: The room, such as kitchen or bedroom.
        color: The light color.
    """
    return f"{room} lights set to {color}"


def visa_required(passport_country: str, destination_country: str) -> str:
    """Whether a traveller needs a visa for a country.

    Args:
        passport_country: The country that issued the passport.
        destination_country: The country to visit.
    """
    needed = _digest(passport_country.lower(), destination_country.lower()) % 3 == 0
    return f"{passport_country} passport to {destination_country}: {'visa required' if needed else 'no visa needed'}"


def split_words(text: str, max_length: int = 10) -> str:
    """Break a text into lines of at most some number of words.

    Args:
        text: The text to break up.
        max_length: The most words on one line.
    """
    words = text.split()
    return " / ".join(" ".join(words[i : i + max_length]) for i in range(0, len(words), max_length))
