"""Five everyday tools of a seventh made-up user, for `benchmarks/own_tools.py --set heldout-7`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime
import hashlib

TODAY = datetime.date(2026, 12, 1)  # fixed, so that a count of days never changes


def tip_amount(bill: float, percent: float = 15) -> float:
    """Work out the tip for a restaurant bill.

    Args:
        bill: The amount of the bill.
        percent: The tip as a percentage, e.g. 15 for 15%.
    """
    if bill < 0 or percent < 0:
        raise ValueError("the bill and the tip cannot be negative")
    return round(bill * percent / 100, 2)


def days_until(date: str) -> int:
    """Count the days from today until a date.

    Args:
        date: The date, as YYYY-MM-DD.
    """
    return (datetime.date.fromisoformat(date) - TODAY).days


def bmi(weight_kg: float, height_cm: float) -> float:
    """Body mass index from a person's weight and height.

    Args:
        weight_kg: Weight in kilograms.
        height_cm: Height in centimeters.
    """
    if weight_kg <= 0 or height_cm <= 0:
        raise ValueError("weight and height must be positive")
    return round(weight_kg / (height_cm / 100) ** 2, 1)


def make_password(length: int, symbols: bool = True) -> str:
    """Generate a random password.

    Args:
        length: How many characters the password has.
        symbols: Whether the password may contain symbols such as ! or #.
    """
    if not 6 <= length <= 64:
        raise ValueError("a password has 6 to 64 characters")
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789" + ("!#$%&*" if symbols else "")
    digest = hashlib.sha256(f"{length}-{symbols}".encode()).digest() * 2
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def distance_between(from_city: str, to_city: str) -> str:
    """Driving distance from one city to another.

    Args:
        from_city: The city the drive starts in.
        to_city: The city the drive ends in.
    """
    a, b = from_city.strip().title(), to_city.strip().title()
    if a == b:
        raise ValueError("the two cities are the same")
    km = 50 + int(hashlib.sha256(" ".join(sorted([a, b])).encode()).hexdigest(), 16) % 900
    return f"{a} to {b}: {km} km"
