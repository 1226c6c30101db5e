"""How a number parameter reads the numbers a text writes: in the unit it asks for
(`metric.metric_reading`), a percentage as a fraction or as written, an hour with "PM" or "AM" in
24-hour format. `copying.copy_schema` offers a parameter the numbers as it reads them."""

from __future__ import annotations

import re

from .durations import duration_reading
from .metric import metric_reading
from .numerals import NUMBER_RE, values_of
from .units import named_units, other_measures
from .values import parameter_words

# a default a description states: "Default is 0.9", "defaults to 0.05", "default: 0.5"
_DEFAULT_RE = re.compile(r"\bdefaults?(?: value)?(?: is| to|:| =| of)\s*(-?\d*\.?\d+)\b")


# a range of fractions a description states: "between 0 and 1", "from 0.0 to 1.0", "(0-1)"
_UNIT_RANGE = re.compile(r"\b(?:(?:between|from) 0(?:\.0)? (?:and|to) |0(?:\.0)? ?(?:-|to) ?)1(?:\.0)?\b(?![.,]\d)")


def _percent_reading(name: str, schema: dict) -> str | None:
    """How a parameter takes a percentage the text writes ("5%"): as a "fraction" (0.05) if it says
    decimal or fraction or that it lies between 0 and 1, or its default is a fraction ("The level of
    confidence. Default is 0.9.", or a function's `test_size: float = 0.2`, not one in a unit of its
    own: `layer_height_mm: float = 0.2`), or it is a rate that does not say percent; as a "percent"
    (5) if it says percent."""
    words = parameter_words(name, schema)
    stated = _DEFAULT_RE.search(words)
    default = schema.get("default", float(stated.group(1)) if stated else None)
    fraction = isinstance(default, (int, float)) and not isinstance(default, bool) and 0 < default < 1
    fraction = fraction and not named_units(name, schema)  # `layer_height_mm = 0.2` is a length, no fraction
    if fraction or re.search(r"\b(?:decimal|fraction)", words) or _UNIT_RANGE.search(words):
        return "fraction"
    if re.search(r"\bpercent", words):
        return "percent"
    return "fraction" if re.search(r"\brates?\b", words) else None


_TWENTY_FOUR = re.compile(r"\b24[- ]hours?\b(?! (?:period|window|day))", re.IGNORECASE)  # "in 24 hour format"
_MERIDIEM = re.compile(r"\s*([ap])\.?m\b\.?", re.IGNORECASE)


def _clock_hour(match: re.Match, text: str) -> float | int:
    """A number the text writes, as a parameter in 24-hour format reads it: "11 PM" as 23, "12 AM" as 0."""
    value = values_of(match, text)[0]
    meridiem = _MERIDIEM.match(text, match.end())
    if meridiem is None or not 1 <= value <= 12:
        return value
    return value % 12 + (12 if meridiem.group(1).lower() == "p" else 0)


_PER = re.compile(r"\bper\s*$", re.IGNORECASE)


# "no hints at all", "without any stops": none of what a count counts
_NONE_OF = r"\b(?:no|zero|without(?:\s+any)?|not\s+any)\s+(?:[a-z]+\s+)?"
_NOT_COUNTED = frozenset("used number count total amount max min".split())
# a count of people, and the pair "me and my wife", "my son and I" says (one person beside the speaker)
_PEOPLE = frozenset("people persons person guests guest adults adult players player participants travellers "
                    "travelers passengers diners attendees riders party group pax".split())  # fmt: skip
_PAIR = re.compile(
    r"\b(?:me|myself)\s+and\s+my\s+(?!\d)[a-z]+(?<!s)\b(?!\s+and\b)|\bmy\s+[a-z]+(?<!s)\s+and\s+(?:i|me)\b", re.I
)


# the speaker or one person alone: "just me", "on her own", "by myself", "solo"
_ALONE = re.compile(
    r"\b(?:just|only)\s+(?:me|him|her|myself)\b|\bon\s+(?:my|his|her|their)\s+own\b|\bby\s+(?:my|him|her)self\b|\bsolo\b",
    re.I,
)


