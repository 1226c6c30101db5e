"""Choices a parameter's description lists in words instead of an `enum`: "One of travel, meals or
supplies.", "Either 'metric' or 'imperial'.", "Possible values are male or female.". Such a
parameter draws its values from them in synthesis and copies one of them like an enum's, so a
docstring's list is kept as well as a schema's (a tool that checks its value otherwise refuses every
drawn word and gets no demonstration). A description that is nothing but a list, which may name a
kind of value too ("today, tomorrow or a date."), is an open list: `free_strings.listed_choices`.
Digits a description asks for in words ("The last four digits of the card.") are a `pattern` the same
way (`with_described_digits`)."""

from __future__ import annotations

import re

from .enumerations import SEPARATOR
from .literals import literal_kind
from .values import QUOTED_RE

# what opens a closed list of choices, up to the end of its sentence
_OPENER = re.compile(
    r"\b(?:one of|either|can be|must be|options are|(?:possible|allowed|valid) values(?: are| include)?)"
    r"\s*:?\s+(?:either\s+)?(.+?)(?:[.;](?:\s|$)|$)",
    re.IGNORECASE,
)
_OPEN_LIST = re.compile(r"\b(?:etc|such as|e\.g|for example|like|any|and so on)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:a|an|the|any|some)\b", re.IGNORECASE)
MAX_CHOICE_WORDS = 2  # "vice president" is a choice, "ignored if no preference" a remark


def closed_choices(schema: object) -> list[str]:
    """The choices a free string parameter's description lists as a closed list (two or more, quoted or
    one or two words each, no "etc." or "such as"), else []. Quoted choices may each be explained
    ("'asc' for ascending order, or 'desc' for descending order"), or listed with no opening words
    (`_quoted_list`: '"Orion", "Vega" or "Atlas"')."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string":
        return []
    if any(k in schema for k in ("enum", "const", "format", "pattern")):
        return []
    m = _OPENER.search(str(schema.get("description", "")))
    if m is None:
        return _quoted_list(str(schema.get("description", "")))
    if _OPEN_LIST.search(m.group(1)):
        return []
    quoted = [a or b for a, b in QUOTED_RE.findall(m.group(1))]
    if quoted:
        return quoted if len(quoted) >= 2 else []
    items = [i.strip() for i in SEPARATOR.split(m.group(1).strip())]
    if len(items) < 2 or not all(i and len(i.split()) <= MAX_CHOICE_WORDS and not _ARTICLE.match(i) for i in items):
        return []
    return items


# what may stand between the items of a list of quoted names: a comma, "or", a remark in parentheses
_BETWEEN = re.compile(r"\s*(?:\([^()]*\)\s*)?(,\s*or|,|or)\s*")


_LAYOUT = re.compile(r"\b(?:format|formatted|form|layout|pattern|like)\b", re.I)  # "in the format 'City, State'"


def _quoted_list(description: str) -> list[str]:
    """The names a sentence lists quoted, two or more, the last after "or", nothing but commas and
    remarks in parentheses between them, with no "e.g." or "such as" ('Meeting room: "Orion" (6
    seats), "Vega" (12 seats) or "Atlas" (20 seats).'), nor a layout ("in the format 'City, State'");
    else []."""
    if _OPEN_LIST.search(description):
        return []
    for sentence in re.split(r"(?<=[.;])\s+", description):
        found = list(QUOTED_RE.finditer(sentence))
        if len(found) < 2:
            continue
        joins = [_BETWEEN.fullmatch(sentence[a.end() : b.start()]) for a, b in zip(found, found[1:])]
        items = [a or b for a, b in (f.groups() for f in found)]
        listed = all(joins) and "or" in joins[-1].group(1) and all("," not in i for i in items)
        if listed and not _LAYOUT.search(sentence):
            return items
    return []


# a value of letters and digits both ("capital letters and digits", "alphanumeric"): no digits-only pattern
_MIXED = re.compile(
    r"\bletters?\s+(?:and|or|&)\s+(?:[\w-]+\s+)?digits|\bdigits\s+(?:and|or|&)\s+(?:[\w-]+\s+)?letters|alphanumeric",
    re.I,
)
_COUNTS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)}
# "the last four digits", "a 6-digit code", "digits only": what a string of digits is written as
_DIGITS = re.compile(rf"\b(?:(?P<n>\d{{1,2}}|{'|'.join(_COUNTS)})[- ])?digits?\b", re.IGNORECASE)


# digits after something else of the value: 'format "BK-" plus 4 digits', "a letter followed by 5 digits"
_PREFIXED = re.compile(r"\b(?:plus|followed\s+by|then|after)\s+$", re.IGNORECASE)
_QUOTED_PREFIX = re.compile(r"[\"']([A-Za-z]{1,5}[-_]?)[\"']\s+(?:plus|followed\s+by|then)\s+$", re.IGNORECASE)


# a format shown with a letter or sign standing for each digit after a prefix: "format FH-NNNNNN", "RX-#####"
_PLACEHOLDERS = re.compile(
    r"\bformat(?:ted)?(?:\s+(?:as|like|is))?[,:]?\s+[\"']?(?P<prefix>[A-Z]{1,5}[-_]?)(?P<digits>N{2,}|#{2,}|9{2,})[\"']?(?![\w-])"
)


def with_described_digits(name: str, schema: object) -> object:
    """`schema` with the `pattern` its description says in words, for a free string of digits ("The last
    four digits of the card number.": four digits, "^[0-9]{4}$"; "Account number, digits only": any
    run; 'format "BK-" plus 4 digits' and "format BK-NNNN": "^BK-[0-9]{4}$"), so that it draws and
    copies digits, never "chair"; a phone number or postal code is read as itself
    (`literals.literal_kind`)."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or literal_kind(name, schema):
        return schema
    if any(k in schema for k in ("enum", "const", "format", "pattern")):
        return schema
    description = str(schema.get("description", ""))
    if shown := _PLACEHOLDERS.search(description):  # "format FH-NNNNNN": "^FH-[0-9]{6}$"
        return {**schema, "pattern": f"^{shown['prefix']}[0-9]{{{len(shown['digits'])}}}$"}
    if not (m := _DIGITS.search(description)) or _MIXED.search(description):
        return schema  # "capital letters and digits": not digits only
    n = m["n"] and (int(m["n"]) if m["n"].isdigit() else _COUNTS[m["n"].lower()])
    digits = f"[0-9]{{{n}}}" if n else "[0-9]+"
    if _PREFIXED.search(before := description[: m.start()]):  # the digits are only the value's end
        prefix = _QUOTED_PREFIX.search(before)  # 'format "BK-" plus 4 digits': "^BK-[0-9]{4}$"
        return {**schema, "pattern": f"^{prefix[1]}{digits}$"} if prefix else schema
    return {**schema, "pattern": f"^{digits}$"}


