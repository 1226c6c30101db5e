"""Where a question writes a value a call copied: the first place at or after a point (`first_at`),
every place (`places`), and where the value written there ends (`value_end`)."""

from __future__ import annotations

import re
from typing import Any

from .dates import written_at
from .numerals import NUMBER_RE, PERCENT_RE, SCALE_RE, WORD_RE, values_of, word_number

_LAID_OUT = re.compile(r"[\d/.:-]{4,10}")  # a copied date or time ("04/05/2022", "19:30"), maybe written otherwise


def first_at(value: Any, text: str, start: int = 0) -> int:
    """Where `text` first writes `value` (a copied string or number; a percentage also as its
    fraction) at `start` or after, or -1 where it does not."""
    if isinstance(value, str):
        at = text.find(value, start)
        at = at if at >= 0 else text.lower().find(value.lower(), start)
        if at < 0 and _LAID_OUT.fullmatch(value):  # a date or time copied in its layout: "2022-04-05"
            at = next((s for s, _ in written_at(value, text) if s >= start), -1)
        return at
    places = [m.start() for m in NUMBER_RE.finditer(text, start) if value in values_of(m, text)]
    places += [m.start() for m in WORD_RE.finditer(text, start) if word_number(m.group(0)) == value]
    return min(places, default=-1)


def places(value: Any, text: str) -> list[int]:
    """Every place `text` writes `value` (`first_at` again and again): 5 is written twice in "a rate of
    5% for 1, 5 and 10 years"."""
    found, at = [], first_at(value, text)
    while at >= 0:
        found.append(at)
        at = first_at(value, text, at + 1)
    return found


def value_end(value: Any, text: str, at: int) -> int:
    """Where the value `text` writes at `at` ends (a number's unit of "%" or " percent" included, and
    the quote that closes a quoted string)."""
    if isinstance(value, str):
        if text[at : at + len(value)].lower() != value.lower():  # a date or time as written: "April 5, 2022"
            return next((end for s, end in written_at(value, text) if s == at), at + len(value))
        quoted = at > 0 and text[at - 1] in "'\"" and text[at + len(value) : at + len(value) + 1] == text[at - 1]
        return at + len(value) + quoted
    m = NUMBER_RE.match(text, at) or WORD_RE.match(text, at)
    end = m.end() if m else at + 1
    unit = PERCENT_RE.match(text, end) or SCALE_RE.match(text, end)
    return unit.end() if unit else end
