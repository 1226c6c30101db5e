"""Six everyday tools of an eighth made-up user, for `benchmarks/own_tools.py --set heldout-8`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import hashlib

MET = {"walking": 3.5, "running": 9.8, "cycling": 7.5, "swimming": 8.0, "yoga": 2.5}
OFFSETS = {"UTC": 0, "London": 0, "Paris": 1, "New York": -5, "Tokyo": 9, "Sydney": 11, "Los Angeles": -8}


def calories_burned(activity: str, minutes: float, weight_kg: float = 70) -> int:
    """Estimate the calories burned by an exercise.

    Args:
        activity: The kind of exercise.
        minutes: How long the exercise lasts, in minutes.
        weight_kg: The person's weight in kilograms.
    """
    if minutes <= 0 or weight_kg <= 0:
        raise ValueError("minutes and weight must be positive")
    return round(MET[activity] * 3.5 * weight_kg / 200 * minutes)


def percent_change(old: float, new: float) -> float:
    """Percentage change from an old value to a new one.

    Args:
        old: The value before.
        new: The value after.
    """
    if old == 0:
        raise ValueError("the old value cannot be zero")
    return round((new - old) / abs(old) * 100, 2)


def hex_to_rgb(color: str) -> str:
    """Convert a hex color code to its red, green and blue values.

    Args:
        color: The hex code, such as #1A2B3C.
    """
    code = color.lstrip("#")
    return ", ".join(str(int(code[i : i + 2], 16)) for i in (0, 2, 4))


def convert_time(time: str, from_zone: str, to_zone: str) -> str:
    """Convert a clock time from one time zone to another.

    Args:
        time: The time as HH:MM on a 24-hour clock.
        from_zone: The time zone the time is given in.
        to_zone: The time zone to convert to.
    """
    hours, minutes = (int(p) for p in time.split(":"))
    total = (hours * 60 + minutes + (OFFSETS[to_zone] - OFFSETS[from_zone]) * 60) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def packing_list(destination: str, nights: int) -> str:
    """Suggest what to pack for a trip.

    Args:
        destination: Where the trip goes.
        nights: How many nights the trip lasts.
    """
    if nights < 1:
        raise ValueError("a trip lasts at least one night")
    extra = int(hashlib.sha256(destination.lower().encode()).hexdigest(), 16) % 3
    return f"{nights + 1} shirts, {min(nights, 7)} pairs of socks, {1 + extra} pairs of shoes"


def rhymes(word: str) -> str:
    """Find words that rhyme with a word.

    Args:
        word: The word to rhyme with.
    """
    word = word.lower().strip()
    if not word.isalpha():
        raise ValueError("a single word, letters only")
    tail = word[-2:]
    return ", ".join(f"{c}{tail}" for c in "bdfm" if f"{c}{tail}" != word)
