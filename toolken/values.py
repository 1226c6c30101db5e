"""Argument values for synthesized calls, drawn from each parameter's JSON schema (type, `enum`,
`examples`, `minimum`/`maximum`, `format: date`; names from pools shipped in `resources/synth.json`,
or codes like those a description lists), each with the way a person would write it in a question
(`13,289`, `5%`, `March 3, 2027`)."""

from __future__ import annotations

import json
import random
import re
import string
import warnings
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .dates import date_format, datetime_format, time_format
from .drawn import drawn_date, drawn_host, drawn_moment, drawn_phone, drawn_postcode, drawn_time
from .expressions import drawn_expression, takes_equation, takes_expression
from .literals import literal_kind
from .months import drawn_month, month_format
from .shapes import NUMBERED, described_layouts, drawn_like, drawn_numbered, shaped, shown_shapes
from .tools import Tool, compile_pattern

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
PATTERN_DRAWS = 5  # strings drawn from a pattern, of which the shortest is kept
PATTERN_REPEAT = 5  # an open repeat of a pattern ("+") draws at most this many more than its least


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


def _codes_like(examples: list[str], rng: random.Random) -> str:
    """One of a description's example codes, or half the time a code shaped like one ("TX" -> "QM"),
    so that a head learns the kind of value rather than one value."""
    value = rng.choice(examples)
    if rng.random() < 0.5:
        value = "".join(rng.choice(string.ascii_uppercase if c.isalpha() else string.digits) for c in value)
    return value


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


def _number(schema: dict, rng: random.Random, integer: bool) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    low = low if low is not None else (schema.get("exclusiveMinimum", -1) + 1 if "exclusiveMinimum" in schema else None)
    high = (
        high if high is not None else (schema.get("exclusiveMaximum", 1) - 1 if "exclusiveMaximum" in schema else None)
    )
    scale = rng.choice((10, 100, 1000, 20000))  # everyday sizes, now and then a large one
    low = low if low is not None else (0 if high is None or high > 0 else high - scale)
    high = high if high is not None else low + scale
    if integer:
        return rng.randint(int(low), int(high))
    digits = rng.choice((0, 1, 2))
    value = round(rng.uniform(low, high), digits)
    return int(value) if digits == 0 else value  # "96", not "96.0"


def _spoken_number(value: int | float, name: str, schema: dict, rng: random.Random) -> str:
    """A number as people write it: thousands separators, percent signs for percentages."""
    words = f"{name} {schema.get('description', '')}".lower()
    if "percent" in words:
        return rng.choice((f"{value:g}%", f"{value:g} percent"))
    if isinstance(value, int) and abs(value) >= 1000 and rng.random() < 0.5:
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def ways_of(schema: dict) -> list[dict] | None:
    """The ways a value of several ways may be written (`anyOf` or `oneOf` and no `type`: "a number, or
    'all'"), each with the parameter's own keys (its description) beside it; None for any other schema."""
    ways = schema.get("anyOf") if "anyOf" in schema else schema.get("oneOf")
    if "type" in schema or not isinstance(ways, list):
        return None
    outer = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    return [{**outer, **w} for w in ways if isinstance(w, dict)]


_NUMBER_WORD = re.compile(r"\b(?:numbers?|digits|numeral)\b", re.IGNORECASE)


def draw_value(name: str, schema: dict, rng: random.Random, refused: bool = False) -> tuple[Any, str]:
    """A value for parameter `name` drawn from its schema, and how a question would write it; where its
    tool `refused` the values drawn before, a date and time whose layout only the description names is
    drawn as one, a string the description gives examples of is one of them, and a string that says it
    is a number is one in digits."""
    if "const" in schema:
        return schema["const"], str(schema["const"])
    for key in ("enum", "examples"):
        if schema.get(key):
            value = rng.choice(schema[key])
            return value, str(value)
    if branches := [w for w in ways_of(schema) or () if w.get("type") != "null"]:  # "a number, or 'all'": one way
        return draw_value(name, rng.choice(branches), rng, refused)
    from .choices import as_described, closed_choices  # which read this module's quotes

    if choices := closed_choices(schema):  # "One of travel, meals or supplies."
        value = rng.choice(choices)
        return value, value
    schema = as_described(name, schema)  # "The last four digits of the card": "4821"; "1 to 3" draws 1-3
    kinds = schema.get("type", "string")
    kind = rng.choice([k for k in kinds if k != "null"] or ["string"]) if isinstance(kinds, list) else kinds
    if kind in ("integer", "number", "string") and _names_a_year(name, schema):
        year = rng.randint(*YEARS)  # "in 2016", not "year 6,169"
        return (str(year) if kind == "string" else year), str(year)
    if kind in ("integer", "number"):
        value = _number(schema, rng, kind == "integer")
        return value, _spoken_number(value, name, schema, rng)
    if kind == "boolean":
        value = rng.random() < 0.5
        return value, "yes" if value else "no"
    if kind == "array":
        items = [draw_value(name, schema.get("items", {}), rng) for _ in range(rng.randint(2, 4))]
        return [v for v, _ in items], ", ".join(s for _, s in items[:-1]) + " and " + items[-1][1]
    if kind == "object":
        return _drawn_object(schema, rng)
    return _drawn_string(name, schema, kind, rng, refused)


