"""Values with a layout of their own drawn for synthesized questions: dates, times of day and both,
each with how a question writes it (as laid out, in words: "March 5, 2024 at 2:30 PM", "7:30 PM", or
said from today: "tomorrow", "next Friday", which copying reads back: `toolken.dates`); host names
and IP addresses, postcodes and phone numbers."""

from __future__ import annotations

import datetime
import random
import re

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


TLDS = ("com", "org", "net", "io", "dev", "app", "co", "shop")


def drawn_host(kind: str, fmt: str | None, rng: random.Random, words: list[str]) -> str:
    """A made-up host name of two of `words` ("owlbread.io"), or an IP address (IPv6 now and then
    unless the format says ipv4); for a `host`, either, as often."""
    if kind == "host":
        kind = rng.choice(("domain", "ip"))
    if kind == "domain":
        return f"{rng.choice(words)}{rng.choice(('', '-'))}{rng.choice(words)}.{rng.choice(TLDS)}"
    if fmt == "ipv6" or (fmt != "ipv4" and rng.random() < 0.2):
        return f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
    return ".".join(str(rng.randint(lo, hi)) for lo, hi in ((1, 223), (0, 255), (0, 255), (1, 254)))


def drawn_postcode(name: str, schema: dict, rng: random.Random) -> str:
    """A US ZIP code, or for a postcode not called a ZIP one, a third of the time a British one ("N7 9AJ")."""
    if re.search(r"zip", f"{name} {schema.get('description', '')}", re.I) or rng.random() < 2 / 3:
        return f"{rng.randint(1001, 99950):05d}"
    letters = "ABCDEFGHJKLMNPRSTUWYZ"
    area = "".join(rng.choice(letters) for _ in range(rng.randint(1, 2)))
    return f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def drawn_phone(rng: random.Random) -> str:
    """A made-up phone number in one of the ways people write them ("+1 617 555 0142", "(617) 555-0142",
    "555-0142", "0612345678"), on the 555 exchange where it has one (numbers kept for fiction)."""
    area, line = rng.randint(201, 989), f"01{rng.randint(0, 99):02d}"
    return rng.choice((
        f"+1 {area} 555 {line}", f"({area}) 555-{line}", f"555-{line}", f"{area}-555-{line}",
        f"+44 20 7946 0{rng.randint(0, 999):03d}", f"06{rng.randint(10_000_000, 99_999_999)}",
    ))  # fmt: skip
