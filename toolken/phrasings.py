"""A user's own questions as phrasings for `toolken synth --examples`: each question of a tool becomes a
template by finding the values it writes (an enum value, a number, a date, a name from the shipped
pools or a quoted string) and putting `{parameter}` fields in their place. Questions may also carry
the fields already ("How much is {amount} {from_currency} in {to_currency}?")."""

from __future__ import annotations

import re
from pathlib import Path

from .dates import DATE_RE, SPOKEN_DATE_RE, date_format
from .demonstrations import DataError, read_records
from .enum_names import enum_pattern, named_in
from .numerals import NUMBER_RE
from .questions import fields_of
from .tools import Tool
from .values import value_pool

_NAME_RE = re.compile(r"(?<=[a-z,] )[A-Z][\w'-]*(?: [A-Z][\w'-]*)*")  # a capitalized name inside the sentence
_QUOTED = re.compile(r"(?<!\w)[\"']([^\"'\n]{1,80})[\"'](?!\w)")  # "pepper", 'attention'; not "n's does '"
Span = tuple[int, int]


def _words(name: str, schema: dict) -> str:
    return f"{name.replace('_', ' ')} {schema.get('description', '')}".lower()


def _enum(name: str, schema: dict, question: str) -> Span | None:
    """The first enum value the question names; for a source ("from") parameter the one written right
    after a number ("40 GBP"), for a target ("to") one a value that is not."""
    found = sorted((m for v in named_in(schema["enum"], question) for m in enum_pattern(v).finditer(question)),
                   key=lambda m: m.start())  # fmt: skip
    after_number = [m for m in found if re.search(r"\d\s*$", question[: m.start()])]
    words = f" {_words(name, schema)} "
    if " from " in words or " source " in words:
        found = after_number + found
    elif " to " in words or " target " in words:
        found = [m for m in found if m not in after_number] + found
    return found[0].span() if found else None


def _string(name: str, schema: dict, question: str) -> Span | None:
    """A quoted string, a value after the parameter's own noun ("the letter t"), a name from the
    shipped pools, or a capitalized name."""
    noun = name.lower().split("_")[-1]
    m = re.search(rf"\b{re.escape(noun)}s?\s+([\w'-]+)", question, re.IGNORECASE)
    if m and m.group(1).lower() not in ("is", "of", "in", "to", "for", "and", "the", "a", "an"):
        return m.span(1)
    single = noun in ("letter", "char", "character", "symbol") or schema.get("maxLength") == 1
    quoted = sorted(_QUOTED.finditer(question), key=lambda m: (len(m.group(1)) == 1) != single)
    if quoted:
        return quoted[0].span(1)
    for value in sorted(value_pool(name, schema), key=len, reverse=True):  # "New York" before "York"
        m = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", question)
        if m:
            return m.span()
    m = _NAME_RE.search(question)
    return m.span() if m else None


def _number(name: str, schema: dict, question: str) -> Span | None:
    """The first number written as a percentage for a percent parameter (its sign taken along, as the
    spoken value brings its own), else the first number that is not one."""
    percent = "percent" in _words(name, schema)
    found = [(m, re.match(r"%| percent\b", question[m.end() :])) for m in NUMBER_RE.finditer(question)]
    fits = [(m, unit) for m, unit in found if bool(unit) == percent] or found
    if not fits:
        return None
    m, unit = fits[0]
    return m.start(), m.end() + (unit.end() if unit and percent else 0)


def _found(name: str, schema: dict, question: str) -> Span | None:
    """Where `question` writes a value of this parameter, by its schema."""
    if isinstance(schema.get("enum"), list):
        return _enum(name, schema, question)
    if schema.get("type") in ("number", "integer"):
        return _number(name, schema, question)
    if date_format(schema):
        m = DATE_RE.search(question) or SPOKEN_DATE_RE.search(question)
        return m.span() if m else None
    return _string(name, schema, question) if schema.get("type", "string") == "string" else None


def templatize(question: str, tool: Tool) -> str | None:
    """`question` with each value it writes replaced by its parameter's field, or None when a required
    parameter's value cannot be found in it. Questions that already have fields are kept as written."""
    props = tool.parameters.get("properties", {})
    required = set(tool.parameters.get("required", []))
    if fields_of(question):
        fits = fields_of(question) <= set(props) and required <= fields_of(question)
        return question if fits else None
    text = question.replace("{", "{{").replace("}", "}}")
    masked = text  # the text with the fields found so far blanked out, so that nothing is found twice
    # enums and dates before free strings and numbers: they are the surest finds, and dates hold digits
    for name, schema in sorted(props.items(), key=lambda p: _rank(p[1])):
        span = _found(name, schema if isinstance(schema, dict) else {}, masked)
        if span is not None:
            field = f"{{{name}}}"
            text = f"{text[: span[0]]}{field}{text[span[1] :]}"
            masked = f"{masked[: span[0]]}{chr(0) * len(field)}{masked[span[1] :]}"
    return None if required - fields_of(text) else text


def _rank(schema: object) -> int:
    if not isinstance(schema, dict):
        return 3
    if "enum" in schema or date_format(schema):
        return 0
    return 2 if schema.get("type") in ("number", "integer") else 1


def load_examples(path: str | Path, tools: list[Tool]) -> dict[str, list[str]]:
    """`--examples`: JSON lines {"tool": NAME, "question": TEXT} made into templates, by tool. A record
    naming an unknown tool or in which a required value cannot be found is a clear error."""
    by_name = {t.name: t for t in tools}
    out: dict[str, list[str]] = {}
    for i, r in enumerate(read_records(path)):
        if not isinstance(r, dict) or not isinstance(r.get("tool"), str) or not isinstance(r.get("question"), str):
            raise DataError(f'{path}: record {i}: needs "tool" and "question"')
        if r["tool"] not in by_name:
            raise DataError(f"{path}: record {i}: unknown tool {r['tool']!r}")
        template = templatize(r["question"], by_name[r["tool"]])
        if template is None:
            raise DataError(
                f"{path}: record {i}: cannot find a value for every required parameter of {r['tool']} in "
                f"{r['question']!r} (write them as {{parameter}} fields)"
            )
        out.setdefault(r["tool"], []).append(template)
    return out