def _drawn_string(name: str, schema: dict, kind: str, rng: random.Random, refused: bool) -> tuple[Any, str]:
    """`draw_value` of a string (or a value of no type): a date, time, patterned value, expression,
    host, phone number, currency, code or a name from the pools, as the schema describes it."""
    # a date or a time of day is drawn as one however its layout is given ("as YYYY-MM-DD", "HH:MM"), not as "garden"
    if schema.get("format") == "date" or (kind == "string" and date_format(schema)):
        return drawn_date(rng, date_format(schema))
    if schema.get("format") == "date-time" or (refused and kind == "string" and datetime_format(schema)):
        return drawn_moment(rng, datetime_format(schema))
    if (layout := time_format(schema)) and "pattern" not in schema:
        return drawn_time(rng, layout)
    if kind == "string" and (layout := month_format(schema)) and ("pattern" in schema or refused):
        return drawn_month(rng, layout)  # "March 2026" for a "YYYY-MM" pattern, not "8373-19"
    if isinstance(schema.get("pattern"), str):
        value = _patterned(name, schema, rng)
        return value, value
    if takes_expression(name, schema) and not schema.get("pattern"):
        value = drawn_expression(rng, takes_equation(name, schema))  # "Solve 3x + 4 = 19", never "solve bottle"
        return value, value
    if (host := literal_kind(name, schema)) in ("domain", "ip", "host"):
        value = drawn_host(host, schema.get("format"), rng, _shape_words())
        return value, value
    if host in ("phone", "zip"):
        value = drawn_phone(rng) if host == "phone" else drawn_postcode(name, schema, rng)
        return value, value
    from .currencies import drawn_currency, takes_currency  # which reads this module's pools

    if takes_currency(name, schema):
        return drawn_currency(rng)  # "EUR", or "euros" as people write it
    # a parameter its examples show to be a code ("two-letter code, such as TX", not a "letter") takes
    # codes like them; other examples, one or two words drawn in every demonstration, would teach the
    # head to fire on those words ("mitochondria") rather than on a request for the tool
    examples = code_examples(name, schema)
    if refused and examples:  # "e.g. Fe or Na" where "chair" raised: the values known to work
        value = rng.choice(examples)
    elif refused and _NUMBER_WORD.search(f"{name} {schema.get('description', '')}".replace("_", " ")):
        value = str(rng.randint(1, 999))  # "The number as written in its base." where "garden" raised
    elif shaped(examples):  # "owner/name, such as torvalds/linux": "owl/lamp"
        value = drawn_like(examples, _shape_words(), rng)
    elif not examples and shaped(layouts := described_layouts(schema)):  # "as owner/name": "owl/lamp" too
        value = drawn_like(layouts, _shape_words(), rng, layout=True)
    elif examples and all(NUMBERED.fullmatch(e) for e in examples):  # "such as Sprint 14": "Sprint 37"
        value = drawn_numbered(examples, _pooled(name, schema, rng), rng)
    else:
        value = _codes_like(examples, rng) if codes_only(examples) else _pooled(name, schema, rng)
    return value, value


_FULL_NAME = re.compile(r"\b(?:full|first and last|complete) name\b|\bname and surname\b", re.IGNORECASE)


def _pooled(name: str, schema: dict, rng: random.Random) -> str:
    """A name from the parameter's pool (`value_pool`); a person's full name where it asks for one
    ("The colleague's full name": "Anna Kowalski")."""
    value = rng.choice(value_pool(name, schema))
    if pool_name(name, schema) == "person" and _FULL_NAME.search(f"{name} {schema.get('description', '')}"):
        value = f"{value} {rng.choice(resources()['pools']['surname'])}"
    return value


