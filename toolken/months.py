"""Months of a year: as questions write them ("March 2026", "2026-03", "03/2026", "last month", "in
March"), read as ISO dates of their first day, and as a parameter lays them out ("Month as YYYY-MM" in
its description, or a `pattern` only such a month fits), for copying them into a call and drawing
them for synthesized questions."""

from __future__ import annotations

import datetime
import random
import re

from .dates import MONTH_NAME, MONTHS, dates_in, month_number
from .tools import compile_pattern

# a month's layout as descriptions name it, as strftime writes it
MONTH_LAYOUTS = {"YYYY-MM": "%Y-%m", "YYYY/MM": "%Y/%m", "MM/YYYY": "%m/%Y", "MM-YYYY": "%m-%Y"}
# named alone: not the start or end of a day's layout ("YYYY-MM-DD", "DD/MM/YYYY")
_LAYOUT_RE = re.compile(rf"(?<![\w/.-])({'|'.join(re.escape(k) for k in MONTH_LAYOUTS)})(?![\w/:-]|\.\w)", re.I)
_SAMPLE = datetime.date(2026, 3, 1)  # a month every layout writes differently from a day

_NAME = MONTH_NAME.replace("?P<m>", "?P<name>")
_MONTH_RE = re.compile(
    # "March 2026", "March of 2026", "in March" (a name alone only after a preposition: "May I ..." is
    # none), not the month of a day ("March 3")
    rf"(?:\b(?P<prep>in|for|of|during|since|until|from|to|through|over)\s+)?\b{_NAME}(?!\s*\d{{1,2}}(?:st|nd|rd|th)?\b)"
    r"(?:,?\s+(?:of\s+)?(?P<year>\d{4})\b)?"
    r"|(?<![\d./-])(?P<iso_y>\d{4})[-/](?P<iso_m>0[1-9]|1[0-2])(?![\d./-])"  # "2026-03"
    r"|(?<![\d./-])(?P<us_m>0?[1-9]|1[0-2])/(?P<us_y>\d{4})(?![\d./-])"  # "03/2026"
    r"|\b(?P<which>this|last|next|previous)\s+month\b",
    re.I,
)
_SHIFT = {"this": 0, "last": -1, "previous": -1, "next": 1}


def month_format(schema: object) -> str | None:
    """How a string parameter writes a month of a year (a strftime format): the one layout its
    description names ("Month as YYYY-MM"), else the one its `pattern` alone fits ("^\\d{4}-\\d{2}$");
    None for a parameter that takes no month."""
    if not isinstance(schema, dict) or schema.get("type") != "string" or "enum" in schema or "format" in schema:
        return None
    named = {m.upper() for m in _LAYOUT_RE.findall(str(schema.get("description", "")))}
    if len(named) == 1:
        return MONTH_LAYOUTS[named.pop()]
    pattern = schema.get("pattern")
    if named or not isinstance(pattern, str):
        return None
    fits = [f for f in MONTH_LAYOUTS.values() if compile_pattern(pattern).fullmatch(_SAMPLE.strftime(f))]
    return fits[0] if len(fits) == 1 else None


def months_in(text: str, today: datetime.date | None = None, past: bool = False) -> list[str]:
    """The months `text` writes, as the ISO date of their first day, in the order written: by name
    with or without a year, in digits, or said from this month ("last month"); a name without its year
    is the coming one (this month's included), or with `past` the last one; a day written whole
    ("March 3, 2026") gives its month."""
    today = today or datetime.date.today()
    said = [m for m in _MONTH_RE.finditer(text) if not m.group("name") or m.group("year") or m.group("prep")]
    found = [(m.start(), _month(m, today, past)) for m in said]
    if not found:  # "2026-03-14", "the 3rd of March": the month of each day
        found = [(0, datetime.date.fromisoformat(d).replace(day=1)) for d in dates_in(text, today, past)]
    return list(dict.fromkeys(day.isoformat() for _, day in found))


def _month(m: re.Match, today: datetime.date, past: bool) -> datetime.date:
    """The first day of the month a `_MONTH_RE` match names."""
    this = today.replace(day=1)
    if m.group("which"):
        index = this.year * 12 + this.month - 1 + _SHIFT[m.group("which").lower()]
        return datetime.date(index // 12, index % 12 + 1, 1)
    if m.group("iso_y"):
        return datetime.date(int(m.group("iso_y")), int(m.group("iso_m")), 1)
    if m.group("us_y"):
        return datetime.date(int(m.group("us_y")), int(m.group("us_m")), 1)
    month = month_number(m.group("name"))
    if m.group("year"):
        return datetime.date(int(m.group("year")), month, 1)
    on = datetime.date(this.year, month, 1)
    if past:
        return on if on <= this else on.replace(year=this.year - 1)
    return on if on >= this else on.replace(year=this.year + 1)


def months_laid_out(schema: object, text: str, past: bool = False) -> list[str]:
    """The months `text` writes, in the layout the string parameter `schema` asks for (`month_format`)
    and matching its `pattern` if it has one; [] for a parameter that takes no month."""
    layout = month_format(schema)
    if layout is None:
        return []
    values = [datetime.date.fromisoformat(d).strftime(layout) for d in months_in(text, past=past)]
    pattern = schema.get("pattern")
    return [v for v in values if compile_pattern(pattern).fullmatch(v)] if isinstance(pattern, str) else values


def drawn_month(rng: random.Random, layout: str) -> tuple[str, str]:
    """A month in `layout` (`month_format`), written in a question as it is or in words ("March 2026")."""
    month = datetime.date(rng.randint(2018, 2028), rng.randint(1, 12), 1)
    said = month.strftime(layout) if rng.random() < 0.4 else f"{MONTHS[month.month - 1]} {month.year}"
    return month.strftime(layout), said
