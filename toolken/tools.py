"""Tools: their specs (from Python functions, OpenAI or MCP JSON), parsing of model-written arguments
without eval, schema validation, and guarded execution (time and size limits)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from transformers.utils import get_json_schema

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
MAX_ARGUMENT_CHARS = 10_000  # a model writes a few dozen tokens; longer text is garbage, refuse it cheaply


class ToolError(Exception):
    """A tool call that cannot be parsed, validated or executed; becomes an error in the trace."""


@dataclass
class Tool:
    """One tool: a name, a description, a JSON schema of its arguments and (optionally) its callable.

    `demonstrations` are example calls shown to the model in tool mode, each a dict
    `{"context": text before the call, "arguments": argument text}`.
    """

    name: str
    description: str
    parameters: dict = field(default_factory=lambda: {"type": "object", "properties": {}})
    function: Callable[..., Any] | None = None
    demonstrations: list[dict] = field(default_factory=list)
    title: str = ""  # human-readable name for the `name` prior when `name` is an id (KAMEL's P17)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.match(self.name):
            raise ValueError(f"invalid tool name {self.name!r}: use letters, digits, '_', '.', '-'")
        if not isinstance(self.parameters, dict) or self.parameters.get("type", "object") != "object":
            raise ValueError(f"tool {self.name}: parameters must be a JSON schema of type 'object'")
        try:
            jsonschema.Draft202012Validator.check_schema(self.parameters)
        except jsonschema.SchemaError as e:
            raise ValueError(f"tool {self.name}: invalid parameter schema: {e.message}") from None

    @property
    def argument_names(self) -> list[str]:
        """Parameter names in declaration order (positional arguments map onto them)."""
        return list(self.parameters.get("properties", {}))

    @property
    def readable_name(self) -> str:
        """The name as words: `title` if set, else `name` with `_` as spaces."""
        return (self.title or self.name).replace("_", " ")

    @property
    def signature(self) -> str:
        """`name(arg1, arg2)`: how the tool is shown to the model."""
        return f"{self.name}({', '.join(self.argument_names)})"

    @classmethod
    def from_function(cls, fn: Callable[..., Any], name: str | None = None) -> Tool:
        """Build a tool from a Python function with type hints and a Google-style docstring."""
        schema = get_json_schema(fn)["function"]
        return cls(
            name=name or schema["name"],
            description=schema.get("description", ""),
            parameters=schema.get("parameters", {"type": "object", "properties": {}}),
            function=fn,
        )

    @classmethod
    def from_openai(cls, spec: dict, function: Callable[..., Any] | None = None) -> Tool:
        """Build a tool from an OpenAI `tools` entry `{"type": "function", "function": {...}}`."""
        if not isinstance(spec, dict):
            raise ValueError(f"an OpenAI tool must be a JSON object, got {type(spec).__name__}")
        fn = spec.get("function", spec)
        if not isinstance(fn, dict) or "name" not in fn:
            raise ValueError("an OpenAI tool needs function.name")
        return cls(
            name=fn["name"],
            description=fn.get("description", ""),
            parameters=fn.get("parameters") or {"type": "object", "properties": {}},
            function=function,
        )

    @classmethod
    def from_mcp(cls, spec: dict, function: Callable[..., Any] | None = None) -> Tool:
        """Build a tool from an MCP tool description `{"name", "description", "inputSchema"}`."""
        if not isinstance(spec, dict) or "name" not in spec:
            raise ValueError("an MCP tool needs a name")
        return cls(
            name=spec["name"],
            description=spec.get("description", ""),
            parameters=spec.get("inputSchema") or {"type": "object", "properties": {}},
            function=function,
        )

    def to_dict(self) -> dict:
        """The JSON-serialisable spec (everything but the callable)."""
        return {
            "name": self.name,
            "description": self.description,
            "parameters": self.parameters,
            "demonstrations": self.demonstrations,
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: dict, function: Callable[..., Any] | None = None) -> Tool:
        """Inverse of `to_dict`."""
        return cls(
            name=data["name"],
            description=data.get("description", ""),
            parameters=data.get("parameters") or {"type": "object", "properties": {}},
            function=function,
            demonstrations=list(data.get("demonstrations", [])),
            title=data.get("title", ""),
        )


def load_tool_specs(data: Any, functions: dict[str, Callable[..., Any]] | None = None) -> list[Tool]:
    """Read a list of OpenAI or MCP tool specs (already parsed JSON), binding callables by name.

    Nothing in the JSON can name code to import or run: callables come only from `functions`.
    """
    if isinstance(data, dict) and "tools" in data:
        data = data["tools"]
    if not isinstance(data, list):
        raise ValueError("a tool file must hold a JSON list of tools (or {'tools': [...]})")
    functions = functions or {}
    tools = []
    for i, spec in enumerate(data):
        if not isinstance(spec, dict):
            raise ValueError(f"tool #{i} is not a JSON object")
        make = Tool.from_mcp if "inputSchema" in spec else Tool.from_openai
        name = spec.get("name") or (spec.get("function") or {}).get("name")
        tools.append(make(spec, functions.get(name)))
    return tools


# ---------------------------------------------------------------- argument parsing (never eval)

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')      # quoted string
      | (?P<num>(?>[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))(?=\s*(?:,|\)|$))  # number (atomic: linear)
      | (?P<key>[A-Za-z_]\w*)\s*=(?!=)                     # keyword name
      | (?P<comma>,)
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


def validate_arguments(tool: Tool, args: dict[str, Any]) -> dict[str, Any]:
    """Coerce loose types and validate `args` against the tool's JSON schema (`ToolError` if invalid)."""
    props = tool.parameters.get("properties", {})
    args = {k: _coerce(v, props.get(k, {})) for k, v in args.items()}
    try:
        jsonschema.validate(args, tool.parameters)
    except jsonschema.ValidationError as e:
        raise ToolError(f"invalid arguments for {tool.name}: {e.message}") from None
    except RecursionError:  # values nested deeper than the validator can walk
        raise ToolError(f"invalid arguments for {tool.name}: nested too deeply") from None
    return args


