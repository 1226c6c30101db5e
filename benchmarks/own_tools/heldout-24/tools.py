"""Six tools of a twenty-fourth made-up user, for `benchmarks/own_tools.py --set heldout-24`, given
as Python functions with type hints and docstrings (no JSON file): deterministic stand-ins (a result
depends only on the arguments), written for this benchmark."""

import datetime
import hashlib
from typing import Literal


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def add_expense(amount: float, category: Literal["food", "transport", "rent", "fun"]) -> str:
    """Record an expense in my budget.

    Args:
        amount: How much was spent, in dollars.
        category: What the money was spent on.
    """
    if amount <= 0:
        raise ValueError("a positive amount")
    return f"recorded {amount:.2f} under {category}"


def table_available(restaurant: str, day: datetime.date, people: int = 2) -> str:
    """Check whether a restaurant has a free table on a day.

    Args:
        restaurant: The restaurant's name.
        day: The day of the visit.
        people: How many people will eat.
    """
    if not 1 <= people <= 12:
        raise ValueError("1 to 12 people")
    free = _digest(restaurant.lower(), day, people) % 3 != 0
    return f"{restaurant} on {day.isoformat()} for {people}: {'free' if free else 'full'}"


def convert_volume(
    value: float, from_unit: Literal["cup", "ml", "tbsp", "tsp", "l"], to_unit: Literal["cup", "ml", "tbsp", "tsp", "l"]
) -> float:
    """Convert a cooking volume from one unit to another.

    Args:
        value: The amount to convert.
        from_unit: The unit of the amount.
        to_unit: The unit wanted.
    """
    ml = {"cup": 240.0, "ml": 1.0, "tbsp": 15.0, "tsp": 5.0, "l": 1000.0}
    return round(value * ml[from_unit] / ml[to_unit], 2)


def is_leap_year(year: int) -> bool:
    """Whether a year is a leap year.

    Args:
        year: The year, such as 2028.
    """
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def movie_picks(genre: Literal["comedy", "horror", "drama", "sci-fi", "romance"], count: int = 3) -> str:
    """Recommend movies of a genre.

    Args:
        genre: The kind of movie.
        count: How many movies to recommend, from 1 to 10.
    """
    if not 1 <= count <= 10:
        raise ValueError("1 to 10 movies")
    return ", ".join(f"{genre.title()} pick #{_digest(genre, i) % 100}" for i in range(count))


def gift_ideas(interest: str, budget: float) -> str:
    """Suggest gift ideas for someone with an interest, within a budget.

    Args:
        interest: What the person likes, such as cooking or hiking.
        budget: The most to spend, in dollars.
    """
    if budget <= 0:
        raise ValueError("a positive budget")
    return f"{interest.strip().lower()} gifts under {budget:g}: idea #{_digest(interest.strip().lower(), budget) % 50}"
