"""Five everyday tools of a ninth made-up user, for `benchmarks/own_tools.py --set heldout-9`, specified
in MCP's format (`inputSchema`): deterministic stand-ins (a result depends only on the arguments),
written for this benchmark."""

import hashlib

CITIES = ("Springfield", "Riverside", "Fairview", "Madison", "Georgetown", "Clinton", "Salem", "Franklin")


def _pick(text: str, n: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % n


def flight_status(flight: str) -> str:
    """Look up whether a flight is on time."""
    late = _pick(flight.replace(" ", "").upper(), 4) * 15
    return "on time" if late == 0 else f"delayed {late} minutes"


def zip_to_city(zip_code: str) -> str:
    """The city a US ZIP code belongs to."""
    return CITIES[_pick(zip_code, len(CITIES))]


def grade_average(scores: list[float]) -> float:
    """The average of a list of grades."""
    if not scores:
        raise ValueError("no scores")
    return round(sum(scores) / len(scores), 2)


def set_reminder(message: str, minutes: int) -> str:
    """Set a reminder some minutes from now."""
    if minutes < 1:
        raise ValueError("at least one minute")
    return f"Reminder set in {minutes} min: {message}"


def roll_dice(count: int, sides: int = 6) -> int:
    """Roll dice (a fixed stand-in: the expected total, rounded down)."""
    return count * (sides + 1) // 2
