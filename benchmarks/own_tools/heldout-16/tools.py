"""Six everyday tools of a sixteenth made-up user, for `benchmarks/own_tools.py --set heldout-16`,
given as OpenAI-format specs (`tools.json`): deterministic stand-ins (a result depends only on the
arguments), written for this benchmark."""

import hashlib
import re

FACTOR = {"dog": 7, "cat": 6, "rabbit": 8}


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def search_jobs(title: str, location: str, remote: bool = False) -> str:
    """Search job openings by title and place."""
    n = 1 + _digest(title.lower(), location.lower(), remote) % 40
    return f"{n} {'remote ' if remote else ''}{title} openings in {location}"


def movie_rating(title: str) -> str:
    """Get the audience rating of a film."""
    return f"{title}: {5 + _digest(title.lower()) % 50 / 10:.1f}/10"


def set_volume(level: int) -> str:
    """Set the speaker volume."""
    if not 0 <= level <= 100:
        raise ValueError("a volume from 0 to 100")
    return f"volume set to {level}"


def lookup_isbn(isbn: str) -> str:
    """Find the title and author of a book from its ISBN."""
    if not re.fullmatch(r"(97[89])?\d{9}[\dX]", isbn):
        raise ValueError("an ISBN of 10 or 13 digits")
    return f"ISBN {isbn}: book no. {_digest(isbn) % 1000} of the catalogue"


def time_in_zone(timezone: str) -> str:
    """The current local time in a time zone."""
    if not re.fullmatch(r"[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+", timezone):
        raise ValueError("an IANA zone like Europe/Paris")
    minutes = _digest(timezone) % 1440
    return f"{timezone}: {minutes // 60:02d}:{minutes % 60:02d}"


def pet_age(species: str, years: float) -> float:
    """Convert a pet's age into human years."""
    return round(years * FACTOR[species], 1)
