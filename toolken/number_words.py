"""Numbers people say in words, written in digits before a question is read for values: "fifty two"
as 52, "two and a half hours" as "2.5 hours", "an hour and a half" as "1.5 hour", "two hours" as "2
hours", "twenty boxes" as "20 boxes", "half an hour" as "0.5 hour", so that each reads as one number
with its unit or what it counts (`ToolkenModel.copy_text`)."""

from __future__ import annotations

import re
from functools import lru_cache, partial

from .dates import MONTHS
from .numerals import WORD_NUMBERS
from .units import QUANTITIES

# a number of two words or more ("fifty two", "one hundred and five"), in lower case but for a first
# word that opens the text or a sentence; not "Twenty One Pilots"
_CARDINAL = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
             r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
             r"|million|billion)")  # fmt: skip
_MANY_WORDS = re.compile(rf"(?<![\w-])(?i:{_CARDINAL})(?:(?:\s+(?:and\s+)?|-){_CARDINAL})+(?![\w-])")
# a number word right before a unit ("two hours", "five km"); not "one-way", nor "second" as an order
_NOT_COUNTS = {"twice", "thrice", "double", "triple", "dozen"}  # how often or how many, not a measure
_UNITS = sorted({u for units, _ in QUANTITIES.values() for u in units if u.isalpha() and len(u) > 1}, key=len)
_WORD_UNIT = re.compile(
    rf"(?<![\w-])({'|'.join(w for w in WORD_NUMBERS if w.isalpha() and WORD_NUMBERS[w] >= 1 and w not in _NOT_COUNTS)})"
    rf"(\s+(?:{'|'.join(reversed(_UNITS))}))(?![\w-])",
    re.IGNORECASE,
)
# a number word right before what it counts, a plural ("twenty boxes", "three adults"), "of us" ("six of
# us") or a hyphen ("two-tier"); not "one" ("which one", "one of them"), nor a title's ("Seven Samurai")
_WORD_COUNT = re.compile(
    rf"(?<![\w-])({'|'.join(w for w in WORD_NUMBERS if w.isalpha() and WORD_NUMBERS[w] >= 2 and w not in _NOT_COUNTS)})"
    r"(\s+(?:[a-z]{2,}s|people|children|men|women|of\s+(?:us|them|you))\b|-[a-z]{3,})(?![\w-])",
    re.IGNORECASE,
)
# a dozen of what follows ("a dozen shirts", "half a dozen eggs", "two dozen of them"): so many
_DOZEN = re.compile(r"(?<![\w-])(?:(half\s+a)|(an?|\d+|[a-z]+))\s+dozen(?=\s+(?:[a-z]{2,}s|of)\b)", re.I)
# half or a quarter of a unit ("half an hour", "a quarter of an hour", "half a day"): that share of it
_SHARE = re.compile(
    rf"(?<![\w-])(half|a\s+quarter)\s+(?:of\s+)?an?\s+({'|'.join(reversed(_UNITS))})(?![\w-])", re.I
)  # not "quarter of a second", a note's length
# ... and a unit alone ("hour and a half ride on my pass"): one and a half of it
_BARE_PART = re.compile(rf"(?<![\w.,-])({'|'.join(reversed(_UNITS))})\s+and\s+a\s+(half|quarter)(?![\w-])", re.I)
# "two and a half hours", "2 hours and a half", "an hour and a half": a half or a quarter added
_PARTS = {"half": 0.5, "quarter": 0.25}
_AND_PART = re.compile(
    rf"(?<![\w.,-])(\d+(?:\.\d+)?|an?|(?i:{'|'.join(WORD_NUMBERS)}))(\s+[A-Za-z]+)?\s+and\s+a\s+(half|quarter)(?![\w-])"
)
# a day of the month by its spelled order, beside its month ("the twelfth of June", "June twenty-third")
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
             " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()  # fmt: skip
_DAYS = {**{w: i + 1 for i, w in enumerate(_ORDINALS)}, "twentieth": 20, "thirtieth": 30}
_DAYS |= {f"twenty {w}": 21 + i for i, w in enumerate(_ORDINALS[:9])} | {"thirty first": 31}
_DAY_WORD = "|".join(sorted((d.replace(" ", r"[\s-]") for d in _DAYS), key=len, reverse=True))
_MONTH = f"(?:{'|'.join(MONTHS)})"
_SPELLED_DAY = re.compile(
    rf"(?<![\w-])(?P<month>{_MONTH}\s+)?(?P<the>the\s+)?(?P<day>(?i:{_DAY_WORD}))(?![\w-])"
    rf"(?P<of>\s+of\s+{_MONTH}\b)?"
)


