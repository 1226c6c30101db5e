"""Dates and times of day: as questions write them ("March 3, 1985", "the 14th of march 2023",
"2023.10.2", "7:30 pm", "noon"), read as ISO strings, and as a parameter lays them out (`format:
date`, or "in the format 'MM/DD/YYYY'" / "in 24-hour format 'HH:MM'" in its description), for copying
them into a call and drawing them for synthesized questions."""

from __future__ import annotations

import contextlib
import datetime
import functools
import re

from .numerals import DATE_RE
from .times import TIME_RE, times_at, times_in
from .tools import compile_pattern

MONTHS = "January February March April May June July August September October November December".split()

MONTH_NAME = (  # a month by name or abbreviation, in group "m"
    r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
# a date as people write it: "March 3, 1985", "3 March 1985", "the 14th of march 2023", "Mar. 3rd 1985",
# "Jun.20,2023";
# the year may be left out ("from April 22 until April 27, 2023": `dates_in` takes it from a date near)
SPOKEN_DATE_RE = re.compile(
    rf"\b(?:{MONTH_NAME}(?:(?<=\.)\s*|\s+){_DAY}|{_DAY.replace('?P<d>', '?P<d2>')}\s+(?:of\s+)?"
    rf"{MONTH_NAME.replace('?P<m>', '?P<m2>')})(?:(?:,?\s+|,)(?P<y>\d{{4}})\b)?",
    re.I,
)
_MONTHS = tuple(m[:3].lower() for m in MONTHS)  # "sept" and "September" read as "sep"


def month_number(word: str) -> int:
    """The number of a month its name or abbreviation gives ("Sept." -> 9)."""
    return _MONTHS.index(word[:3].lower()) + 1


def dates_in(text: str, today: datetime.date | None = None, past: bool = False) -> list[str]:
    """The dates `text` writes, ISO (`2027-03-10`, `2027.03.10`), in words (`SPOKEN_DATE_RE`) or
    relative to `today` (`RELATIVE_DATE_RE`; the machine's date by default), as ISO strings in the
    order written; a date in words without its year takes the year of the next date written with one
    (else of the last before it, else the coming one, or with `past` the last one: `_undated`);
    impossible days ("February 30") left out."""
    return list(dict.fromkeys(iso for _, _, iso in _dates_at(text, today, past)))


def _dates_at(text: str, today: datetime.date | None = None, past: bool = False) -> list[tuple[int, int, str]]:
    """Each date `text` writes (`dates_in`): where it starts and ends, and its ISO string. Today is the
    date the text says it is ("Today is May 5, 2023"), else `today`, else the machine's."""
    return list(_dates_on(text, today or datetime.date.today(), past))


@functools.lru_cache(maxsize=4096)
def _dates_on(text: str, today: datetime.date, past: bool = False) -> tuple[tuple[int, int, str], ...]:
    """`_dates_at`, kept per text and day: every parameter of every offered tool reads a question's dates."""
    found = _written_dates(text)
    years = [(a, y) for a, _, y, _, _ in found if y] or [(m.start(), int(m[0])) for m in _BARE_YEAR.finditer(text)]
    dates, undated = [], []
    for start, end, year, month, day in found:
        later = [y for a, y in years if a > start]
        year = year or (later[0] if later else next((y for a, y in reversed(years) if a < start), None))
        with contextlib.suppress(ValueError):  # "February 30"
            if year:
                dates.append((start, end, datetime.date(year, month, day).isoformat()))
            else:  # 2000 is a leap year: "February 29" may be a day
                undated.append((start, end, datetime.date(2000, month, day)))
    today = _said_today(text, dates) or today
    past = past or bool(_PAST.search(text))
    for start, end, on in undated:
        with contextlib.suppress(ValueError):
            dates.append((start, end, _undated(on.month, on.day, today, past).isoformat()))
    taken = [(a, b) for a, b, _ in dates]
    for m in RELATIVE_DATE_RE.finditer(text):
        if dates and re.search(r"\bsince\s+$", text[: m.start()], re.I):
            continue  # "sick since last night, can he be seen March 8th?": when it began, beside a day asked for
        if not any(_beside(text, m, a, b) for a, b in taken):
            dates.append((m.start(), m.end(), _relative(m, today, past).isoformat()))
    return tuple(sorted(dates))


def _beside(text: str, m: re.Match, start: int, end: int) -> bool:
    """Whether the day `m` names is written right beside the date at `start:end`, so is that date's
    ("Friday, March 3, 2023", "2023.3.1 monday")."""
    gap = text[m.end() : start] if start >= m.end() else text[end : m.start()] if m.start() >= end else "-"
    return re.fullmatch(r"[\s,()]*(?:the\s+)?", gap) is not None


# the other end of a range of days in one month: "June 14 to 18", "June 14-18", "the 14th to the 18th of June"
_NTH = r"(?:the\s+)?(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
_UNTIL = r"\s*(?:-|–|to|until|through|till)\s*"
# "June 3 to 5 people" counts people: the end of a range is followed by no word but a joining one
_ENDS = r"(?!\s*[:.]\d)(?!\s+(?!(?:and|or|for|to|in|at|on|of|because|so|but|is|was|while|with|when)\b)[a-z])"
_MONTH1, _MONTH2 = MONTH_NAME.replace("?P<m>", "?P<m1>"), MONTH_NAME.replace("?P<m>", "?P<m2>")
_RANGE_RE = re.compile(
    rf"\b{_MONTH1}\s+\d{{1,2}}(?:st|nd|rd|th)?{_UNTIL}{_NTH.format('after')}\b{_ENDS}"
    rf"|\b{_NTH.format('before')}{_UNTIL}(?=(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH2})",
    re.I,
)


def _written_dates(text: str) -> list[tuple[int, int, int | None, int, int]]:
    """The dates `text` writes as numbers or words: where each starts and ends, its year (None where
    left out), month and day; the first or last day of a range in one month too ("June 14 to 18")."""
    found: list[tuple[int, int, int | None, int, int]] = []
    for m in sorted([*DATE_RE.finditer(text), *SPOKEN_DATE_RE.finditer(text)], key=lambda m: m.start()):
        if DATE_RE.fullmatch(m.group(0)):
            found.append((m.start(), m.end(), *(int(x) for x in re.split(r"[-./]", m.group(0)))))
            continue
        month_word = m.group("m") or m.group("m2")
        if m.group("y") is None and not month_word[0].isupper() and month_word.lower() in ("may", "march", "mar"):
            continue  # "you may 2 ..." is no date; "May 2" and "july 1" are
        day, y = int(m.group("d") or m.group("d2")), m.group("y")
        found.append((m.start(), m.end(), y and int(y), month_number(month_word), day))
    for m in _RANGE_RE.finditer(text):
        month_word, key = (m["m1"], "after") if m["m1"] else (m["m2"], "before")
        if month_word[0].isupper():
            at = m.span(key)
            found.append((*at, None, month_number(month_word), int(m[key])))
    return sorted(found)


# the text says what day it is: "Today is Monday April 25th 2023"
_TODAY_IS = re.compile(r"\b(?:today(?:'s\s+date)?|the\s+(?:current\s+)?date|it)(?:'s|\s+is)\b", re.I)
# a year written alone, for the dates written without one: "from 2023 April 4th to April 8th", "it's 2023 now"
_BARE_YEAR = re.compile(r"(?<![\d.,$/-])\b(?:19|20)\d{2}\b(?![\d.,/-]\d)")


def _said_today(text: str, dates: list[tuple[int, int, str]]) -> datetime.date | None:
    """The date `text` says today is: a date written right after "today is" / "it's" (a weekday may
    come between)."""
    for m in _TODAY_IS.finditer(text):
        for start, _, iso in sorted(dates):
            gap = text[m.end() : start] if start >= m.end() else "-"
            if re.fullmatch(r"[\s,:]*(?:[a-z]+day\b[\s,]*)?(?:the\s+)?", gap, re.I):
                return datetime.date.fromisoformat(iso)
    return None


WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_COUNT = rf"(?:\d{{1,3}}|{'|'.join(_COUNTS)})"
# a day said from today: "tomorrow", "last night", "the day after tomorrow", "next Friday", "on monday",
# "this weekend" (its Saturday), "in 3 days", "two weeks ago"; not a weekday that recurs ("on Fridays",
# "Monday mornings") nor a week ("next week")
RELATIVE_DATE_RE = re.compile(
    r"\b(?:(?P<word>the\s+day\s+after\s+tomorrow|the\s+day\s+before\s+yesterday|today|tonight|tomorrow|yesterday"
    r"|last\s+night|this\s+(?:morning|afternoon|evening))"
    r"|(?P<weekend>this|next|the|last)\s+weekend"
    rf"|(?:(?P<which>next|this|coming|upcoming|last)\s+)?(?P<weekday>{'|'.join(WEEKDAYS)})"
    r"(?!s\b|\s+(?:morning|afternoon|evening|night)s\b)(?P<week>\s+next\s+week)?"
    rf"|in\s+(?P<ahead>{_COUNT})\s+(?P<unit>days?|weeks?)"
    rf"|(?P<back>{_COUNT})\s+(?P<unit2>days?|weeks?)\s+(?P<way>ago|from\s+(?:now|today))"
    r")\b",
    re.I,
)
_DAY_WORDS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1, "the day after tomorrow": 2,
              "the day before yesterday": -2, "last night": -1, "this morning": 0, "this afternoon": 0,
              "this evening": 0}  # fmt: skip
