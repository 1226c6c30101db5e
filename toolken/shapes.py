"""Values shaped like a description's examples: "The repository as owner/name, such as torvalds/linux"
takes a word, a slash and a word; "a version such as v1.2.0" a letter and three numbers between dots.
A parameter whose examples all have such a shape (a slash, dot, colon, "@" or "#" between runs of
letters or digits, no space) draws values of that shape in synthesis and copies spans of that shape
from a question; so does one whose description spells a layout in placeholder words and gives no
example ("Repository as owner/name.": `described_layouts`)."""

from __future__ import annotations

import random
import re
import string

from .literals import literal_kind

# the marks that make a shape: "-" and "_" join words ("round-trip", "primary_db_server"), "+" terms
SHAPE_MARKS = frozenset("/.:@#")
_TOKEN = re.compile(r"[A-Za-z]+|\d+|[^A-Za-z\d\s]")
_BEFORE, _AFTER = r"(?<![\w/.:@#-])", r"(?![\w/@#-]|[.:]\w)"  # a colon or full stop may end the sentence
# a code of capitals and digits joined by "-" or "_": "ORD-1042", "INV_2024_07" (not "round-trip")
_CODE = re.compile(r"(?=[\w-]*\d)(?=[\w-]*[A-Z])[A-Z\d]+(?:[-_][A-Z\d]+)+")
# an identifier of letters and digits, mixed ("1Z999AA10123456784", "PRJ123"): any such run of five or more
_SERIAL = re.compile(r"(?=[A-Za-z\d]*\d)(?=[A-Za-z\d]*[A-Za-z])[A-Za-z\d]{5,}")
# a code of capitals, a space and digits ("LH 400", "CS 101"), which people also write unspaced ("LH400")
_SPACED = re.compile(r"[A-Z]{2,3} \d{1,5}")
_UNSPACED = re.compile(r"[A-Z]{2,3}\d{1,5}")  # and such a code written unspaced ("LH400"), which people also space
# a short code of a capital or two and a number, or a number and a capital: a bin "A3", a cell "B12", a seat "14C"
_CELL = re.compile(r"[A-Z]{1,2}\d{1,3}|\d{1,3}[A-Z]")
# a number in parts, six digits or more in all: an order number "112-4455" (not a range "10-20", a date)
_NUMERIC_CODE = re.compile(r"(?=(?:\d-?){6})\d{3,}(?:-\d{3,})+")  # parts of three digits or more: no date
# a long number in three groups or more, ten digits or more in all: an ISBN "978-0-14-118776-1" (a date has eight)
_GROUPED = re.compile(r"(?=(?:\d-?){10})\d+(?:-\d+){2,}")
# a span of years, such as a season ("2023-24", "2023/2024"); no date
# a lower-case name and a number joined by "-": a server "web-01", a region "us-east-1" (not "round-trip")
_NAME_NUMBER = re.compile(r"[a-z]+(?:-[a-z]+)*-\d+")
_YEARS = re.compile(r"(?:19|20)\d\d[-/](?:\d\d|(?:19|20)\d\d)")
# a date or time layout ("YYYY-MM-DDTHH:MM:SS", "2023-04"): dates.py reads those; not a code's year ("PF-2025-00831")
_LAYOUT = re.compile(r"YYYY|HH|(?<![\w-])\d{4}-\d\d(?!\d)")
# a lower-case word and a measure in a unit of letters: a paper "glossy 170gsm", a bottle "still 750ml"
_MEASURED = re.compile(r"[a-z]+ \d+([a-z]{1,4})")
# a name ending in a number: "Biology 101", "Terminal 2", "Gate 4B", "Sprint 14"
NUMBERED = re.compile(r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)* \d+[A-Za-z]?")


# a layout a description spells in placeholder words ("as owner/name", "in Area/Location format"),
# which values take the shape of as an example's ("and/or" is no layout: its words are too short)
_LAYOUT_WORDS = r"[A-Za-z]{3,}(?:/[A-Za-z]{3,})+"
_LAYOUT_CUE = re.compile(
    rf"\b(?:as|in the form(?: of)?|of the form|formatted as|format:?)\s+['\"]?({_LAYOUT_WORDS})\b(?!/)"
    rf"|\b({_LAYOUT_WORDS})['\"]?\s+format\b",
    re.IGNORECASE,
)


def described_layouts(schema: object) -> list[str]:
    """The layouts a parameter's description spells in placeholder words ("Repository as owner/name."
    -> ["owner/name"]; "Time zone in Area/Location format" -> ["Area/Location"])."""
    description = str(schema.get("description", "")) if isinstance(schema, dict) else ""
    return list(dict.fromkeys(a or b for a, b in _LAYOUT_CUE.findall(description)))