# a number's range said in its description after a comma, a colon, "from" or "between": "Floor
# number, 1 to 3.", "Rating from 1 to 5", "between 2 and 6"; not "Number of children (3-15)", their ages
_RANGE = re.compile(
    r"(?:[,:]\s*|\b(?:from|between|range(?:\s+of)?)\s+)(-?\d+(?:\.\d+)?)\s*(to|-|–|and)\s*(-?\d+(?:\.\d+)?)"
    r"(?![\w:/-]|\.\d)",
    re.I,
)


def with_described_range(schema: object) -> object:
    """`schema` with the bounds its description says in words, for a number without them ("Floor
    number, 1 to 3."; a range that runs upwards), so that it draws and copies only numbers in it."""
    if not isinstance(schema, dict) or schema.get("type") not in ("number", "integer"):
        return schema
    if any(k in schema for k in ("enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
        return schema
    m = _RANGE.search(str(schema.get("description", "")))
    if not m or float(m[1]) >= float(m[3]) or (m[2].lower() == "and" and "between" not in m[0].lower()):
        return schema
    low, high = (float(v) if schema["type"] == "number" else int(float(v)) for v in (m[1], m[3]))
    return {**schema, "minimum": low, "maximum": high}


def as_described(name: str, schema: object) -> object:
    """`schema` with what its description says in words: the digits a string is written in
    (`with_described_digits`) and a number's range (`with_described_range`)."""
    return with_described_range(with_described_digits(name, schema))
