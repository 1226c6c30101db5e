"""Six office and study tools of a seventeenth made-up user, for `benchmarks/own_tools.py --set
heldout-17`, given as Python functions with type hints and docstrings (no JSON file): deterministic
stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
from typing import Literal

POINTS = {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0, "F": 0.0}
WORDS = ["bright", "quick", "calm", "large", "brave", "tiny", "happy", "smart", "cold", "old"]


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def shorten_url(url: str) -> str:
    """Make a short link for a long web address.

    Args:
        url: The web address to shorten, starting with http:// or https://.
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError("a web address starting with http:// or https://")
    return f"https://tk.io/{_digest(url) % 1000000:06d}"


def weather_forecast(city: str, days: int = 3) -> str:
    """The weather forecast for the coming days in a city.

    Args:
        city: The city.
        days: How many days ahead, from 1 to 7.
    """
    if not 1 <= days <= 7:
        raise ValueError("from 1 to 7 days")
    temps = [str(5 + _digest(city.lower(), d) % 25) for d in range(days)]
    return f"{city}, next {days} days: " + ", ".join(t + " C" for t in temps)


def synonyms(word: str, limit: int = 3) -> str:
    """Words that mean the same as a word.

    Args:
        word: The word.
        limit: How many synonyms at most.
    """
    start = _digest(word.lower()) % len(WORDS)
    return ", ".join((WORDS * 2)[start : start + min(limit, len(WORDS))])


def book_room(
    room: Literal["Aurora", "Borealis", "Comet"], day: datetime.date, start: datetime.time, hours: int = 1
) -> str:
    """Book a meeting room.

    Args:
        room: The meeting room.
        day: The day of the meeting.
        start: When the meeting starts.
        hours: How long the meeting lasts, in hours.
    """
    return f"{room} booked on {day.isoformat()} from {start.strftime('%H:%M')} for {hours} h"


def password_strength(password: str) -> str:
    """Rate how strong a password is.

    Args:
        password: The password to rate.
    """
    kinds = sum(any(f(c) for c in password) for f in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    score = kinds + (len(password) >= 12) + (len(password) >= 8)
    return ["very weak", "weak", "weak", "fair", "good", "strong", "very strong"][score]


def gpa(grades: list[Literal["A", "B", "C", "D", "F"]]) -> float:
    """The grade point average of letter grades.

    Args:
        grades: The letter grades, one per course.
    """
    if not grades:
        raise ValueError("at least one grade")
    return round(sum(POINTS[g] for g in grades) / len(grades), 2)
