"""Five everyday tools of a sixth made-up user, for `benchmarks/own_tools.py --set heldout-6`:
deterministic stand-ins (a result depends only on the arguments), written for this benchmark."""

import datetime

TODAY = datetime.date(2026, 12, 1)  # fixed, so that an age never changes
NUMERALS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def send_email(to: str, subject: str) -> str:
    """Send an email.

    Args:
        to: The recipient's email address.
        subject: The subject line of the email.
    """
    if "@" not in to:
        raise ValueError(f"not an email address: {to}")
    return f"sent to {to.strip().lower()}: {subject.strip()}"


def add_todo(task: str, priority: str = "medium") -> str:
    """Add a task to the to-do list.

    Args:
        task: What has to be done.
        priority: How urgent the task is.
    """
    return f"added '{task.strip().lower()}' ({priority})"


def age_on(birth_date: str) -> int:
    """How old a person born on a date is today.

    Args:
        birth_date: The date of birth, as YYYY-MM-DD.
    """
    born = datetime.date.fromisoformat(birth_date)
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


def to_roman(number: int) -> str:
    """Write a number in Roman numerals.

    Args:
        number: The number to write, from 1 to 3999.
    """
    if not 1 <= number <= 3999:
        raise ValueError("Roman numerals go from 1 to 3999")
    out = ""
    for value, letters in NUMERALS:
        while number >= value:
            out, number = out + letters, number - value
    return out


def create_event(title: str, date: str, attendees: list[str]) -> str:
    """Create a calendar event and invite people to it.

    Args:
        title: The event's title.
        date: The day of the event, as YYYY-MM-DD.
        attendees: The names of the people invited.
    """
    day = datetime.date.fromisoformat(date)
    names = ", ".join(sorted(a.strip() for a in attendees))
    return f"{title.strip()} on {day.isoformat()} with {names}"
