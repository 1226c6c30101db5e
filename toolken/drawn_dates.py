"""Dates, times of day and dates with their time drawn for synthesized questions, each with how a
question writes it: as its layout has it, in words ("March 5, 2024 at 2:30 PM", "7:30 PM"), or said
from today ("tomorrow", "next Friday"), which copying reads back (`toolken.dates`)."""

from __future__ import annotations

import datetime
import random

from .dates import MONTHS, WEEKDAYS, dates_in

# days as people say them, read against today as copying reads them: a calendar's questions say "tomorrow"
SAID_DAYS = ("today", "tomorrow", "the day after tomorrow", *WEEKDAYS, *(f"next {d}" for d in WEEKDAYS))
SAID_SHARE = 0.25  # of drawn dates said so


def drawn_date(rng: random.Random, layout: str) -> tuple[str, str]:
    """A date in `layout` (`date_format`), written in a question as it is, in words, or, a quarter of
    the time, as a day said from today ("tomorrow", "next Friday")."""
    if rng.random() < SAID_SHARE:
        said = rng.choice(SAID_DAYS)
        return datetime.date.fromisoformat(dates_in(said)[0]).strftime(layout), said
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
    spoken = day.strftime(layout) if rng.random() < 0.4 else f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return day.strftime(layout), spoken


def drawn_moment(rng: random.Random, layout: str) -> tuple[str, str]:
    """A date with its time of day in `layout` (`datetime_format`), written in a question as it is or
    as "March 5, 2024 at 2:30 PM"."""
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
    at = datetime.time(rng.randint(7, 21), rng.choice((0, 15, 30, 45)))  # when people meet, not 3 am
    moment = datetime.datetime.combine(day, at).strftime(layout)
    return moment, moment if rng.random() < 0.4 else f"{MONTHS[day.month - 1]} {day.day}, {day.year} at {_clock(at)}"


def drawn_time(rng: random.Random, layout: str) -> tuple[str, str]:
    """A time of day in `layout` (`time_format`), written in a question as it is or as "7:30 PM"."""
    at = datetime.time(rng.randint(0, 23), rng.choice((0, 15, 30, 45)))
    return at.strftime(layout), at.strftime(layout) if rng.random() < 0.5 else _clock(at)


def _clock(at: datetime.time) -> str:
    """A time of day as people write it: "7:30 PM", "9 AM"."""
    return f"{at.hour % 12 or 12}:{at:%M} {'AM' if at.hour < 12 else 'PM'}".replace(":00 ", " ")