@cache
def _shape_words() -> list[str]:
    """Single words of the shipped pools, in lower case: a shaped value's words, a host name's."""
    pools = resources()["pools"]
    return sorted({w.lower() for p in ("thing", "animal", "color", "food", "word") for w in pools[p] if w.isalpha()})


YEARS = (1950, 2025)  # the calendar years a synthesized question asks about


def _names_a_year(name: str, schema: dict) -> bool:
    """Whether a parameter takes a calendar year: named for one ("year", "start_year"; "years" and
    "flights_per_year" count), with no layout, choices or bounds that a year within `YEARS` could break."""
    words = [w.lower() for w in NAME_WORD.findall(name)]  # "year", "birth_year", "releaseYear"; not "years"
    at = words.index("year") if "year" in words else -1
    if at < 0 or words[at - 1 : at] == ["per"] or any(k in schema for k in ("pattern", "format", "enum", "examples")):
        return False
    low, high = schema.get("minimum"), schema.get("maximum")
    return (low is None or low <= YEARS[0]) and (high is None or high >= YEARS[1])


def _drawn_object(schema: dict, rng: random.Random) -> tuple[dict, str]:
    """An object of its `properties` (the required ones, the others half the time each), written as
    its fields with their names ("name Maria Lopez, phone 555-0134"); `{}` for an object of no fields."""
    props, required = schema.get("properties") or {}, set(schema.get("required", []))
    drawn = {n: draw_value(n, p if isinstance(p, dict) else {}, rng) for n, p in props.items()
             if n in required or rng.random() < 0.5}  # fmt: skip
    spoken = ", ".join(f"{n.replace('_', ' ')} {said}" for n, (_, said) in drawn.items())
    return {n: v for n, (v, _) in drawn.items()}, spoken or "{}"


def _patterned(name: str, schema: dict, rng: random.Random) -> str:
    """A string for a parameter with a `pattern`: a value of its pool the pattern matches; else, where
    its description's examples have a shape the pattern matches ("e.g. PROJ-142"), one of that shape;
    else the shortest of a few strings drawn from the pattern itself (`rstr`: "07:45" for
    `^[0-2][0-9]:[0-5][0-9]$`, an open repeat at most `PATTERN_REPEAT` more times than it must) that RE2
    agrees it matches; else a pool value, which the call's validation then refuses."""
    regex = compile_pattern(schema["pattern"])  # RE2 first: a pattern it refuses is refused here too
    pool = value_pool(name, schema)
    fits = [v for v in pool if regex.search(v)]
    if fits:
        return rng.choice(fits)
    examples = [e for e in described_examples(schema) if regex.search(e)]
    if shaped(examples) and regex.search(drawn := drawn_like(examples, _shape_words(), rng)):
        return drawn
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's parser doubting an RE2 class such as [[:digit:]]
            drawn = [_capped_rstr()(rng).xeger(schema["pattern"]) for _ in range(PATTERN_DRAWS)]
    except (re.error, ValueError, IndexError):  # RE2 syntax Python's parser lacks (\pN)
        drawn = []
    return min((d for d in drawn if regex.search(d)), key=len, default=rng.choice(pool))


@cache
def _capped_rstr() -> type:
    """`rstr`'s `Rstr`, an open repeat ("+", "*", "{2,}") drawn at most `PATTERN_REPEAT` times more
    than its least: a ticket key like "QX-4821", not forty letters and fifty digits (rstr's cap is 100)."""
    import rstr  # only synthesis draws from patterns

    class Capped(rstr.Rstr):
        def _handle_repeat(self, start: int, end: int, value: Any) -> str:
            return super()._handle_repeat(start, min(end, start + PATTERN_REPEAT), value)

    return Capped


def draw_arguments(
    tool: Tool, rng: random.Random, names: set[str] | None = None, refused: bool = False
) -> tuple[dict, dict[str, str]]:
    """Values for the tool's required parameters and, half the time each, its optional ones (or for
    exactly the parameters `names`, those a user's phrasing writes); `refused` as `draw_value`'s."""
    props, required = tool.parameters.get("properties", {}), set(tool.parameters.get("required", []))
    args, spoken = {}, {}
    for name, schema in props.items():
        if name in names if names is not None else (name in required or rng.random() < 0.5):
            args[name], spoken[name] = draw_value(name, schema if isinstance(schema, dict) else {}, rng, refused)
    return args, spoken