# the question asks of the past: a weekday or a date without its year is the last one, not the coming one
_PAST = re.compile(r"\b(?:was|were|did|had|happened|ago|last|yesterday)\b", re.I)
# a tool that keeps or looks up what has happened: a diary's day, a day walked, the weather recorded
_LOOKS_BACK = re.compile(
    r"\b(?:was|were|did|happened|past|history|historical|recorded|logged|walked|slept|spent|diary|journal)\b",
    re.I,
)


def looks_back(description: str, parameters: dict) -> bool:
    """Whether a tool's description or its dates' say it keeps or looks up the past ("Record a
    harvest in the garden journal", "How many steps the user walked on a date"): a day it is given
    without its year is the last one ("on September 3" in December: this year's), not the coming one."""
    props = parameters.get("properties", {}) if isinstance(parameters, dict) else {}
    said = [description, *(p.get("description", "") for p in props.values() if isinstance(p, dict) and dated(p))]
    return any(isinstance(t, str) and _LOOKS_BACK.search(t) for t in said)


def _relative(m: re.Match, today: datetime.date, past: bool) -> datetime.date:
    """The day a `RELATIVE_DATE_RE` match names, from `today`; a weekday said alone is the coming one
    (today's included), or with `past` the last one."""
    if m.group("word"):
        return today + datetime.timedelta(days=_DAY_WORDS[" ".join(m.group("word").lower().split())])
    if m.group("weekend"):  # its Saturday ("this weekend" on a Sunday: today)
        saturday = today + datetime.timedelta(days=5 - today.weekday())
        shift = {"next": 7, "last": -7}.get(m.group("weekend").lower(), 0)
        return max(saturday, today) if not shift else saturday + datetime.timedelta(days=shift)
    if m.group("weekday"):
        weekday = WEEKDAYS.index(m.group("weekday").capitalize())
        ahead = (weekday - today.weekday()) % 7  # to the coming one
        which = (m.group("which") or "").lower()
        if m.group("week"):  # "Wednesday next week": in the week (Monday to Sunday) after this one
            return today + datetime.timedelta(days=7 - today.weekday() + weekday)
        if which == "last" or (not which and past):
            return today - datetime.timedelta(days=(-ahead) % 7 or (7 if which == "last" else 0))
        return today + datetime.timedelta(days=ahead or (7 if which == "next" else 0))
    count, unit = (m.group("ahead"), m.group("unit")) if m.group("ahead") else (m.group("back"), m.group("unit2"))
    days = (int(count) if count.isdigit() else _COUNTS[count.lower()]) * (7 if unit.lower().startswith("week") else 1)
    return today + datetime.timedelta(days=-days if (m.group("way") or "").lower() == "ago" else days)