def implied(name: str, text: str) -> list[int]:
    """The counts `text` says without a number for number parameter `name`: 0 where it says there are
    none of what a word of its name (four letters or more) counts ("no hints at all" for `hints_used`),
    1 where it says a single one ("a single lesson" for `lessons`); for a count of people, 2 where it
    says the speaker and one other ("me and my wife") and 1 where one goes alone ("just her on her own")."""
    words = [w for w in name.lower().split("_") if len(w) >= 3]
    found = []
    counted = [w.removesuffix("s") for w in words if len(w) >= 4 and w not in _NOT_COUNTED]
    if any(re.search(rf"{_NONE_OF}{re.escape(w)}s?\b", text, re.IGNORECASE) for w in counted):
        found.append(0)
    if any(w in _PEOPLE for w in words) and _PAIR.search(text):
        found.append(2)
    if any(w in _PEOPLE for w in words) and _ALONE.search(text):
        found.append(1)  # "just her on her own"
    elif any(re.search(rf"\bsingle\s+(?:[a-z]+\s+)?{re.escape(w)}\b", text, re.IGNORECASE) for w in counted):
        found.append(1)  # "a single automatic lesson" for `lessons`
    return found


def _counts(name: str, value: float | int, text: str) -> bool:
    """Whether `text` writes `value` right before a word of count parameter `name` ("4 people")."""
    words = [w.removesuffix("s") for w in name.lower().split("_") if len(w) >= 3]
    number = re.escape(f"{value:g}" if isinstance(value, float) else str(value))
    return any(re.search(rf"(?<![\d.]){number}\s+(?:[a-z]+\s+)?{re.escape(w)}", text, re.I) for w in words)


def read_for(name: str, schema: dict, text: str, numbers: list[float | int]) -> list[float | int]:
    """`numbers` (`numbers_in(text)`) for a parameter, as `_read` reads them, less those written only in
    a unit of another quantity (`units.other_measures`: "21 degrees" is no count of minutes) and
    those written right after "per" ("5.5 litres per 100 km": 100 is the rate's unit, no quantity)
    where others remain; and the counts it says without a number (`implied`: "no hints", "me and my wife")."""
    unit_misfits = other_measures(name, schema, text)
    read = [v for v in _read(name, schema, text, numbers) if v not in unit_misfits]
    per = {v for m in NUMBER_RE.finditer(text) if _PER.search(text[: m.start()]) for v in values_of(m, text)}
    read = [v for v in read if v not in per] or read
    said = implied(name, text)
    if any(said):  # "just me" is 1 person, not the 3 of "three hours"
        read = [v for v in read if _counts(name, v, text)]
    return read + [v for v in said if v not in read]


def _read(name: str, schema: dict, text: str, numbers: list[float | int]) -> list[float | int]:
    """`numbers` for a parameter: those written with a metric prefix in the unit
    it asks for (`metric.metric_reading`: "100µF" for farads) or as a length of time in another unit
    (`durations.duration_reading`: "a week" for days); for one in 24-hour format, hours
    written with "PM" or "AM" as that format writes them ("11 PM": 23); and one that says how it reads a
    percentage (`_percent_reading`) takes only the percentages the text writes, read that way, if
    it writes any."""
    converted = metric_reading(name, schema, text)
    converted = duration_reading(name, schema, text) if converted is None else converted  # "a week": 7 days
    if converted is not None:
        return converted
    if _TWENTY_FOUR.search(str(schema.get("description", ""))):
        clock = {values_of(m, text)[0]: _clock_hour(m, text) for m in NUMBER_RE.finditer(text)}
        numbers = list(dict.fromkeys(clock.get(n, n) for n in numbers))
    reading = _percent_reading(name, schema)
    if reading is None:  # most parameters: no second pass over the text
        return numbers
    percents = [fraction if reading == "fraction" else written for written, fraction in _percentages(text)]
    return list(dict.fromkeys(percents)) or numbers


def _percentages(text: str) -> list[list[float | int]]:
    """Each percentage `text` writes, as written and as a fraction ("5%": [5, 0.05])."""
    return [r for r in (values_of(m, text) for m in NUMBER_RE.finditer(text)) if len(r) == 2]


def in_own_unit(name: str, schema: dict, text: str) -> bool:
    """Whether `text` writes a number in the unit a number parameter reads it in: a percentage for one
    that reads percentages ("with a 20% tip" for `percent`), a unit it asks for, prefixed or not
    ("100µF" for farads), or a length of time it converts ("an hour" for minutes). An optional one
    the question gives its value so is written, not left to its default."""
    if _percent_reading(name, schema) and _percentages(text):
        return True
    return metric_reading(name, schema, text) is not None or duration_reading(name, schema, text) is not None
