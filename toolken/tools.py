"""Tools: their specs, from Python functions, OpenAI or MCP JSON. Arguments are parsed in
`toolken.arguments` and tools run in `toolken.execution`.

A parameter schema may come from an untrusted file, so it is checked when the tool is made
(`check_parameters`): nested at most `MAX_DEPTH` deep, every `$ref` local (`#...`, never fetched), every
regex (`pattern`, `patternProperties`) one that RE2 compiles, as validation matches them with RE2, in
time linear in the text (no backreferences or lookarounds)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import re2
import referencing
import referencing.jsonschema

# a name's words: "get" "Stock" "Price", "HTTP" before "Status", digits with their word ("v2", "P17")
_NAME_WORDS = re.compile(r"[A-Z]+\d*(?![a-z])|[A-Z]?[a-z]+\d*|\d+")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")

MAX_DEPTH = 64  # JSON nesting of a parameter schema or of arguments; real tool schemas stay far below
ISOLATIONS = ("process", "thread")
_REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")


def nesting_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and dicts in `value` nest more than `limit` deep (a cycle counts as too deep).
    Iterative: never a `RecursionError`."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a rejected pattern is our ValueError, not a line on stderr


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> Any:
    """Compile a schema regex with RE2 (linear-time matching). Raises `ValueError` for a pattern RE2
    cannot run (backreferences, lookarounds, huge repetitions)."""
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as e:
        message = e.args[0].decode(errors="replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise ValueError(
            f"schema regex {pattern[:80]!r} is not supported ({message}): toolken matches patterns with RE2, "
            "which has no backreferences or lookarounds"
        ) from None


def _refuse_retrieval(uri: str) -> referencing.Resource:
    raise NonLocalRefError(uri)


class NonLocalRefError(ValueError):
    """A schema `$ref` to anything but the schema itself; toolken never fetches one."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"schema $ref {ref[:200]!r} is not local: only refs within the schema ('#...') resolve")
        self.ref = ref


# the registry every tool schema is resolved in: no retriever, so a remote or file ref is an error, never a fetch
LOCAL_REFS_ONLY: referencing.jsonschema.SchemaRegistry = referencing.Registry(retrieve=_refuse_retrieval)


def schema_validator_class(schema: dict) -> type:
    """The jsonschema validator class for `schema` (its `$schema` draft, else 2020-12)."""
    return jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)