def _undated(month: int, day: int, today: datetime.date, past: bool) -> datetime.date:
    """A day of the year written without its year: the coming one (today's included), or with `past`
    the last one."""
    on = datetime.date(today.year, month, day)
    if past:
        return on if on <= today else datetime.date(today.year - 1, month, day)
    return on if on >= today else datetime.date(today.year + 1, month, day)


def written_at(value: str, text: str) -> list[tuple[int, int]]:
    """Where `text` writes the date or time of day `value` (laid out as `laid_out` copies it, "04/05/2022"
    or "19:30"), however it writes it ("April 5, 2022", "7:30 pm"): (start, end) spans; none for a
    value that is neither."""
    spans = []
    for start, end, iso in _dates_at(text) + times_at(text):
        layouts = [*DATE_LAYOUTS.values()] if ":" not in iso else ["%H:%M", "%H:%M:%S"]
        if any(as_layout(iso, layout) == value for layout in layouts):
            spans.append((start, end))
    return spans


def said_when(text: str) -> list[tuple[int, int]]:
    """Where `text` writes a date or a time of day ("tomorrow", "March 3, 2027", "10am"): each piece's
    start and end, a full stop after it left out ("10am." ends a sentence)."""
    return [(a, a + len(text[a:b].rstrip("."))) for a, b, _ in _dates_at(text) + times_at(text)]


