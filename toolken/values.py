"""What a parameter's JSON schema says it takes, read for synthesis and copying: the pool of names
its words point to (`resources/synth.json`), the examples and codes its description lists, whether
it names a thing, a title or an identifier, and the values a pattern matches in a text.
`toolken.drawing` draws values from these."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

from .literals import literal_kind
from .shapes import shaped, shown_shapes
from .tools import compile_pattern

NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")  # the words of a name: "root_type", "maxResults", "URLPath"

RESOURCES = Path(__file__).with_name("resources") / "synth.json"
# a single quote opens after no letter and closes before none: "Van Gogh's 'Starry Night'" quotes the title
QUOTED_RE = re.compile(r"\"([^\"\n]{1,80})\"|(?<!\w)'([^'\n]{1,80})'(?!\w)")
# where a description lists examples: "The state's two-letter code, such as TX." (up to its sentence's end)
EXAMPLES_RE = re.compile(  # "like ORD-1042" too, but not "would like" or "looks like"
    r"\b(?:e\.g\.?|for example|for instance|such as|(?<!would )(?<!['’]d )(?<!looks )(?<!seems )(?<!act )like\b)"
    r"[,:]?\s*(.+)",
    re.IGNORECASE,
)
# two or more values of one to three words each, listed in brackets: "(Patel, Okafor or Lindqvist)", "(Shah,
# Olsen, Byrne; a "Dr" prefix is fine)"; not "(in kg)"
_ITEM = r"[\w'&-]+(?: [\w'&-]+){0,2}"
_BRACKETED_LIST = re.compile(rf"\(({_ITEM}(?:, {_ITEM})*(?:,? (?:or|and) {_ITEM}|(?:, {_ITEM})))[;)]")
# a format shown by one example with a digit: 'format "BR-1234"', "formatted as PET-0031" (no layout: "YYYY-MM-DD")
FORMAT_RE = re.compile(r"\bformat(?:ted)?(?:\s+(?:as|like))?[,:]?\s+[\"']?([A-Za-z]{0,5}[-_]?\d[\w-]*)[\"']?(?![\w-])")
CODE_RE = re.compile(r"[A-Z0-9]{2,8}")  # a code of capitals and digits: "TX", "AAPL", "SFO"
MAX_EXAMPLE_WORDS = 4  # longer items are sentences that follow the examples, not examples


@cache
def resources() -> dict:
    """The shipped value pools and no-tool questions (written for toolken, from no test set)."""
    return json.loads(RESOURCES.read_text(encoding="utf-8"))


@cache
def places() -> dict[str, dict]:
    """Well-known cities with their US state or country (`resources/places.json`; a name two places
    share is left out)."""
    return json.loads(RESOURCES.with_name("places.json").read_text(encoding="utf-8"))["places"]


def parameter_words(name: str, schema: dict) -> str:
    """A parameter's name and description as lower-case words ("from_unit" -> "from unit ...")."""
    return f"{name} {schema.get('description', '')}".lower().replace("_", " ")


def pool_name(name: str, schema: dict) -> str:
    """Which shipped pool a string parameter draws from: file paths for one that takes a path
    (`literal_kind`), else chosen by words of its name and description."""
    if (kind := literal_kind(name, schema)) in ("path", "domain", "ip", "phone", "email", "url", "secret"):
        return kind
    if kind == "host":
        return "domain"
    return _pool_of(parameter_words(name, schema)) or "thing"


@lru_cache(maxsize=4096)  # asked of the same few parameters' words many times in a run
def _pool_of(words: str) -> str | None:
    """The pool of the first shipped key `words` holds, if any."""
    return next((pool for key, pool in resources()["pool_keys"] if re.search(rf"\b{key}", words)), None)


# the works a title may be of, by words of its parameter: a book's title is "Jane Eyre", not "Team meeting"
_WORKS = (
    ("book", r"\b(?:books?|novels?)\b"),
    ("film", r"\b(?:films?|movies?)\b"),
    ("song", r"\b(?:songs?|tracks?|albums?)\b"),
)


