"""The numbers a text writes, as people write them: digits with thousands separators ("13,289"),
percentages ("5%", also read as 0.05), scales ("$1.2M", "10k") and number words ("twelve",
"twenty-five"); how many it writes and how often each."""

from __future__ import annotations

import json
import re
from collections import Counter

WORD_RE = re.compile(r"[^\W_]+(?:(?:[-']|_+)[^\W_]+)*")  # "O'Neil", "my_data": one word
WORD_NUMBERS = {"zero": 0, "half": 0.5, "quarter": 0.25, "twice": 2, "thrice": 3, "double": 2, "triple": 3, "one": 1,
                "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100,
                "thousand": 1000}  # fmt: skip
# not the exponent of a unit ("m/s^2") nor the digits of a code ("ABC-1234"); both sides of a size ("800x600"),
# and a count after a plural and a lone x ("sunflowers x10"; "and x2" is a name)
_START = r"(?:(?<![\w.^])(?<![A-Z]-)|(?<=\d[x×])|(?<=[A-Za-z]s [x×])|(?<=(?<![\w.])×))"
_END = r"(?!(?![x×]\d)[A-Za-z]+\d)"  # nor the first digits of a code of digits, letters, digits ("7TRB219")
NUMBER_RE = re.compile(
    rf"{_START}-?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?{_END}|{_START}-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?{_END}"
)


# a date, ISO or with dots or slashes: "2023.10.2"; also before a time ("2023-10-02T14:30")
DATE_RE = re.compile(r"\b\d{4}([-./])\d{1,2}\1\d{1,2}(?:\b|(?=T\d))")


def numbers_in(text: str) -> list[float | int]:
    """The numbers a text writes: digits (with thousands separators), a percentage also as a fraction,
    and number words; none of a date's ("on 2027-01-04" counts no 2027 minutes)."""
    text = DATE_RE.sub(lambda m: " " * len(m.group(0)), text)
    found = [v for m in NUMBER_RE.finditer(text) for v in values_of(m, text)]
    found += [v for w in WORD_RE.findall(text) if (v := word_number(w)) is not None]
    return list(dict.fromkeys(found))


def word_number(word: str) -> float | int | None:
    """The number a word writes ("five", "dozen"), tens and units joined by a hyphen too ("twenty-five"),
    also before a hyphen and a word ("five-day"); None for any other word."""
    parts = word.lower().split("-")
    if (
        len(parts) == 2
        and WORD_NUMBERS.get(parts[0], 0) in range(20, 100, 10)
        and WORD_NUMBERS.get(parts[1], 0) in range(1, 10)
    ):
        return WORD_NUMBERS[parts[0]] + WORD_NUMBERS[parts[1]]
    if len(parts) > 1 and parts[-1] not in WORD_NUMBERS and parts[0] not in _IDIOMS:
        return word_number("-".join(parts[:-1]))  # "a five-day forecast", "twenty-sided dice"
    return WORD_NUMBERS.get(word.lower())


_IDIOMS = frozenset("zero one half quarter twice double triple".split())  # "one-way", "double-check": no count


PERCENT_RE = re.compile(r"%| percent")
CURRENCY = r"[$€£¥]"  # a sign written before an amount
# a scale written after a number: "$1.2M", "10k", "3 billion"
SCALE_RE = re.compile(r"(?:(k|K|M|B|bn)|\s(thousand|million|billion|trillion))\b")
_SCALES = {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "B": 1e9, "bn": 1e9, "billion": 1e9,
           "trillion": 1e12}  # fmt: skip


def values_of(match: re.Match, text: str) -> list[float | int]:
    """The values one number written in `text` stands for: itself (times its scale: "$1.2M" is
    1200000; "300K" with no currency sign is also 300, as kelvins), and a percentage also as a fraction."""
    value = float(match.group(0).replace(",", ""))
    number = int(value) if value.is_integer() and "." not in match.group(0) else value
    scale = SCALE_RE.match(text, match.end())
    if scale:
        scaled = value * _SCALES[scale.group(1) or scale.group(2)]
        scaled = int(round(scaled)) if abs(scaled - round(scaled)) < 1e-6 else scaled
        kelvin = scale.group(1) == "K" and not re.search(rf"{CURRENCY}\s*$", text[: match.start()])
        return [scaled, number] if kelvin else [scaled]
    return [number, value / 100] if PERCENT_RE.match(text, match.end()) else [number]


# a count of times said in words ("ten times", "twice"): a value, where "two sides" may be none
_REPEATS = re.compile(rf"\b(?:twice|thrice|(?:{'|'.join(WORD_NUMBERS)})\s+times)\b", re.IGNORECASE)


def repeats_in(text: str) -> int:
    """How many counts of times the text says in words ("Ping it ten times", "woke up twice")."""
    return len(_REPEATS.findall(text))


def how_many_numbers(text: str) -> int:
    """How many numbers the text writes, in digits or in words ("5% of 13,289" and "two" are three)."""
    return len(NUMBER_RE.findall(text)) + sum(word_number(w) is not None for w in WORD_RE.findall(text))


def written_numbers(text: str) -> Counter:
    """How often the text writes each number (as `json.dumps` of its values: 5 and 5.0 alike)."""
    return Counter(json.dumps(v) for m in NUMBER_RE.finditer(text) for v in values_of(m, text))