def without_days(text: str) -> str:
    """`text` with the calendar days it writes blanked out ("2025-06-21", "June 21st 2025")."""
    for pattern in (DATE_RE, SPOKEN_DATE_RE):
        text = pattern.sub(" ", text)
    return text


def days_apart(props: dict, text: str) -> str:
    """`text` without the days it writes (`without_days`) where the tool takes no date, time, year,
    month or day: such a tool takes no count or amount from a day ("Is June 21st 2025 open?" asks
    no budget of 2025)."""
    if any(dated(p) for p in props.values()):
        return text
    if any(w in ("year", "month", "day") for n in props for w in re.findall(r"[a-z]+", n.lower())):
        return text
    return without_days(text)


def without_dates(text: str) -> str:
    """`text` with the dates and times it writes blanked out (their numbers are theirs, not a count's:
    "in 3 days")."""
    for pattern in (_RANGE_RE, DATE_RE, SPOKEN_DATE_RE, RELATIVE_DATE_RE, TIME_RE):
        text = pattern.sub(" ", text)
    return text


# a date's layout as descriptions name it ("in the format 'YYYY-MM-DD'"), as strftime writes it
DATE_LAYOUTS = {"YYYY-MM-DD": "%Y-%m-%d", "YYYY/MM/DD": "%Y/%m/%d", "MM/DD/YYYY": "%m/%d/%Y", "DD/MM/YYYY": "%d/%m/%Y",
                "MM-DD-YYYY": "%m-%d-%Y", "DD-MM-YYYY": "%d-%m-%Y", "DD.MM.YYYY": "%d.%m.%Y"}  # fmt: skip
# a layout named alone: not one with a time after it ("YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM")
_LAYOUT_RE = re.compile(rf"(?<![\w/.-])({'|'.join(re.escape(k) for k in DATE_LAYOUTS)})(?![\w/:-]|\.\w|\s+HH)", re.I)


def _layout_text(schema: dict) -> str | None:
    """The description of a plain string parameter (no enum, no format), which may name a layout."""
    description = schema.get("description")
    if schema.get("type") != "string" or "enum" in schema or "format" in schema or not isinstance(description, str):
        return None
    return description


def date_format(schema: dict) -> str | None:
    """How a string parameter writes a date (a strftime format): ISO for `format: date`, else the one
    layout its description names ("in the format 'MM/DD/YYYY'"); None for a parameter that takes no
    date, or names a range or several layouts."""
    if schema.get("format") == "date":
        return DATE_LAYOUTS["YYYY-MM-DD"]
    if (description := _layout_text(schema)) is None:
        return None
    named = {m.upper() for m in _LAYOUT_RE.findall(description)}
    ranged = re.search(r"YYYY\S*\s+(?:to|-)\s+\S*YYYY", description, re.I)
    return DATE_LAYOUTS[named.pop()] if len(named) == 1 and not ranged else None


# a time of day as descriptions name it ("in 24-hour format 'HH:MM'"): not a date's, not a duration's
_TIME_LAYOUT_RE = re.compile(r"(?<![\w:])HH:MM(:SS)?(?![\w:])")
# a 24-hour time a description gives as an example ("like 19:30", "e.g. 09:00:00"); not "7:30 pm"
_EXAMPLE_TIME_RE = re.compile(r"(?<![\w:.])(?:[01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?(?![\w:]|\s*[ap]\.?m\b)", re.I)
_TIME_WORD = re.compile(r"\btime\b", re.I)  # the description is of a time (of day), not a duration's "1:30"


def time_format(schema: dict) -> str | None:
    """How a string parameter writes a time of day (a strftime format): `format: time`, the layout its
    description names ("in 24-hour format 'HH:MM'"), or that of the 24-hour times a description of a
    time gives as examples ("The time of the booking, like 19:30."); None for one that takes no time or
    a date too."""
    if schema.get("format") == "time":
        return "%H:%M:%S"
    if (description := _layout_text(schema)) is None:
        return None
    found = {m.group(1) for m in _TIME_LAYOUT_RE.finditer(description)}
    if not found and _TIME_WORD.search(description):  # "The time of the booking, like 19:30."
        found = {m.group(1) for m in _EXAMPLE_TIME_RE.finditer(description)}
    return None if len(found) != 1 or "YYYY" in description.upper() else "%H:%M:%S" if found.pop() else "%H:%M"


