"""Argument values for synthesized calls, drawn from each parameter's JSON schema (type, `enum`,
`examples`, `minimum`/`maximum`, `format: date`; names from the pools shipped in
`resources/synth.json`, or codes like those a description lists; `toolken.values` reads what a schema
says), each with the way a person would write it in a question (`13,289`, `5%`, `March 3, 2027`)."""

from __future__ import annotations

import random
import re
import string
import warnings
from functools import cache
from typing import Any

from .choices import as_described, closed_choices
from .currencies import drawn_currency, takes_currency
from .dates import date_format, datetime_format, time_format
from .drawn import drawn_date, drawn_host, drawn_moment, drawn_phone, drawn_postcode, drawn_time
from .expressions import drawn_expression, takes_equation, takes_expression
from .literals import literal_kind
from .months import drawn_month, month_format
from .shapes import NUMBERED, described_layouts, drawn_like, drawn_numbered, shaped
from .tools import Tool, compile_pattern
from .values import NAME_WORD, code_examples, codes_only, described_examples, pool_name, resources, value_pool, ways_of

PATTERN_DRAWS = 5  # strings drawn from a pattern, of which the shortest is kept
PATTERN_REPEAT = 5  # an open repeat of a pattern ("+") draws at most this many more than its least


def _codes_like(examples: list[str], rng: random.Random) -> str:
    """One of a description's example codes, or half the time a code shaped like one ("TX" -> "QM"),
    so that a head learns the kind of value rather than one value."""
    value = rng.choice(examples)
    if rng.random() < 0.5:
        value = "".join(rng.choice(string.ascii_uppercase if c.isalpha() else string.digits) for c in value)
    return value


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