def _day(m: re.Match) -> str:
    """A spelled day of the month beside its month in digits ("the twelfth of June": "the 12th of June");
    an order word beside no month stays ("the first thing")."""
    if not (m["month"] or m["of"]):
        return m[0]
    day = _DAYS[re.sub(r"[\s-]+", " ", m["day"].lower())]
    suffix = "th" if day in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{m['month'] or ''}{m['the'] or ''}{day}{suffix}{m['of'] or ''}"


@lru_cache(maxsize=4096)
def with_digits(text: str) -> str:
    """`text` with numbers people spell out written in digits, so that each reads as one number with its
    unit: "fifty two" as 52, "two and a half hours" as "2.5 hours", "an hour and a half" as "1.5 hour",
    "two hours" as "2 hours", "six of us" as "6 of us" (a number word before no unit and no plural stays:
    "one" of "which one" is no count)."""
    text = _SPELLED_DAY.sub(_day, text)  # "the twelfth of June": "the 12th of June"
    text = _MANY_WORDS.sub(partial(_many, text=text), text)
    text = _WORD_UNIT.sub(_counted, text)  # "two hours": "2 hours"
    text = _DOZEN.sub(_dozens, text)  # "a dozen shirts": "12 shirts"
    text = _WORD_COUNT.sub(partial(_count, text=text), text)  # "twenty boxes": "20 boxes"
    text = _AND_PART.sub(_part, text)
    text = _SHARE.sub(lambda m: f"{_PARTS[m[1].split()[-1].lower()]:g} {m[2]}", text)  # "half an hour": "0.5 hour"
    return _BARE_PART.sub(lambda m: f"{1 + _PARTS[m[2].lower()]:g} {m[1]}", text)  # "hour and a half ride"


def _many(m: re.Match, text: str) -> str:
    """A number of several words in digits ("fifty two": 52), but for a name's words."""
    from text_to_num import alpha2digit  # a parser of spelled numbers, loaded on first use

    first, *rest = re.split(r"[\s-]+", m.group(0))
    opens = m.start() == 0 or re.search(r"[.!?]\s*$", text[: m.start()]) is not None
    if any(w[0].isupper() for w in rest) or (first[0].isupper() and not opens):
        return m.group(0)  # a name's words: "Twenty One Pilots", "Catch Twenty Two"
    return alpha2digit(m.group(0), "en")


def _part(m: re.Match) -> str:
    """A number and a half or a quarter as one number ("two and a half hours": "2.5 hours")."""
    whole = m.group(1).lower()
    base = 1 if whole in ("a", "an") else float(whole) if whole[0].isdigit() else WORD_NUMBERS.get(whole)
    if base is None or (m.group(2) is None and whole in ("a", "an")):
        return m.group(0)  # "a and a half" is no number
    return f"{base + _PARTS[m.group(3)]:g}{m.group(2) or ''}"


def _count(m: re.Match, text: str) -> str:
    """A number word and what it counts with the number in digits (`_counted`), but where as many
    numbers follow as it says: then it announces them ("two sides, 4 and 5"; "two charges of 5C and 7C")."""
    listed = len(re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text[m.end() :]))
    return m[0] if listed >= WORD_NUMBERS[m[1].lower()] else _counted(m)


def _counted(m: re.Match) -> str:
    """A number word and its unit with the number in digits, but for a title's ("Seven Seconds")."""
    return m[0] if m[2].strip()[0].isupper() else f"{WORD_NUMBERS[m[1].lower()]}{m[2]}"


def _dozens(m: re.Match) -> str:
    """A dozen's count in digits ("a dozen": 12, "half a dozen": 6, "two dozen": 24); as written where
    the word before "dozen" is no number."""
    if m[1]:
        return "6"
    many = 1 if m[2].lower() in ("a", "an") else int(m[2]) if m[2].isdigit() else WORD_NUMBERS.get(m[2].lower())
    return f"{12 * many:g}" if isinstance(many, int) and many >= 1 else m[0]