def check_parameters(schema: Any) -> None:
    """Check a parameter schema before any validation uses it; `ValueError` says what is wrong.

    Valid under its draft's meta-schema, nested at most `MAX_DEPTH` deep, every `$ref` local and
    resolving, every `pattern` and `patternProperties` key a regex RE2 compiles. Subschemas are walked
    as the validator will: through keywords that hold schemas and through the refs themselves.
    """
    if not isinstance(schema, dict) or schema.get("type", "object") != "object":
        raise ValueError("parameters must be a JSON schema of type 'object'")
    if nesting_exceeds(schema):
        raise ValueError(f"parameter schema is nested more than {MAX_DEPTH} deep")
    cls = schema_validator_class(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        raise ValueError(f"invalid parameter schema: {e.message}") from None
    except RecursionError:
        raise ValueError("parameter schema is nested too deeply") from None
    specification = referencing.jsonschema.specification_with(
        cls.META_SCHEMA.get("$id", cls.META_SCHEMA.get("id", "")).rstrip("#"),
        default=referencing.jsonschema.DRAFT202012,
    )
    root = referencing.Resource.from_contents(schema, default_specification=specification)
    stack = [(LOCAL_REFS_ONLY.resolver_with_root(root), root)]
    seen: set[int] = set()
    uses = set()
    while stack:
        resolver, resource = stack.pop()
        contents = resource.contents
        if not isinstance(contents, dict) or id(contents) in seen:
            continue
        seen.add(id(contents))
        for keyword in _REF_KEYWORDS:
            ref = contents.get(keyword)
            if not isinstance(ref, str):
                continue
            if not ref.startswith("#"):
                raise NonLocalRefError(ref)
            try:
                resolved = resolver.lookup(ref)
            except referencing.exceptions.Unresolvable:
                raise ValueError(f"schema $ref {ref[:200]!r} does not resolve within the schema") from None
            target = referencing.Resource.from_contents(resolved.contents, default_specification=specification)
            stack.append((resolved.resolver, target))
        if isinstance(contents.get("pattern"), str):
            compile_pattern(contents["pattern"])
        if isinstance(contents.get("patternProperties"), dict):
            uses.add("patternProperties")
            for pattern in contents["patternProperties"]:
                compile_pattern(pattern)
        if "unevaluatedProperties" in contents:
            uses.add("unevaluatedProperties")
        stack.extend((resolver.in_subresource(sub), sub) for sub in resource.subresources())
    if len(uses) == 2:  # jsonschema matches patternProperties with Python's `re` when it works these out
        raise ValueError("unevaluatedProperties together with patternProperties is not supported")


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
    # how `function` runs (`toolken.execution.execute`): "process" (default) in a forked worker that is
    # killed at the time limit, its output discarded; "thread" in this process, for functions that must
    # share its state: the time limit is then advisory (a hung call is abandoned, never stopped)
    isolation: str = "process"
    # its demonstrations end the answer with its result: so does generation (more calls only from `turns`)
    # (no words written onto it: "9" + ".5"); set from the training demonstrations (`add_demonstrations`)
    closes: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.match(self.name):
            raise ValueError(f"invalid tool name {self.name!r}: use letters, digits, '_', '.', '-'")
        if self.isolation not in ISOLATIONS:
            raise ValueError(f"tool {self.name}: isolation must be one of {', '.join(ISOLATIONS)}")
        try:
            check_parameters(self.parameters)
        except ValueError as e:
            raise ValueError(f"tool {self.name}: {e}") from None

    @property
    def argument_names(self) -> list[str]:
        """Parameter names in declaration order (positional arguments map onto them)."""
        return list(self.parameters.get("properties", {}))

    @property
    def readable_name(self) -> str:
        """The name as words: `title` if set, else `name` split at `_`, `-`, `.` and where its case
        changes ("getStockPrice", "get-stock.price": "get stock price"; "getHTTPStatus": "get HTTP status")."""
        if self.title:
            return self.title.replace("_", " ")
        words = _NAME_WORDS.findall(self.name) or [self.name]
        return " ".join(w if w.isupper() and len(w) > 1 else w.lower() if w[1:].islower() else w for w in words)

    @property
    def signature(self) -> str:
        """`name(arg1, arg2)`: how the tool is shown to the model."""
        return f"{self.name}({', '.join(self.argument_names)})"

    @classmethod
    def from_function(cls, fn: Callable[..., Any], name: str | None = None) -> Tool:
        """Build a tool from a Python function with type hints and a docstring (`signatures.function_schema`)."""
        from .signatures import function_schema  # imports transformers: only for a function's schema

        schema = function_schema(fn)
        parameters = schema.get("parameters", {"type": "object", "properties": {}})
        if parameters.get("properties"):  # a function's defaults say what is optional: all of them, if none is required
            parameters = {**parameters, "required": parameters.get("required", [])}
        return cls(
            name=name or schema["name"],
            description=schema.get("description", ""),
            parameters=parameters,
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
        return cls._from_spec(fn, "parameters", function)

    @classmethod
    def from_mcp(cls, spec: dict, function: Callable[..., Any] | None = None) -> Tool:
        """Build a tool from an MCP tool description `{"name", "description", "inputSchema"}`."""
        if not isinstance(spec, dict) or "name" not in spec:
            raise ValueError("an MCP tool needs a name")
        return cls._from_spec(spec, "inputSchema", function)

    @classmethod
    def _from_spec(cls, spec: dict, schema_key: str, function: Callable[..., Any] | None) -> Tool:
        # OpenAI and MCP differ only in where the schema sits
        empty = {"type": "object", "properties": {}}
        return cls(spec["name"], spec.get("description", ""), spec.get(schema_key) or empty, function)

    def to_dict(self) -> dict:
        """The JSON-serialisable spec (everything but the callable)."""
        return {
            "name": self.name,
            "description": self.description,
            "parameters": self.parameters,
            "demonstrations": self.demonstrations,
            "title": self.title,
            "closes": self.closes,
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
            closes=bool(data.get("closes", False)),
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


def call_line(name: str, arguments: str) -> str:
    """How tool mode shows a call already made in the same turn (in its prompt and its demonstrations),
    so that the next call's arguments are written knowing it: a line `Call: name(arguments)`."""
    return f"\nCall: {name}({arguments.strip()})"


TURN_WORDS = {"and", "also", "then"}  # words that may join the calls of one turn


def in_one_turn(between: str) -> bool:
    """Whether two calls with `between` written between them (after the first's result) are one turn
    of calls: nothing but punctuation, spaces and joining words ("and") between them."""
    return all(w.lower() in TURN_WORDS for w in re.findall(r"\w+", between))
