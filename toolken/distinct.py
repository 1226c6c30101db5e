"""One call's parameters kept apart: no two take the same value the question writes once. Applied by
`toolken.grammar` to a schema narrowed by `copying.copy_schema`, as an `anyOf` of the ways to give
the values out, so a call can copy "$1M in 2019 and $1.2M in 2020" into two revenues, or "Chicago,
Illinois" into a city and a state, but never one value into both; and no call takes a number that
calls of other tools earlier in its turn took (`untaken`)."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter

from .numerals import NUMBER_RE, values_of, written_numbers

MAX_ASSIGNMENTS = 256  # ways of giving one call's values out, beyond which none is enforced


def distinct_values(schema: dict, text: str) -> dict:
    """`schema` with `distinct_numbers`, then `distinct_strings`, applied."""
    return distinct_strings(distinct_numbers(schema, text), text)


def distinct_numbers(schema: dict, text: str) -> dict:
    """`schema` (narrowed by `copy_schema` or `next_call_schema`) where no two number parameters of
    one call take the same number unless the text writes it that often: "$1M in 2019 and $1.2M in
    2020" gives each revenue its own. An `anyOf` of the possible assignments, where there are at most
    MAX_ASSIGNMENTS; `schema` itself where fewer than two number parameters have a choice, or more."""
    return _any_of(schema, [v for part in schema.get("anyOf", [schema]) for v in _assignments(part, text)])


def distinct_strings(schema: dict, text: str) -> dict:
    """`schema` where each required string parameter with a single copied candidate (an `enum` of one)
    keeps it and the others may not take that value, nor a span inside it or around it, nor its words
    alone, unless the text writes that value twice ("time": 18:30, so the reminder's text is neither
    "18:30" nor "18 30"); then the first string parameter with several candidates keeps its choice
    and the later ones may not take its value in the same way ("city": Chicago, "state": Illinois,
    never Chicago again). A parameter left with no candidate keeps its own. An `anyOf`, one branch
    per value of the first, where that makes at most MAX_ASSIGNMENTS branches in all; else `schema`
    as it is."""
    parts = schema.get("anyOf", [schema])
    variants = [v for part in parts for v in _string_branches(part, text)]
    return schema if len(variants) > max(MAX_ASSIGNMENTS, len(parts)) else _any_of(schema, variants)


def _any_of(schema: dict, variants: list[dict]) -> dict:
    """The one variant, or `schema` as an `anyOf` of them."""
    if len(variants) == 1:
        return variants[0]
    return {**{k: v for k, v in schema.items() if k != "anyOf"}, "anyOf": variants}


def _string_branches(schema: dict, text: str) -> list[dict]:
    """`schema` once per value of its first string parameter with candidates (see `distinct_strings`)."""
    props = schema.get("properties", {})
    strings = [n for n, p in props.items() if isinstance(p, dict) and p.get("type") == "string" and p.get("enum")]
    if len(strings) < 2:
        return [schema]
    # each required parameter's single candidate binds the others, not only the first parameter's
    singles = [n for n in strings if len(props[n]["enum"]) == 1]
    required = set(schema.get("required", []))
    if taken := _optional_taken(props, [n for n in singles if n in required], required, text):
        props = {n: p for n, p in props.items() if n not in taken}  # "to the Newsletter list": no first name
        schema, strings = {**schema, "properties": props}, [n for n in strings if n not in taken]
        if len(strings) < 2:
            return [schema]
        singles = [n for n in singles if n not in taken]
    if len(singles) > 1 and (binding := [n for n in singles[1:] if n in required]):
        props = _without_singles(props, strings, binding, text)
        schema = {**schema, "properties": props}
    # a parameter with one candidate takes it first: the others give it up ("Dublin" the city's only);
    # where it binds none, the first with several does ("Tom Becker" the candidate, never the interviewer too)
    single = next((n for n in strings if len(props[n]["enum"]) == 1), strings[0])
    several = [n for n in strings if len(props[n]["enum"]) > 1][:1]
    for first in dict.fromkeys([single, *several]):
        if out := _branches(schema, props, strings, first, text):
            return out
    return [schema]  # no value binds another: no branches


def _branches(schema: dict, props: dict, strings: list[str], first: str, text: str) -> list[dict]:
    """`schema` once per value of string parameter `first`, the other `strings` giving that value up
    (an optional one left with none is left out: "Send a reminder for INV-0042." writes no message);
    [] where no value of it binds another."""
    out, bound, required = [], False, set(schema.get("required", []))
    for value in props[first]["enum"]:
        fixed, dropped = {first: {**props[first], "enum": [value]}}, set()
        for name in (n for n in strings if n != first):
            left = [v for v in props[name]["enum"] if not _overlaps(v, value, text)]
            if not left and name not in required:
                dropped.add(name)
            fixed[name] = {**props[name], "enum": left or props[name]["enum"]}
            bound |= fixed[name]["enum"] != props[name]["enum"] or name in dropped
        kept = {n: q for n, q in {**props, **fixed}.items() if n not in dropped}
        out.append({**schema, "properties": kept})
    return out if bound else []


def _optional_taken(props: dict, binding: list[str], required: set[str], text: str) -> set[str]:
    """The optional string parameters all of whose candidates are the value of one of the required
    parameters `binding` (one candidate each, written once), or a run of its words."""
    values = [props[n]["enum"][0] for n in binding]
    return {
        n for n, p in props.items()
        if n not in required and isinstance(p, dict) and p.get("type") == "string" and p.get("enum")
        and all(any(_overlaps(v, value, text) for value in values) for v in p["enum"])
    }  # fmt: skip


def _without_singles(props: dict, strings: list[str], singles: list[str], text: str) -> dict:
    """`props` where the string parameters of `strings` with several candidates give up the values of
    `singles` (parameters with one candidate each, written once), a run of words inside or around
    them, or their words alone ("18 30" for "18:30"), keeping their own where none would be left."""
    props = dict(props)
    for single in singles:
        value = props[single]["enum"][0]
        if not isinstance(value, str) or not value or _times_written(value, text) != 1:
            continue
        words = re.findall(r"\w+", value.lower())

        def binds(v: object, value: str = value, words: list[str] = words) -> bool:
            return (
                isinstance(v, str)
                and bool(v)
                and (_within(v, value) or _within(value, v) or re.findall(r"\w+", v.lower()) == words)
            )

        for name in (n for n in strings if len(props[n]["enum"]) > 1):
            left = [v for v in props[name]["enum"] if not binds(v)]
            props[name] = {**props[name], "enum": left or props[name]["enum"]}
    return props


def _overlaps(value: object, taken: object, text: str) -> bool:
    """Whether `value` is `taken` or a run of words inside or around it, and the text writes `taken`
    once (a value it never writes, an enum's "true" or "false", binds no other parameter)."""
    if not isinstance(value, str) or not isinstance(taken, str) or not value or not taken:
        return False
    if not (_within(value, taken) or _within(taken, value)):
        return False
    return _times_written(taken, text) == 1


def _times_written(value: str, text: str) -> int:
    """How often `text` writes `value` as written; a currency code named only by its names or sign
    ("GBP" in "one British pound") once."""
    from .currencies import currency_pattern  # which reads values.py, as copying does

    written = len(re.findall(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE))
    pattern = currency_pattern(value) if not written and re.fullmatch(r"[A-Z]{3}", value) else None
    return 1 if pattern is not None and pattern.search(text) else written


def _within(part: str, whole: str) -> bool:
    """Whether `part` is `whole` or a run of its words, in any case ("Chicago" in "Chicago, Illinois");
    an e-mail address's user is none ("Tom" in "tom@acme.io")."""
    return re.search(rf"(?<!\w){re.escape(part)}(?![\w@])", whole, re.IGNORECASE) is not None


_LEFT_OUT = object()  # an optional parameter's choice not to be written


def _assignments(schema: dict, text: str) -> list[dict]:
    """`schema` once per way of giving its number parameters with a choice distinct values (see
    `distinct_numbers`), or `[schema]`. An optional parameter may also be left out: then it takes
    no value another one took ("2 years" is the duration, not also the compounding frequency)."""
    props, required = schema.get("properties", {}), set(schema.get("required", []))
    # a parameter left one number takes it too: no other may take it unless the text writes it again
    numeric = [n for n, p in props.items() if isinstance(p, dict) and p.get("type") in ("number", "integer")
               and p.get("enum")]  # fmt: skip
    choices = [props[n]["enum"] + ([] if n in required else [_LEFT_OUT]) for n in numeric]
    ways = math.prod(map(len, choices))
    if len(numeric) < 2 or ways == 1 or ways > 16 * MAX_ASSIGNMENTS:
        return [schema]
    readings = [{json.dumps(v) for v in values_of(m, text)} for m in NUMBER_RE.finditer(text)]
    out = []
    for values in itertools.product(*choices):
        if _fits([json.dumps(v) for v in values if v is not _LEFT_OUT], readings):
            fixed = {n: {**props[n], "enum": [v]} for n, v in zip(numeric, values) if v is not _LEFT_OUT}
            kept = {n: p for n, p in props.items() if n not in numeric or n in fixed}
            out.append({**schema, "properties": {**kept, **fixed}})
    return out if 0 < len(out) <= MAX_ASSIGNMENTS else [schema]


def _fits(used: list[str], readings: list[set[str]]) -> bool:
    """Whether each of the `used` values the text writes can be given a written number of its own, one
    of whose `readings` it is ("30% infill" is 30 or 0.3: one parameter's, never both a percent and a
    layer height); a value the text does not write is free."""
    owner: dict[int, int] = {}  # written number -> the used value it is given to

    def place(i: int, seen: set[int]) -> bool:  # a matching by augmenting paths: a handful of values
        for g, r in enumerate(readings):
            if used[i] in r and g not in seen:
                seen.add(g)
                if g not in owner or place(owner[g], seen):
                    owner[g] = i
                    return True
        return False

    return all(place(i, set()) for i, v in enumerate(used) if any(v in r for r in readings))


def untaken(schema: dict, text: str, taken: list) -> dict:
    """`schema` (narrowed by `copy_schema`) without the numbers that calls of other tools earlier in
    the turn took (`taken`), unless the text writes a number more often than they took it: in "the
    GCD of 96 and 128, and the LCM of 15 and 25" the LCM takes 15 and 25. A parameter left with no
    number keeps its own."""
    used = Counter(json.dumps(v) for v in taken if isinstance(v, (int, float)) and not isinstance(v, bool))
    if not used:
        return schema
    written = written_numbers(text)
    props = dict(schema.get("properties", {}))
    for name, p in props.items():
        if isinstance(p, dict) and p.get("type") in ("number", "integer") and len(p.get("enum") or ()) > 1:
            left = [v for v in p["enum"] if used[json.dumps(v)] < written.get(json.dumps(v), 1)]
            props[name] = {**p, "enum": left} if left else p
    return {**schema, "properties": props}