# a date with its time of day as descriptions name it ("in the format 'YYYY-MM-DD HH:MM'")
MOMENT_LAYOUTS = {"YYYY-MM-DDTHH:MM:SS": "%Y-%m-%dT%H:%M:%S", "YYYY-MM-DDTHH:MM": "%Y-%m-%dT%H:%M",
                  "YYYY-MM-DD HH:MM:SS": "%Y-%m-%d %H:%M:%S", "YYYY-MM-DD HH:MM": "%Y-%m-%d %H:%M"}  # fmt: skip
_MOMENT_LAYOUT_RE = re.compile(rf"(?<![\w/.-])({'|'.join(re.escape(k) for k in MOMENT_LAYOUTS)})(?![\w/:-])", re.I)


def datetime_format(schema: dict) -> str | None:
    """How a string parameter writes a date with its time of day (a strftime format): ISO for
    `format: date-time`, else the one layout its description names ("in the format 'YYYY-MM-DD
    HH:MM'"); None for a parameter that takes no such value."""
    if schema.get("format") == "date-time":
        return MOMENT_LAYOUTS["YYYY-MM-DDTHH:MM:SS"]
    if (description := _layout_text(schema)) is None:
        return None
    named = {m.upper() for m in _MOMENT_LAYOUT_RE.findall(description)}
    return MOMENT_LAYOUTS[named.pop()] if len(named) == 1 else None


_UNREAD_DATE = re.compile(r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b")  # "12/03/2024": day or month first?


def _in_layout(text: str, layout: str) -> list[str]:
    """The dates `text` writes in a layout of numbers alone that `layout` reads, as ISO strings."""
    found = []
    for m in _UNREAD_DATE.finditer(text):
        try:
            found.append(datetime.datetime.strptime(m.group(0), layout).date().isoformat())
        except ValueError:  # another layout, or no day
            pass
    return found


def moments_in(text: str, today: datetime.date | None = None, past: bool = False) -> list[str]:
    """The dates with a time of day `text` writes, as ISO date-times ("2026-12-06T15:00:00"): the
    dates (`dates_in`) and times (`times_in`) in turn where it writes as many of each ("from 9 am on
    May 3 to 5 pm on May 4"), else every date at every time; a time alone is today's ("at 3pm"); a
    date with no time gives none (no time is made up)."""
    times, days = times_in(text), dates_in(text, today, past)
    if not days and _UNREAD_DATE.search(text):
        return []  # "12/03/2024 16:00": a day written in a layout not read is not today
    days = days or [(today or datetime.date.today()).isoformat()]
    pairs = zip(days, times) if len(days) == len(times) else ((d, t) for d in days for t in times)
    return [f"{d}T{t}" for d, t in pairs]


def as_layout(iso: str, layout: str) -> str:
    """An ISO date, time of day or date-time written in `layout` (a strftime format: `date_format`,
    `time_format`, `datetime_format`)."""
    if "T" in iso:
        return datetime.datetime.fromisoformat(iso).strftime(layout)
    day = datetime.time.fromisoformat(iso) if ":" in iso else datetime.date.fromisoformat(iso)
    return day.strftime(layout)


def laid_out(schema: dict, text: str, past: bool = False) -> list[str]:
    """The dates, times of day or dates with their time `text` writes, in the layout the string
    parameter `schema` asks for (`date_format`, `time_format`, `datetime_format`) and matching its
    `pattern` if it has one (a day without its year the last one, with `past`); [] for a parameter
    that takes none of them."""
    if layout := datetime_format(schema):
        found = moments_in(text, past=past)
    elif layout := date_format(schema):  # "01-01-1980" is read where the parameter's own layout reads it
        found = list(dict.fromkeys(dates_in(text, past=past) + _in_layout(text, layout)))
    else:
        layout, found = time_format(schema), times_in(text)
    values = [as_layout(v, layout) for v in found] if layout else []
    pattern = schema.get("pattern")
    return [v for v in values if compile_pattern(pattern).fullmatch(v)] if isinstance(pattern, str) else values


_DELAY_WORDS = re.compile(r"minute|hour|second|delay|duration|\bdays?\b|\bweeks?\b", re.IGNORECASE)


def takes_delay(name: str, schema: object) -> bool:
    """Whether a number parameter takes a delay or duration ("minutes": "in 30 minutes" is its)."""
    words = f"{name} {schema.get('description', '')}" if isinstance(schema, dict) else ""
    return isinstance(schema, dict) and schema.get("type") in ("integer", "number") and bool(_DELAY_WORDS.search(words))


def dated(schema: object) -> bool:
    """Whether a parameter takes a date, a time of day or both, in a layout it names (`date_format`,
    `time_format`, `datetime_format`)."""
    return isinstance(schema, dict) and bool(date_format(schema) or time_format(schema) or datetime_format(schema))
