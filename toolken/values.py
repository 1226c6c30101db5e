"""Argument values for synthesized calls, drawn from each parameter's JSON schema (type, `enum`,
`examples`, `minimum`/`maximum`, `format: date`; names from pools shipped in `resources/synth.json`),
each with the way a person would write it in a question (`13,289`, `5%`, `March 3, 2027`)."""

from __future__ import annotations

import datetime
import json
import random
import re
from functools import cache
from pathlib import Path
from typing import Any

from .tools import Tool

RESOURCES = Path(__file__).with_name("resources") / "synth.json"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@cache
def resources() -> dict:
    """The shipped value pools and no-tool questions (written for toolken, from no test set)."""
    return json.loads(RESOURCES.read_text(encoding="utf-8"))


@cache
def places() -> dict[str, dict]:
    """Well-known cities with their US state or country (`resources/places.json`; a name two places
    share is left out)."""
    return json.loads(RESOURCES.with_name("places.json").read_text(encoding="utf-8"))["places"]


def pool_name(name: str, schema: dict) -> str:
    """Which shipped pool a string parameter draws from, chosen by words of its name and description."""
    words = f"{name} {schema.get('description', '')}".lower().replace("_", " ")
    return next((pool for key, pool in resources()["pool_keys"] if re.search(rf"\b{key}", words)), "thing")


def value_pool(name: str, schema: dict) -> list[str]:
    """The shipped names a string parameter draws from (`pool_name`)."""
    return resources()["pools"][pool_name(name, schema)]


def names_a_thing(name: str, schema: object) -> bool:
    """Whether a parameter's value is the proper name of something (a city, a country, a person...):
    a free string (no enum, format or pattern) whose pool is one of the shipped name pools."""
    free = isinstance(schema, dict) and schema.get("type", "string") == "string"
    free = free and not any(k in schema for k in ("enum", "const", "format", "pattern"))
    return free and pool_name(name, schema) in resources()["name_pools"]


# values a question must write out for a tool to take them: a link or an e-mail address
LITERALS = {
    "url": re.compile(
        r"(?:https?|ftp|wss?|git|ssh)://[^\s'\"<>]+|git@[\w.-]+:[^\s'\"<>]+|www\.[^\s'\"<>]+"
        r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|ai|app|edu|gov|co|uk|de|fr)\b(?:/[^\s'\"<>]*)?",
        re.IGNORECASE,
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
}
_LITERAL_NAMES = {"url": "url", "uri": "url", "link": "url", "href": "url", "endpoint": "url", "email": "email"}
_LITERAL_FORMATS = {"uri": "url", "url": "url", "iri": "url", "uri-reference": "url", "email": "email"}


def literal_kind(name: str, schema: object) -> str | None:
    """ "url" or "email" for a free string parameter that takes a link or an address (by its `format`,
    else the last word of its name: `url`, `image_url`, `baseUrl`), else None."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
        return None
    if schema.get("format") in _LITERAL_FORMATS:
        return _LITERAL_FORMATS[schema["format"]]
    last = re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name)[-1].lower()
    return None if "pattern" in schema or "format" in schema else _LITERAL_NAMES.get(last)


def literals_in(kind: str, text: str) -> list[str]:
    """The links or e-mail addresses (`kind`) that `text` writes, without the punctuation after them."""
    return list(dict.fromkeys(m.group(0).rstrip(".,;:!?)'\"") for m in LITERALS[kind].finditer(text)))


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


def _date(rng: random.Random) -> tuple[str, str]:
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
    spoken = day.isoformat() if rng.random() < 0.4 else f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return day.isoformat(), spoken


def _spoken_number(value: int | float, name: str, schema: dict, rng: random.Random) -> str:
    """A number as people write it: thousands separators, percent signs for percentages."""
    words = f"{name} {schema.get('description', '')}".lower()
    if "percent" in words:
        return rng.choice((f"{value:g}%", f"{value:g} percent"))
    if isinstance(value, int) and abs(value) >= 1000 and rng.random() < 0.5:
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def draw_value(name: str, schema: dict, rng: random.Random) -> tuple[Any, str]:
    """A value for parameter `name` drawn from its schema, and how a question would write it."""
    for key in ("enum", "examples"):
        if schema.get(key):
            value = rng.choice(schema[key])
            return value, str(value)
    kinds = schema.get("type", "string")
    kind = rng.choice([k for k in kinds if k != "null"] or ["string"]) if isinstance(kinds, list) else kinds
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
        return {}, "{}"
    if schema.get("format") == "date":
        return _date(rng)
    value = rng.choice(value_pool(name, schema))
    return value, value


def draw_arguments(tool: Tool, rng: random.Random, names: set[str] | None = None) -> tuple[dict, dict[str, str]]:
    """Values for the tool's required parameters and, half the time each, its optional ones (or for
    exactly the parameters `names`, those a user's phrasing writes)."""
    props, required = tool.parameters.get("properties", {}), set(tool.parameters.get("required", []))
    args, spoken = {}, {}
    for name, schema in props.items():
        if name in names if names is not None else (name in required or rng.random() < 0.5):
            args[name], spoken[name] = draw_value(name, schema if isinstance(schema, dict) else {}, rng)
    return args, spoken