def shown_shapes(schema: object) -> list[str]:
    """What a parameter's values look like: its description's examples, else the layouts it spells."""
    from .values import described_examples  # which draws shaped values with this module

    return (described_examples(schema) if isinstance(schema, dict) else []) or described_layouts(schema)


def _name(part: str) -> str:
    """A name like `part`: letters, digits, "-" and "_" ("scikit-learn", "web3"), its first character
    a letter where `part`'s is."""
    return r"[A-Za-z][\w-]*" if part[0].isalpha() else r"[A-Za-z0-9][\w-]*"


def required_shape(name: str, schema: object) -> list[str]:
    """The examples of a free string parameter whose value must have their shape, else []: a tool
    that requires one cannot be asked for without one ("such as Europe/Paris", "as owner/name"); a
    date or time layout is no such shape, nor a link's (`literals.literal_kind` reads those)."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or literal_kind(name, schema):
        return []
    if any(k in schema for k in ("enum", "const", "format", "pattern")):
        return []
    examples = shown_shapes(schema)
    return examples if shaped(examples) and not any(_LAYOUT.search(e) for e in examples) else []


def shaped(examples: list[str]) -> bool:
    """Whether every example is a shape: no space, and one of `SHAPE_MARKS` between runs of letters or
    digits ("torvalds/linux", "v1.2.0", "Europe/Paris"; not "Paris", "TX", "3.5", "#general" or "round-trip"),
    or a code (`_CODE`: "ORD-1042", `_CELL`: "A3", `_SPACED`: "LH 400"), serial (`_SERIAL`:
    "1Z999AA10123456784"), number in parts (`_NUMERIC_CODE`: "112-4455"; `_GROUPED`: "978-0-14-118776-1"),
    name and number (`_NAME_NUMBER`: "web-01"), span of years (`_YEARS`: "2023-24") or word and measure
    (`_MEASURED`: "glossy 170gsm")."""
    return bool(examples) and all(_is_shape(e) for e in examples)


def _is_shape(example: str) -> bool:
    tokens = _TOKEN.findall(example)
    return (
        _CODE.fullmatch(example) is not None
        or _CELL.fullmatch(example) is not None
        or _SPACED.fullmatch(example) is not None
        or _SERIAL.fullmatch(example) is not None
        or _YEARS.fullmatch(example) is not None
        or (_NUMERIC_CODE.fullmatch(example) is not None and not _LAYOUT.search(example))
        or _GROUPED.fullmatch(example) is not None
        or _NAME_NUMBER.fullmatch(example) is not None
        or _MEASURED.fullmatch(example) is not None
        or (
            "".join(tokens) == example
            and any(t in SHAPE_MARKS for t in tokens)
            and sum(t.isalnum() for t in tokens) >= 2
            and any(t.isalpha() for t in tokens)  # "3.5" and "12:30" are numbers and times
        )
    )


def shape_pattern(example: str) -> re.Pattern:
    """A pattern of `example`'s shape: its `SHAPE_MARKS` as written, each part between them a run of
    digits if it is one, else a name (`_name`: "hello-world" fits any name); a code's ("ORD-1042") its
    "-" or "_" as written between runs of letters, digits or both, or none between capitals and digits of
    about its length ("7TRB219" for "KLX-482"; "LH 400": capitals, a space or none,
    digits, also for "LH400"); a serial's any run of five letters or digits or more, a digit among them."""
    serial = r"(?=[A-Za-z\d]*\d)[A-Za-z\d]{5,}"
    if _UNSPACED.fullmatch(example):  # "LH 400" is a flight number like "LH400" too
        return re.compile(_BEFORE + rf"(?:[A-Z]{{2,3}} ?\d{{1,5}}|{serial})" + _AFTER)
    if _CELL.fullmatch(example):  # "C7" is a bin like "A3", "9B" a seat like "14C", "c3" a pitch like "B15"
        return re.compile(_BEFORE + rf"(?:{_CELL.pattern}|[a-z]{{1,2}}\d{{1,3}})" + _AFTER)
    if _SERIAL.fullmatch(example):  # "9400111899223817459" is a tracking number like "1Z999AA10123456784"
        return re.compile(_BEFORE + serial + _AFTER)
    if _SPACED.fullmatch(example):
        return re.compile(_BEFORE + r"[A-Z]{2,3} ?\d{1,5}" + _AFTER)
    if _YEARS.fullmatch(example):  # "2015-16" is a season like "2023-24"
        return re.compile(_BEFORE + _YEARS.pattern + _AFTER)
    if _NUMERIC_CODE.fullmatch(example):  # "309-1187" is an order number like "112-4455": as many digits
        return re.compile(_BEFORE + "-".join(rf"\d{{{len(p)}}}" for p in example.split("-")) + _AFTER)
    if _GROUPED.fullmatch(example):  # "978-1-4028-9462-6" is an ISBN like "978-0-14-118776-1": as many digits
        digits = sum(ch.isdigit() for ch in example)
        return re.compile(_BEFORE + rf"(?=(?:\d-?){{{digits - 1}}}\d(?!-?\d))\d+(?:-\d+){{2,}}" + _AFTER)
    if measured := _MEASURED.fullmatch(example):  # "recycled 100gsm" is a paper like "glossy 170gsm"
        return re.compile(_BEFORE + rf"[A-Za-z]+ \d+{re.escape(measured.group(1))}" + _AFTER, re.IGNORECASE)
    if _NAME_NUMBER.fullmatch(example):  # "db-02" is a server like "web-01"
        return re.compile(_BEFORE + _NAME_NUMBER.pattern + _AFTER)
    if _CODE.fullmatch(example):
        parts = re.split("([-_])", example)
        # a part of letters and digits has a digit ("B3X8"), so "first-timers" is no "ESC-B3X8"
        runs = [re.escape(p) if p in "-_" else r"\d+" if p.isdigit() else "[A-Za-z]+" if p.isalpha()
                else r"(?=[A-Za-z]*\d)[A-Za-z\d]+" for p in parts]  # fmt: skip
        # also written without its marks, letters and digits mixed ("7TRB219" is a plate like "KLX-482")
        n = sum(ch.isalnum() for ch in example)
        joined = rf"(?=[A-Za-z\d]*\d)(?=[A-Za-z\d]*[A-Z])[A-Z\d]{{{n - 1},{n + 2}}}"
        return re.compile(_BEFORE + f"(?:{''.join(runs)}|{joined})" + _AFTER)
    parts = re.split(f"([{re.escape(''.join(SHAPE_MARKS))}])", example)
    runs = [re.escape(p) if p in SHAPE_MARKS else r"\d+" if p.isdigit() else _name(p) for p in parts if p]
    return re.compile(_BEFORE + "".join(runs) + _AFTER)


