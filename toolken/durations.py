"""Lengths of time written in one unit, read in the unit a parameter asks for: "a week" is 7 for a
trip's `days`, "an hour" 60 for a timer's "Length in minutes", "90 minutes" 1.5 for `hours`.
People say how long in whatever unit comes to mind; a tool takes one unit. Only exact conversions
are made: seconds to weeks among themselves, months and years among themselves."""

from __future__ import annotations

import re

from .numerals import NUMBER_RE, WORD_NUMBERS

# unit -> (group, size in the group's smallest unit); a month is no fixed number of days
_UNITS = {
    "second": ("clock", 1), "minute": ("clock", 60), "hour": ("clock", 3600), "day": ("clock", 86400),
    "night": ("clock", 86400),  # a stay's nights: "a week" is 7 of them
    "week": ("clock", 604800), "fortnight": ("clock", 1209600), "month": ("calendar", 1), "year": ("calendar", 12),
}  # fmt: skip
_SHORT = {"sec": "second", "secs": "second", "min": "minute", "mins": "minute", "hr": "hour", "hrs": "hour",
          "yr": "year", "yrs": "year"}  # fmt: skip
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year)s?|secs?|mins?|hrs?|yrs?"
_COUNT = rf"{NUMBER_RE.pattern}|(?:{'|'.join(w for w in WORD_NUMBERS if w.isalpha())})|an?|half an?"
# "90 minutes", "a week", "five-day", "half an hour", "an hour and a half", "two and a half hours"
_DURATION = re.compile(
    rf"(?<![\w.])(?P<n>{_COUNT})(?P<half> and a half)?[\s-](?P<u>{_UNIT})\b(?P<half2> and a half)?", re.IGNORECASE
)
_ARTICLES = ("a", "an")
_RATE = re.compile(r"\b(?:once|twice|thrice|times|of|per|every)\s+$", re.IGNORECASE)  # "quarter of a second"
# the unit a parameter asks for: the last word of its name ("duration_minutes", "days") or "in
# minutes" in its description, in the plural ("day" alone may be a day of the month)
_ASKED = re.compile(rf"\bin (?P<u>(?:{'|'.join(_UNITS)})s)\b", re.IGNORECASE)


def _unit(word: str) -> str:
    """The unit a written word names: "hrs" -> hour, "weeks" -> week."""
    word = word.lower()
    return _SHORT.get(word) or word.removesuffix("s")


def asked_time_unit(name: str, schema: dict) -> str | None:
    """The unit of time a number parameter asks for, if its name ends with one in the plural
    (`days`, `timeout_seconds`) or its description asks for one ("Length of the trip in days.")."""
    if schema.get("type") not in ("number", "integer"):
        return None
    last = re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name)[-1].lower()
    if last.endswith("s") and last.removesuffix("s") in _UNITS:
        return last.removesuffix("s")
    asked = _ASKED.search(str(schema.get("description", "")))
    return _unit(asked.group("u")) if asked else None


def _written(text: str) -> list[re.Match]:
    """The lengths of time a text writes, less "a day" after "twice" (how often) or "of" ("a quarter of a second")."""
    return [
        m
        for m in _DURATION.finditer(text)
        if not (m.group("n").lower() in _ARTICLES and _RATE.search(text[: m.start()]))
    ]


def durations_in(text: str) -> list[tuple[float | int, str]]:
    """The lengths of time a text writes, as (count, unit): "a week" (1, week), "90 minutes" (90,
    minute), "half an hour" (0.5, hour), "two and a half hours" (2.5, hour)."""
    out = []
    for m in _written(text):
        count = m.group("n").lower().replace(",", "")
        value = 0.5 if count.startswith("half") else 1 if count in _ARTICLES else WORD_NUMBERS.get(count)
        value = float(count) if value is None else value
        value += 0.5 if m.group("half") or m.group("half2") else 0
        out.append((int(value) if float(value).is_integer() else value, _unit(m.group("u"))))
    return out


def duration_reading(name: str, schema: dict, text: str) -> list[float | int] | None:
    """The lengths of time `text` writes, in the unit parameter `name` asks for, where it writes them in
    another unit that converts exactly ("a week" -> 7 days) and none in that unit; None otherwise."""
    asked = asked_time_unit(name, schema)
    written = durations_in(text) if asked else []
    size = _UNITS[asked][1] if asked else 1
    if any(u == asked for _, u in written) or not any(_convertible(u, asked) for _, u in written):
        return None  # written in its own unit ("120 km in 5 hours" of "a two-day trip"), or in none
    read = [count * _UNITS[u][1] / size for count, u in written if _convertible(u, asked)]
    # a whole number or a plain fraction (90 minutes: 1.5 hours), never 0.0416 of a day
    kept = [int(v) if float(v).is_integer() else v for v in read if round(v, 2) == v and v > 0]
    return list(dict.fromkeys(kept)) or None


def _convertible(unit: str, asked: str | None) -> bool:
    """Whether a length written in `unit` reads exactly in the `asked` unit: of one group, and nights
    only in days or longer (3 nights of a stay are no 72 hours)."""
    if asked is None or _UNITS[unit][0] != _UNITS[asked][0]:
        return False
    short = {"second", "minute", "hour"}
    return not ("night" in (unit, asked) and (unit in short or asked in short))


def spelled_durations(text: str) -> int:
    """How many lengths of time the text writes with no number, not even "half" ("a week", "an hour")."""
    return sum(m.group("n").lower() in _ARTICLES for m in _written(text))
