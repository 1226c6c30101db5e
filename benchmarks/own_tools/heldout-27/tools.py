"""Six tools of a twenty-seventh made-up user, for `benchmarks/own_tools.py --set heldout-27`, given
as Python functions with type hints and docstrings (no JSON file): deterministic stand-ins (a result
depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
from typing import Literal


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def book_massage(day: datetime.date, minutes: Literal[30, 60, 90] = 60) -> str:
    """Book a massage at the spa.

    Args:
        day: The day of the massage.
        minutes: How long the massage lasts.
    """
    return f"massage of {minutes} min on {day.isoformat()}: booked, room {_digest(day, minutes) % 8 + 1}"


def add_to_shopping_list(item: str, quantity: int = 1) -> str:
    """Add an item to my shopping list.

    Args:
        item: What to buy, such as milk or eggs.
        quantity: How many to buy.
    """
    if quantity < 1:
        raise ValueError("at least one")
    return f"added {quantity} x {_key(item)}"


def library_book(title: str, author: str | None = None) -> str:
    """Check whether the library has a book available to borrow.

    Args:
        title: The title of the book.
        author: The book's author, if known.
    """
    copies = _digest(_key(title)) % 4
    return f"'{title.strip()}': {copies} cop{'y' if copies == 1 else 'ies'} available"


def days_between(start: datetime.date, end: datetime.date) -> int:
    """Count the days from one date to another.

    Args:
        start: The first date.
        end: The last date.
    """
    return (end - start).days


def random_fact(topic: Literal["space", "animals", "history", "food"]) -> str:
    """Tell a random fact about a topic.

    Args:
        topic: What the fact is about.
    """
    return f"{topic} fact #{_digest(topic) % 500}"


def dog_walk_ok(temperature_c: float) -> bool:
    """Whether it is safe to walk a dog at an outdoor temperature.

    Args:
        temperature_c: The temperature outside, in degrees Celsius.
    """
    return -10 <= temperature_c <= 27
