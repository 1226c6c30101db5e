"""Arguments written by the model: parsed without eval (`1, 2`, `a=1, b="x"` or a JSON object),
matched to the tool's parameters, loosely coerced and validated against its JSON schema.

Validation never fetches anything (only refs within the schema resolve) and matches regexes with RE2,
in time linear in the text; the schema is checked again (`check_parameters`) before first use."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema
import referencing.exceptions

from .tools import (
    LOCAL_REFS_ONLY,
    MAX_DEPTH,
    NonLocalRefError,
    Tool,
    check_parameters,
    compile_pattern,
    nesting_exceeds,
    schema_validator_class,
)

MAX_ARGUMENT_CHARS = 10_000  # a model writes a few dozen tokens; longer text is garbage, refuse it cheaply


class ToolError(Exception):
    """A tool call that cannot be parsed, validated or executed; becomes an error in the trace."""


_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')      # quoted string
      | (?P<num>(?>[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))(?=\s*(?:,|\)|$))  # number (atomic: linear)
      | (?P<key>[A-Za-z_]\w*)\s*=(?!=)                     # keyword name
      | (?P<comma>,)
      | (?P<list>\[[^\[\]]*\])(?=\s*(?:,|$))              # a flat JSON list: numbers=[1, 2]
      | (?P<bare>[^,]*[^,\s])(?=\s*(?:,|$))                # anything else up to the next comma
    )""",
    re.VERBOSE,
)


def _unquote(text: str) -> str:
    body = text[1:-1]
    if text[0] == "'":
        body = body.replace('\\"', '"').replace("\\'", "'").replace('"', '\\"')
    try:
        return json.loads(f'"{body}"')
    except json.JSONDecodeError:
        return body


def _number(text: str) -> int | float:
    text = text.replace("_", "")
    value = float(text)
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    return value


def parse_arguments(text: str, tool: Tool) -> dict[str, Any]:
    """Parse model-written argument text (`1, 2`, `a=1, b="x"` or a JSON object) into a dict matched to
    the tool's parameters and validated against its schema. Raises `ToolError` on anything wrong."""
    if not isinstance(text, str):
        raise ToolError(f"arguments must be text, got {type(text).__name__}")
    if len(text) > MAX_ARGUMENT_CHARS:
        raise ToolError(f"arguments are too long ({len(text)} characters, limit {MAX_ARGUMENT_CHARS})")
    text = text.strip()
    if text.startswith("{"):
        try:
            args = json.loads(text)
        except (ValueError, RecursionError) as e:  # also too-deep nesting and over-long integers
            raise ToolError(f"arguments are not valid JSON: {getattr(e, 'msg', e)}") from None
        if not isinstance(args, dict):
            raise ToolError("JSON arguments must be an object")
        if nesting_exceeds(args):
            raise ToolError(f"arguments are nested more than {MAX_DEPTH} deep")
    else:
        args = _split_arguments(text, tool)
    return validate_arguments(tool, args)