# who makes a work: drawn as people's names ("by Maria Lopez", not "by garden"), while the pool that reads
# them back stays `thing`, as a band's name is no person's ("Maroon 5"; BENCHMARKS.md)
MAKERS = frozenset("artist author composer singer band director writer painter creator performer".split())


# a team or league by the last word of a parameter's name (`home_team`, `league_name`; not `team_size`)
_SPORTS = {"team": "team", "club": "team", "league": "league", "competition": "league", "tournament": "league"}


def value_pool(name: str, schema: dict) -> list[str]:
    """The shipped names a string parameter draws from (`pool_name`); a title of a book, film or song
    from the titles of such works, their maker from people's names, a team or a league from theirs."""
    pool = pool_name(name, schema)
    words = parameter_words(name, schema)
    last = [w.lower() for w in NAME_WORD.findall(name) if w.lower() != "name"]  # "Name of the team": no person's
    if pool in ("thing", "person", "company", "topic") and last and last[-1] in _SPORTS:
        pool = _SPORTS[last[-1]]
    elif pool == "title":
        pool = next((work for work, words_of in _WORKS if re.search(words_of, words)), pool)
    elif pool == "thing" and MAKERS & {w.rstrip("s") for w in words.split()}:
        pool = "person"
    return resources()["pools"][pool]


def described_examples(schema: dict) -> list[str]:
    """The examples a parameter's description lists ("such as TX" -> ["TX"]; "e.g. Xbox, Playstation,
    PC" -> all three; "e.g. 'm' for meters, 'cm' for centimeters" -> the quoted ones), up to the end
    of their sentence; else a list in brackets ("Dentist surname (Patel, Okafor or Lindqvist)"); else
    the one a format shows ('format "BR-1234"')."""
    m = EXAMPLES_RE.search(str(schema.get("description", "")))
    if m is None and (bracketed := _BRACKETED_LIST.search(str(schema.get("description", "")))):
        return [e.strip() for e in re.split(r",|\bor\b|\band\b", bracketed.group(1)) if e.strip()]
    if m is None:
        return FORMAT_RE.findall(str(schema.get("description", "")))[:1]
    listed = re.split(r"(?<=\w)[.;)](?:\s|$)", m.group(1))[0]
    quoted = [a or b for a, b in QUOTED_RE.findall(listed)]  # "e.g. 'm' for meters, 'cm' for centimeters"
    items = quoted or [re.sub(r"\s*\betc$", "", e.strip(" .'\"")) for e in re.split(r",|\bor\b|\band\b", listed)]
    items = [e[:-1] if e.endswith(")") and "(" not in e else e for e in items]  # "(for example a/b)."
    return [e for e in items if e and len(e.split()) <= MAX_EXAMPLE_WORDS]


# codes people are given rather than names, where a description shows no example: a ticker, a promo code
_GIVEN_CODES = (
    (re.compile(r"\btickers?\b"), "AAPL"),
    (re.compile(r"\b(?:(?:promo|discount|coupon|voucher|gift card|referral)\s+codes?|vouchers?)\b"), "SAVE10"),
)


def code_examples(name: str, schema: dict) -> list[str]:
    """`described_examples`, or where the description lists none, the code a ticker or a promo code
    is like ("AAPL", "SAVE10"), so that it takes and draws codes ("SHINE20"), not words ("convertible")."""
    examples = described_examples(schema)
    if examples or schema.get("type", "string") != "string" or any(k in schema for k in ("enum", "pattern", "format")):
        return examples
    words = parameter_words(name, schema)
    return next(([example] for said, example in _GIVEN_CODES if said.search(words)), [])


def codes_only(examples: list[str]) -> bool:
    """Whether every listed example is a code of capitals and digits ("such as TX", "e.g. USD, EUR")."""
    return bool(examples) and all(CODE_RE.fullmatch(e) for e in examples)


