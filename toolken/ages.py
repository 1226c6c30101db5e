"""Ages a question says ("my dad's 68", "a 12 year old", "she's 9") and the enum value whose age range
a description gives ('"child" is 6-15 years, "adult" 16-64, "senior" 65 and over'): a ticket's or a
pass's age group chosen by the age, as a person at the desk would."""

from __future__ import annotations

import math
import re

# an age said: "a 12 year old", "aged 70", "she's 9", "my dad's 68"
_PEOPLE = (r"(?:dad|mum|mom|son|daughter|kid|child|wife|husband|father|mother|grandma|grandpa|gran|nan|friend"
           r"|brother|sister|boy|girl)")  # fmt: skip
_AGE_SAID = re.compile(
    r"\b(\d{1,3})[- ]?(?:years?|yrs?)[- ]old\b"
    r"|\baged?\s+(\d{1,3})\b"
    rf"|\b(?:i'm|i am|he's|she's|he is|she is|{_PEOPLE}'s|{_PEOPLE} is)\s+(\d{{1,3}})\b(?!\s*(?:%|[a-z]))",
    re.IGNORECASE,
)
# a range after a value in its description: "6-15", "16 to 64", "65 and over", "65+", "under 6"
_SPAN = re.compile(r"(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})")
_FROM = re.compile(r"(\d{1,3})\s*(?:\+|and over|and older|or over|or older)")
_UNDER = re.compile(r"(?:under|below|younger than)\s+(\d{1,3})")
_AGE_WORDS = re.compile(r"\b(?:ages?|years?|yrs?|old|older|aged)\b", re.IGNORECASE)


def ages_in(text: str) -> list[int]:
    """The ages `text` says of a person."""
    return [int(next(g for g in m.groups() if g)) for m in _AGE_SAID.finditer(text)]


def aged_choices(values: list, description: str, text: str) -> list:
    """The string `values` whose age range `description` gives holds an age `text` says ("my dad's 68"
    is "senior" for '"senior" 65 and over'); none where the description states no ages."""
    ages = ages_in(text)
    if not ages or not (_AGE_WORDS.search(description) or _FROM.search(description) or _UNDER.search(description)):
        return []  # a description of ages: "6-15 years", or "youth is under 18, senior is 65+"
    ranges = _ranges(values, description)
    return [v for v, (low, high) in ranges.items() if any(low <= a <= high for a in ages)]


def _ranges(values: list, description: str) -> dict:
    """Each value's age range, read from the description's words after it up to the next value."""
    lower = description.lower()
    places = sorted((m.start(), m.end(), v) for v in values if isinstance(v, str)
                    for m in re.finditer(rf"(?<!\w){re.escape(v.lower())}(?!\w)", lower))  # fmt: skip
    out = {}
    for i, (_, end, value) in enumerate(places):
        after = lower[end : places[i + 1][0] if i + 1 < len(places) else len(lower)]
        if m := _SPAN.search(after):
            out.setdefault(value, (int(m[1]), int(m[2])))
        elif m := _FROM.search(after):
            out.setdefault(value, (int(m[1]), math.inf))
        elif m := _UNDER.search(after):
            out.setdefault(value, (0, int(m[1]) - 1))
    return out
