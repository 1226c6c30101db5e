"""Running a tool on validated arguments under time and size limits, and the trace of a call."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from .arguments import ToolError, parse_arguments
from .tools import Tool


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