def shaped_in(examples: list[str], text: str) -> list[str]:
    """The spans of `text` shaped like one of `examples`, in order, each once."""
    found = [(m.start(), m.group(0)) for e in examples for m in shape_pattern(e).finditer(text)]
    return list(dict.fromkeys(s for _, s in sorted(found)))


def without_shaped(props: dict, text: str) -> str:
    """`text` with the values shaped like a string parameter's examples blanked out ("on recycled
    100gsm": its number is the paper's, no quantity's)."""
    for schema in props.values():
        free = isinstance(schema, dict) and schema.get("type", "string") == "string" and "enum" not in schema
        if free and shaped(shown := shown_shapes(schema)):
            for span in shaped_in(shown, text):
                text = text.replace(span, " " * len(span))
    return text


def drawn_like(examples: list[str], words: list[str], rng: random.Random, layout: bool = False) -> str:
    """Half the time one of `examples` (never a `layout`'s placeholder words), else one of their shape:
    each word a word of `words`, each run of capitals or of up to 3 letters as many random letters,
    each run of digits as many digits; a span of years as long a span from another year."""
    example = rng.choice(examples)
    if not layout and rng.random() < 0.5:
        return example
    if _YEARS.fullmatch(example):  # a span of years: "2019-20" like "2023-24", never "6048-76"
        first, mark, last = int(example[:4]), example[4], example[5:]
        gap = (int(last) - first) % 10 ** len(last)  # "2023-24": one year
        year = rng.randint(first - 30, first + 1)
        return f"{year}{mark}{str(year + gap)[-len(last) :]}"

    if measured := _MEASURED.fullmatch(example):  # a word and a number, in the example's unit
        return f"{rng.choice(words).lower()} {rng.randint(10, 999)}{measured.group(1)}"

    def fill(token: str) -> str:
        if token.isdigit():
            return "".join(rng.choice(string.digits) for _ in token)
        if token.isupper() or (token.isalpha() and len(token) <= 3):  # "US", "en": codes, not words
            letters = string.ascii_uppercase if token.isupper() else string.ascii_lowercase
            return "".join(rng.choice(letters) for _ in token)
        if token.isalpha():
            return rng.choice(words).capitalize() if token[0].isupper() else rng.choice(words)
        return token

    return "".join(fill(t) for t in _TOKEN.findall(example))


def drawn_numbered(examples: list[str], name: str, rng: random.Random) -> str:
    """A name like `examples`, which all end in a number ("such as Sprint 14"): half the time an
    example's words, else `name` (a value of the parameter's pool), with a number of as many digits."""
    words, number = rng.choice(examples).rsplit(" ", 1)
    digits = len(number.rstrip(string.ascii_letters))
    drawn = str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1))
    return f"{words if rng.random() < 0.5 else name[:1].upper() + name[1:]} {drawn}"
