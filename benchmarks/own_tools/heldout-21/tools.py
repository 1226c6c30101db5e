"""Six everyday tools of a twenty-first made-up user, for `benchmarks/own_tools.py --set
heldout-21`, given as Python functions with type hints and docstrings (no JSON file): deterministic
stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
from typing import Literal


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def sales_tax(amount: float, state: Literal["CA", "NY", "TX", "WA", "FL"]) -> float:
    """The sales tax owed on a purchase in a US state.

    Args:
        amount: The purchase price, in dollars.
        state: The state's two-letter code.
    """
    rates = {"CA": 0.0725, "NY": 0.04, "TX": 0.0625, "WA": 0.065, "FL": 0.06}
    if amount < 0:
        raise ValueError("a price of 0 or more")
    return round(amount * rates[state], 2)


def free_slots(day: datetime.date, minutes: int = 30) -> str:
    """The free slots in my calendar on a day that are long enough for a meeting.

    Args:
        day: The day to look at.
        minutes: How long the meeting lasts, in minutes.
    """
    if not 5 <= minutes <= 480:
        raise ValueError("a meeting of 5 to 480 minutes")
    start = 9 + _digest(day, minutes) % 6
    if minutes >= 60:
        return f"{day.isoformat()}: {start:02d}:00"
    return f"{day.isoformat()}: {start:02d}:00-{start:02d}:{minutes:02d}"


def podcast_search(query: str, max_results: int = 3) -> str:
    """Search podcast episodes about a subject.

    Args:
        query: What the episodes should be about.
        max_results: How many episodes to return, from 1 to 10.
    """
    if not 1 <= max_results <= 10:
        raise ValueError("between 1 and 10 results")
    return "; ".join(f"{query.title()} #{_digest(query.lower(), i) % 200}" for i in range(max_results))


def detect_language(text: str) -> str:
    """Which language a piece of text is written in.

    Args:
        text: The text to identify.
    """
    languages = ("English", "French", "German", "Spanish", "Italian", "Dutch")
    return languages[_digest(text.strip().lower()) % len(languages)]


def car_rental_quote(city: str, days: int, car_class: Literal["economy", "compact", "suv", "van"] = "economy") -> float:
    """A price quote for renting a car.

    Args:
        city: The city to pick the car up in.
        days: For how many days.
        car_class: The kind of car.
    """
    if days < 1:
        raise ValueError("at least one day")
    daily = {"economy": 35, "compact": 42, "suv": 68, "van": 80}[car_class]
    return float(days * daily + _digest(city.lower()) % 20)


def paint_needed(area_m2: float, coats: int = 2) -> float:
    """How many liters of paint cover a wall area.

    Args:
        area_m2: The area to paint, in square meters.
        coats: How many coats of paint.
    """
    if area_m2 <= 0 or coats < 1:
        raise ValueError("a positive area and at least one coat")
    return round(area_m2 * coats / 10, 1)
