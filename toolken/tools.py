"""Tools: their specs, from Python functions, OpenAI or MCP JSON. Arguments are parsed in
`toolken.arguments` and tools run in `toolken.execution`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from transformers.utils import get_json_schema

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


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
