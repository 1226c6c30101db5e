"""A Python function's tool schema, from its type hints and docstring: transformers' `get_json_schema`
reads most of it; dates and times get their JSON Schema `format`, a NumPy-style or reST docstring is
read as a Google-style one (docstring-parser), and a pydantic model or dataclass parameter gets the
schema pydantic gives it. `execution.typed_arguments` turns the JSON values back into those types."""

from __future__ import annotations

import dataclasses
import datetime
import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any

from transformers.utils import get_json_schema

# the JSON Schema `format` of a date or time annotation, which transformers' schema builder lacks
_TIME_FORMATS = {datetime.date: "date", datetime.datetime: "date-time", datetime.time: "time"}


def function_schema(fn: Callable[..., Any]) -> dict:
    """The `{"name", "description", "parameters"}` of a function: transformers' `get_json_schema`, with
    `datetime.date`, `datetime.datetime` and `datetime.time` parameters (also optional ones) as
    strings of their `format`, pydantic models and dataclasses as the objects pydantic describes, a
    NumPy-style or reST docstring read as a Google-style one (`_google_docstring`), and a number,
    string or boolean default as the parameter's `default` (`test_size: float = 0.2`), which
    transformers leaves out."""
    schema = _described_schema(fn)
    try:
        defaults = inspect.signature(fn).parameters.items()
    except (TypeError, ValueError):  # a builtin without a signature: nothing to add
        return schema
    props = schema.get("parameters", {}).get("properties", {})
    for name, p in defaults:
        if (
            name in props
            and isinstance(p.default, (bool, int, float, str))
            and p.default is not inspect.Parameter.empty
        ):
            props[name].setdefault("default", p.default)
    return schema


def _described_schema(fn: Callable[..., Any]) -> dict:
    """`function_schema` but the defaults."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - unresolvable annotations: transformers says what is wrong
        return get_json_schema(fn)["function"]
    hints.pop("return", None)
    timed = {n: f for n, h in hints.items() if (f := _time_format(h))}
    modeled = [n for n, h in hints.items() if _holds_model(h)]
    doc = _every_parameter_described(_google_docstring(fn.__doc__), list(hints))
    if not (timed or modeled or doc != fn.__doc__) or not isinstance(fn, types.FunctionType):
        return get_json_schema(fn)["function"]
    # transformers reads a copy of the function whose dates are strings and whose models are dicts
    shim = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    shim.__doc__, shim.__kwdefaults__ = doc, fn.__kwdefaults__
    shim.__annotations__ = {n: (str if n in timed else dict if n in modeled else h) for n, h in hints.items()}
    schema = get_json_schema(shim)["function"]
    props = schema["parameters"]["properties"]
    for name, fmt in timed.items():
        props[name]["format"] = fmt
    for prop in props.values():  # a parameter the docstring leaves undescribed has no description
        if prop.get("description") == _UNDESCRIBED:
            del prop["description"]
    if schema.get("description") == _UNDESCRIBED:
        del schema["description"]
    for name in modeled:
        described = {"description": props[name]["description"]} if "description" in props[name] else {}
        props[name] = {**_pydantic_schema(name, hints[name]), **described}
    return schema


def _time_format(hint: Any) -> str | None:
    """ "date" for `datetime.date` or `datetime.date | None`, and so on; None for other hints."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _TIME_FORMATS.get(args[0]) if len(args) == 1 else None
    return _TIME_FORMATS.get(hint)


def _holds_model(hint: Any) -> bool:
    """Whether a hint is or holds a pydantic model, a dataclass or a TypedDict (`list[Item]`,
    `Address | None`), which transformers' schema builder refuses."""
    if isinstance(hint, type) and (
        hasattr(hint, "model_json_schema") or dataclasses.is_dataclass(hint) or typing.is_typeddict(hint)
    ):
        return True
    return any(_holds_model(a) for a in typing.get_args(hint))


def _pydantic_schema(name: str, hint: Any) -> dict:
    """The JSON schema pydantic gives a hint, its `$defs` put in place of their refs and its titles
    dropped (they repeat the names); `ValueError` for a model that holds itself."""
    from pydantic import TypeAdapter  # only a tool with such a parameter needs it

    try:
        schema = TypeAdapter(hint).json_schema()
    except Exception as e:  # noqa: BLE001 - pydantic's own words say which type it cannot describe
        raise ValueError(f"parameter {name!r}: {str(e).splitlines()[0]}") from None
    return _inlined(schema, schema.pop("$defs", {}), name, ())


def _inlined(node: Any, defs: dict, name: str, seen: tuple[str, ...]) -> Any:
    """`node` with every `{"$ref": "#/$defs/X"}` replaced by X and every `title` dropped."""
    if isinstance(node, list):
        return [_inlined(v, defs, name, seen) for v in node]
    if not isinstance(node, dict):
        return node
    if isinstance(ref := node.get("$ref"), str) and ref.startswith("#/$defs/"):
        key = ref.removeprefix("#/$defs/")
        if key in seen or key not in defs:
            raise ValueError(f"parameter {name!r}: the model {key} holds itself, which a tool schema cannot say")
        return _inlined(defs[key], defs, name, (*seen, key))
    return {k: _inlined(v, defs, name, seen) for k, v in node.items() if k != "title"}


def _google_docstring(doc: str | None) -> str | None:
    """`doc` as the Google-style docstring transformers reads (`Args:` and one line per parameter),
    where it documents its parameters another way (NumPy's `Parameters` section, reST's `:param x:`,
    as `docstring_parser` reads them); otherwise `doc` itself."""
    if not doc or re.search(r"^\s*Args:\s*$", doc, re.MULTILINE):
        return doc
    import docstring_parser  # only a function documented another way needs it

    parsed = docstring_parser.parse(doc)
    if not parsed.params:
        return doc
    described = [(p.arg_name, " ".join((p.description or "").split())) for p in parsed.params]
    about = "\n\n".join(d for d in (parsed.short_description, parsed.long_description) if d)
    return about + "\n\nArgs:\n" + "".join(f"    {name}: {text}\n" for name, text in described)


# what transformers is given for a parameter (or summary) the docstring does not describe, and then
# taken out again: its schema builder refuses such a function, and users often document only some
_UNDESCRIBED = "(undescribed)"


def _every_parameter_described(doc: str | None, names: list[str]) -> str | None:
    """`doc` as a Google-style docstring with a line for every parameter in `names`, those it does not
    describe marked `_UNDESCRIBED`; `doc` itself where it describes them all, or where there is none."""
    if not doc or not doc.strip():
        return doc  # no docstring: a helper, no tool
    if all(re.search(rf"^\s+{re.escape(n)}\s*(?:\([^)]*\))?:\s*\S", doc, re.MULTILINE) for n in names):
        return doc  # each parameter has its "name: ..." line: no parser needed (start-up)
    import docstring_parser  # only a function left partly undocumented needs it

    parsed = docstring_parser.parse(doc)
    described = {p.arg_name: " ".join(p.description.split()) for p in parsed.params if p.description}
    if all(n in described for n in names):
        return doc
    about = "\n\n".join(d for d in (parsed.short_description, parsed.long_description) if d) or _UNDESCRIBED
    lines = "".join(f"    {n}: {described.get(n, _UNDESCRIBED)}\n" for n in names)
    return f"{about}\n\nArgs:\n{lines}" if names else about