def _split_arguments(text: str, tool: Tool) -> dict[str, Any]:
    names = tool.argument_names
    positional: list[Any] = []
    keyword: dict[str, Any] = {}
    pos, key, expect_value = 0, None, True
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.end() == pos:
            raise ToolError(f"cannot parse arguments at {text[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "comma":
            if expect_value:
                raise ToolError("empty argument")
            expect_value = True
            continue
        if kind == "key":
            key = m.group("key")
            continue
        if not expect_value:
            raise ToolError(f"missing comma before {m.group(kind)!r}")
        raw = m.group(kind)
        try:
            value: Any = _unquote(raw) if kind == "str" else _number(raw) if kind == "num" else raw.strip()
            if kind == "list":
                value = json.loads(raw)
        except json.JSONDecodeError as e:
            raise ToolError(f"cannot read list {raw[:40]!r}: {e.msg}") from None
        except ValueError as e:  # an integer with more digits than Python converts
            raise ToolError(f"cannot read number: {e}") from None
        if key is not None:
            if key in keyword:
                raise ToolError(f"argument {key!r} given twice")
            keyword[key], key = value, None
        else:
            positional.append(value)
        expect_value = False
    if key is not None or (expect_value and (positional or keyword)):
        raise ToolError("arguments end too early")
    props = tool.parameters.get("properties", {})
    if len(names) == 1 and props[names[0]].get("type") == "array" and not keyword:
        if len(positional) == 1 and isinstance(positional[0], list):
            return {names[0]: positional[0]}  # add([1, 2, 3])
        return {names[0]: positional}  # a single list parameter takes every positional value: add(1, 2, 3)
    if len(positional) > len(names):
        raise ToolError(f"{tool.name} takes {len(names)} argument(s), got {len(positional)}")
    args = dict(zip(names, positional))
    for k, v in keyword.items():
        if k in args:
            raise ToolError(f"argument {k!r} given twice")
        args[k] = v
    return args


def _coerce(value: Any, schema: dict) -> Any:
    """Loosen the model's typing: "12" for a number, 12 for a string."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if isinstance(value, list) and "array" in kinds:
        return [_coerce(v, schema.get("items", {})) for v in value]
    if isinstance(value, str) and ("number" in kinds or "integer" in kinds):
        try:
            num = _number(value.strip())
        except ValueError:
            return value
        return num if "number" in kinds or isinstance(num, int) else value
    if isinstance(value, float) and "integer" in kinds and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kinds == ["string"]:
        return str(value)
    return value


# ---------------------------------------------------------------- validation with RE2 and local refs


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator, patterns, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        regex = compile_pattern(pattern)
        for k, v in instance.items():
            if regex.search(k):
                yield from validator.descend(v, subschema, path=k, schema_path=pattern)


def _additional_properties(validator, additional, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    regexes = [compile_pattern(p) for p in schema.get("patternProperties", {})]
    extras = [k for k in instance if k not in properties and not any(r.search(k) for r in regexes)]
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield jsonschema.ValidationError(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            shown = ", ".join(repr(each) for each in sorted(extras, key=str))
            was = "was" if len(extras) == 1 else "were"
            yield jsonschema.ValidationError(f"Additional properties are not allowed ({shown} {was} unexpected)")


_RE2_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}


def _is_regex(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    try:
        compile_pattern(instance)
    except ValueError:
        return False
    return True


# only `format: regex` is checked (as before, other formats are annotations), and with RE2
_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("regex")(_is_regex)


@functools.cache
def _re2_validator_class(base: type) -> type:
    return jsonschema.validators.extend(base, _RE2_KEYWORDS)


@functools.lru_cache(maxsize=512)
def _validator(schema_text: str) -> Any:
    """A validator for a parameter schema (given as JSON text, the cache key), checked first."""
    schema = json.loads(schema_text)
    check_parameters(schema)
    cls = _re2_validator_class(schema_validator_class(schema))
    return cls(schema, registry=LOCAL_REFS_ONLY, format_checker=_FORMATS)


def _schema_error(e: BaseException) -> str:
    """The cause of a failed ref lookup, if a refused non-local ref, else the error's message."""
    seen = e
    while seen is not None:
        if isinstance(seen, NonLocalRefError):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return str(e)[:300]


def validate_arguments(tool: Tool, args: dict[str, Any]) -> dict[str, Any]:
    """Coerce loose types and validate `args` against the tool's JSON schema (`ToolError` if invalid,
    or if the schema cannot be applied: a non-local `$ref`, a regex RE2 refuses, too deep nesting)."""
    if nesting_exceeds(args):
        raise ToolError(f"invalid arguments for {tool.name}: nested more than {MAX_DEPTH} deep")
    try:
        validator = _validator(json.dumps(tool.parameters))
    except (ValueError, TypeError, RecursionError) as e:  # changed since the tool was made: checked again
        raise ToolError(f"cannot validate arguments for {tool.name}: {_schema_error(e)}") from None
    props = tool.parameters.get("properties", {})
    args = {k: _coerce(v, props.get(k, {})) for k, v in args.items()}
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(args))
    except RecursionError:  # values nested deeper than the validator can walk
        raise ToolError(f"invalid arguments for {tool.name}: nested too deeply") from None
    except (referencing.exceptions.Unresolvable, ValueError) as e:
        raise ToolError(f"cannot validate arguments for {tool.name}: {_schema_error(e)}") from None
    if error is not None:
        raise ToolError(f"invalid arguments for {tool.name}: {error.message}")
    return args
