"""Five everyday tools of a fifth made-up user, for `benchmarks/own_tools.py --set heldout-5`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import zlib

RATES = {"standard": 4.0, "express": 9.5, "overnight": 18.0}  # per kg, made up


def average(numbers: list[float]) -> float:
    """The mean of a list of numbers.

    Args:
        numbers: The numbers to average.
    """
    if not numbers:
        raise ValueError("no numbers to average")
    return round(sum(numbers) / len(numbers), 2)


def split_bill(total: float, people: int, include_tip: bool = False) -> float:
    """Split a restaurant bill evenly, optionally adding a 15% tip first.

    Args:
        total: The bill's total amount.
        people: How many people share it.
        include_tip: Whether to add a 15% tip before splitting.
    """
    if people < 1:
        raise ValueError("at least one person pays")
    return round(total * (1.15 if include_tip else 1.0) / people, 2)


def sort_words(words: list[str], reverse: bool = False) -> str:
    """Sort words into alphabetical order.

    Args:
        words: The words to sort.
        reverse: Sort from Z to A instead.
    """
    return ", ".join(sorted((w.strip().lower() for w in words), reverse=reverse))


def flight_time(origin: str, destination: str) -> str:
    """How long a direct flight between two cities takes.

    Args:
        origin: The city the flight leaves from.
        destination: The city the flight goes to.
    """
    a, b = sorted((origin.strip().lower(), destination.strip().lower()))
    if a == b:
        raise ValueError("origin and destination are the same city")
    minutes = 60 + zlib.crc32(f"{a}|{b}".encode()) % 780
    return f"{minutes // 60} h {minutes % 60:02d} min"


def shipping_cost(weight_kg: float, speed: str = "standard") -> float:
    """The price of shipping a parcel.

    Args:
        weight_kg: The parcel's weight in kilograms.
        speed: How fast it must arrive.
    """
    if weight_kg <= 0:
        raise ValueError("a parcel weighs something")
    return round(3.0 + RATES[speed] * weight_kg, 2)