# ---------------------------------------------------------------- execution


def format_result(value: Any) -> str:
    """Render a tool's return value as the text that replaces the call: numbers to 6 significant
    digits (integers exactly), other values as strings or JSON. Raises only `ToolError`."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ToolError(f"result is not a finite number: {value}")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    try:
        return str(value) if isinstance(value, int) else json.dumps(value, default=str)
    except Exception as e:  # noqa: BLE001 - over-long ints, cycles, deep nesting, a failing __str__
        raise ToolError(f"result cannot be rendered as text: {_describe(e, 200)}") from None


def _describe(e: BaseException, max_chars: int) -> str:
    """The message of an exception (prefixed by its type unless a `ToolError`), cut to `max_chars`,
    even if its `__str__` itself fails."""
    try:
        text = str(e)
    except Exception:  # noqa: BLE001 - a broken __str__ must not escape
        text = "(unprintable)"
    if not isinstance(e, ToolError):
        text = f"{type(e).__name__}: {text}"
    return text if len(text) <= max_chars else text[:max_chars] + "..."


def execute(tool: Tool, args: dict[str, Any], timeout: float = 5.0, max_chars: int = 2000) -> str:
    """Run `tool` on validated `args` in a worker thread with a time limit; return the result text.

    Exceptions, time-outs and results longer than `max_chars` raise `ToolError`. A tool that hangs is
    left behind in a daemon thread (Python cannot kill a thread) and never blocks exit.
    """
    if tool.function is None:
        raise ToolError(f"tool {tool.name} has no function bound to it")
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            # formatting runs here too: rendering a huge or odd value is also under the time limit
            box["text"] = format_result(tool.function(**args))
        except BaseException as e:  # noqa: BLE001 - any failure of user code is an observation
            box["error"] = e

    worker = threading.Thread(target=work, daemon=True, name=f"toolken-{tool.name}")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ToolError(f"{tool.name} timed out after {timeout:g} s")
    if "error" in box:
        e = box["error"]
        verb = ":" if isinstance(e, ToolError) else " raised"
        raise ToolError(f"{tool.name}{verb} {_describe(e, max_chars)}")
    text = box["text"]
    if len(text) > max_chars:
        raise ToolError(f"{tool.name} returned {len(text)} characters (limit {max_chars})")
    return text


@dataclass
class ToolCall:
    """One call in a generation trace."""

    tool: str
    arguments: dict[str, Any] | None
    result: str | None
    error: str | None = None
    argument_text: str = ""

    def to_dict(self) -> dict:
        """JSON form used by `toolken run --json`."""
        return {"tool": self.tool, "arguments": self.arguments, "result": self.result, "error": self.error}


def call_tool(tool: Tool, argument_text: str, timeout: float = 5.0, max_chars: int = 2000) -> ToolCall:
    """Parse, validate and run one model-written call; every failure becomes `ToolCall.error`."""
    try:
        args = parse_arguments(argument_text, tool)
    except ToolError as e:
        return ToolCall(tool.name, None, None, str(e), argument_text)
    try:
        return ToolCall(tool.name, args, execute(tool, args, timeout, max_chars), None, argument_text)
    except ToolError as e:
        return ToolCall(tool.name, args, None, str(e), argument_text)


def check_unique(tools: Sequence[Tool]) -> None:
    """Raise if two tools share a name."""
    seen: set[str] = set()
    for t in tools:
        if t.name in seen:
            raise ValueError(f"duplicate tool name {t.name!r}")
        seen.add(t.name)


def by_name(tools: Iterable[Tool]) -> dict[str, Tool]:
    """Index tools by name."""
    return {t.name: t for t in tools}