def names_a_thing(name: str, schema: object) -> bool:
    """Whether a parameter's value is the proper name of something (a city, a country, a person...):
    a free string (no enum, format or pattern) whose pool is one of the shipped name pools, and whose
    examples, if its description lists any, are names or kinds of thing ("What the person likes, such as
    cooking": no; "The location (e.g., country)": yes)."""
    free = isinstance(schema, dict) and schema.get("type", "string") == "string"
    free = free and not any(k in schema for k in ("enum", "const", "format", "pattern"))
    if not free or pool_name(name, schema) not in resources()["name_pools"]:
        return False
    examples = described_examples(schema)
    named = [e for e in examples if not e[:1].islower() or re.match(r"(?:an?|the)\s", e) or _pool_of(e.lower())]
    return not shaped(shown_shapes(schema)) and (named or not examples)


def takes_title(name: str, schema: object) -> bool:
    """Whether a free string parameter takes the title of a book, film or song, which people capitalise
    or quote ("Is The Hobbit in?"), not a title of their own making (an event's, a job's)."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
        return False
    words = parameter_words(name, schema)
    return pool_name(name, schema) == "title" and any(re.search(of, words) for _, of in _WORKS)


# an identifier as written: a run of letters, digits, "-" and "_" holding a digit ("rs6034464", "DNA123")
_IDENTIFIER = re.compile(r"(?<![\w.,-])(?=[\w-]*\d)[A-Za-z0-9][\w-]{2,}(?![\w-]|[.,]\d)")


_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'"  # around a value as written, never part of it
MAX_PATTERN_WORDS = 4  # a value of a pattern is copied from runs of up to this many words ("+1 415 555 0132")


def patterned_in(schema: dict, text: str, most: int | None = None) -> list[str]:
    """The runs of up to `MAX_PATTERN_WORDS` words of `text` (punctuation around them dropped) that a
    string parameter's `pattern` matches whole ("#FF8800", "14:30"), each whole: not a run inside a
    longer one it matches ("+1 415 555 0132", not "555 0132"); none where more than `most` runs fit
    (a pattern too loose to copy by); only those that start with the sign every described example
    starts with, where the text writes some ("@nasa" for a handle "e.g. @nasa", not "How")."""
    regex, words = compile_pattern(schema["pattern"]), text.split()
    runs = ((i, i + n, " ".join(words[i : i + n]).strip(_EDGE_PUNCTUATION))
            for n in range(1, MAX_PATTERN_WORDS + 1) for i in range(len(words) - n + 1))  # fmt: skip
    # the pronoun "I" fits a pattern of capitals ("^[A-Z]{1,5}$", a ticker) but is no one's code
    fits = [(i, j, run) for i, j, run in runs if run and run != "I" and regex.fullmatch(run)]
    # "e.g. @nasa" where every word fits: a run marked as the examples are is the value, the rest are words
    marks = {e[0] for e in described_examples(schema)}
    mark = marks.pop() if len(marks) == 1 else "a"
    if not mark.isalnum() and any(run[0] == mark for _, _, run in fits):
        fits = [(i, j, run) for i, j, run in fits if run[0] == mark]
    if most is not None and len(fits) > most:
        return []
    inside = {(i, j) for i, j, _ in fits for a, b, _ in fits if a <= i and j <= b and (a, b) != (i, j)}
    return list(dict.fromkeys(run for i, j, run in fits if (i, j) not in inside))


def takes_identifier(name: str, schema: object) -> bool:
    """Whether a free string parameter takes an identifier: the last word of its name is "id"
    (`snp_id`, `orderId`, `id`)."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
        return False
    return re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name)[-1].lower() == "id"


def identifiers_in(text: str) -> list[str]:
    """The identifiers `text` writes (letters and digits with at least one digit, three characters or
    more); numbers with a decimal point or thousands separator are none."""
    return list(dict.fromkeys(m.group(0) for m in _IDENTIFIER.finditer(text)))


def ways_of(schema: dict) -> list[dict] | None:
    """The ways a value of several ways may be written (`anyOf` or `oneOf` and no `type`: "a number, or
    'all'"), each with the parameter's own keys (its description) beside it; None for any other schema."""
    ways = schema.get("anyOf") if "anyOf" in schema else schema.get("oneOf")
    if "type" in schema or not isinstance(ways, list):
        return None
    outer = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    return [{**outer, **w} for w in ways if isinstance(w, dict)]
