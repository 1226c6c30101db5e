"""Running a tool on validated arguments under time and size limits, and the trace of a call.

By default a tool runs in a forked worker process that is killed at the time limit (`execute`)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import json
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import threading
import time
import typing
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .arguments import ToolError, parse_arguments
from .tools import ISOLATIONS, Tool


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


def _adapters(function: Callable[..., Any]) -> dict[str, Any]:
    """`_cached_adapters`, also for a callable that cannot be hashed (built again at each call)."""
    try:
        return _cached_adapters(function)
    except TypeError:  # an unhashable callable object
        return _cached_adapters.__wrapped__(function)


@functools.lru_cache(maxsize=1024)
def _cached_adapters(function: Callable[..., Any]) -> dict[str, Any]:
    """Per annotated parameter of a Python function, a pydantic `TypeAdapter` that turns its JSON value
    into the annotated type (an `Enum` member, a `datetime.date`, a `list[Size]`); none for functions
    without annotations (MCP tools, lambdas) or with types pydantic cannot build."""
    try:
        hints = typing.get_type_hints(function)
    except Exception:  # noqa: BLE001 - unresolvable annotations: the values go in as JSON gives them
        return {}
    from pydantic import TypeAdapter  # only a tool with annotations needs it

    adapters = {}
    for name, hint in hints.items():
        if name != "return" and hint not in (Any, str, int, float, bool):
            with contextlib.suppress(Exception):  # a type pydantic has no schema for is passed as is
                adapters[name] = TypeAdapter(hint)
    return adapters


def typed_arguments(function: Callable[..., Any], args: dict[str, Any]) -> dict[str, Any]:
    """`args` with each value of an annotated parameter converted to its annotation ("small" to
    `Size.SMALL` for `size: Size`; "2026-12-01" to a `date`). Raises `ToolError` naming a value
    that does not convert."""
    adapters, typed = _adapters(function), dict(args)
    for name, adapter in adapters.items():
        if name in typed:
            try:
                typed[name] = adapter.validate_python(typed[name])
            except Exception as e:  # noqa: BLE001 - pydantic's ValidationError, or a failing validator
                raise ToolError(f"argument {name}: {_describe(e, 200)}") from None
    return typed


async def _awaited(awaitable: Any) -> Any:
    """What `awaitable` gives (`asyncio.run` takes a coroutine, not any awaitable)."""
    return await awaitable


def _outcome(function: Callable[..., Any], args: dict[str, Any], max_chars: int) -> tuple[bool, str]:
    """Run `function` and render its result: (True, text) or (False, what went wrong, to follow the
    tool's name). Formatting runs here too, so rendering a huge or odd value is also under the limit."""
    try:
        value = function(**typed_arguments(function, args))
        if inspect.isawaitable(value):  # an `async def` tool: run it to its result on a loop of its own
            value = asyncio.run(_awaited(value))
        text = format_result(value)
    except BaseException as e:  # noqa: BLE001 - any failure of user code is an observation
        verb = ":" if isinstance(e, ToolError) else " raised"
        return False, f"{verb} {_describe(e, max_chars)}"
    if len(text) > max_chars:
        return False, f" returned {len(text)} characters (limit {max_chars})"
    return True, text


# ---------------------------------------------------------------- process isolation (the default)

_GRACE = 0.1  # seconds between SIGTERM and SIGKILL for a tool past its time limit
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def _child(conn: Connection, function: Callable[..., Any], args: dict[str, Any], max_chars: int) -> None:
    """The worker: its own process group (so helpers it starts die with it), no terminal (stdin,
    stdout and stderr are /dev/null: a tool's prints never reach the caller's output), one outcome
    sent back as text, then an immediate exit."""
    try:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives until os._exit
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        conn.send(_outcome(function, args, max_chars))
    except BaseException as e:  # noqa: BLE001 - reported, never raised in a forked copy of the caller
        with contextlib.suppress(BaseException):
            conn.send((False, f" failed in its worker: {_describe(e, max_chars)}"))
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the caller's copied buffers


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _stop(proc: multiprocessing.process.BaseProcess) -> None:
    """End a worker still running past its limit: SIGTERM to its process group, SIGKILL after
    `_GRACE`, then reap it (no zombie, no CPU used afterwards)."""
    if not wait([proc.sentinel], 0):
        _signal_group(proc.pid, signal.SIGTERM)
        wait([proc.sentinel], _GRACE)
        _signal_group(proc.pid, signal.SIGKILL)  # the leader is unreaped, so its group id is not reused
    _reap(proc)


def _reap(proc: multiprocessing.process.BaseProcess) -> None:
    """Join a worker that has exited and release it. Tools that fire in one step run in threads, and
    `Process.start` in one thread polls every live child, so it may reap this one first: wait until
    that thread records the exit code; never fail here (a close that cannot happen leaks one fd)."""
    proc.join()
    for _ in range(100):
        if proc.exitcode is not None:
            break
        time.sleep(0.01)
    with contextlib.suppress(ValueError):
        proc.close()


def _execute_in_process(tool: Tool, args: dict[str, Any], timeout: float | None, max_chars: int) -> str:
    ctx = multiprocessing.get_context("fork")  # the function is inherited, never pickled: closures work
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(writer, tool.function, args, max_chars), name=f"toolken-{tool.name}")
    try:
        proc.start()
    except (OSError, AssertionError) as e:  # out of processes or memory; or inside a daemonic worker
        reader.close()
        writer.close()
        raise ToolError(f"{tool.name} could not start its worker process: {_describe(e, 200)}") from None
    writer.close()
    finished = False
    try:
        with contextlib.suppress(OSError):
            os.setpgid(proc.pid, proc.pid)  # also here: no window where a kill misses the group
        if not reader.poll(timeout):
            raise ToolError(f"{tool.name} timed out after {timeout:g} s")
        try:
            ok, text = reader.recv()
        except (EOFError, OSError):
            proc.join(1.0)
            code = proc.exitcode
            how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited ({code})"
            raise ToolError(f"{tool.name} {how} without returning a result") from None
        finished = wait([proc.sentinel], 1.0) != []  # it exits right after sending
    finally:
        reader.close()
        if finished:
            _reap(proc)
        else:
            _stop(proc)
    if not ok:
        raise ToolError(f"{tool.name}{text}")
    return text


# ---------------------------------------------------------------- thread isolation (advisory)

_warned_no_fork = False


def _execute_in_thread(tool: Tool, args: dict[str, Any], timeout: float | None, max_chars: int) -> str:
    box: list[tuple[bool, str]] = []
    worker = threading.Thread(
        target=lambda: box.append(_outcome(tool.function, args, max_chars)), daemon=True, name=f"toolken-{tool.name}"
    )
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ToolError(f"{tool.name} timed out after {timeout:g} s")
    ok, text = box[0]
    if not ok:
        raise ToolError(f"{tool.name}{text}")
    return text


def execute(
    tool: Tool,
    args: dict[str, Any],
    timeout: float = 5.0,
    max_chars: int = 2000,
    *,
    isolation: str | None = None,
) -> str:
    """Run `tool` on validated `args` under a time limit; return the result text.

    Exceptions, time-outs and results longer than `max_chars` raise `ToolError` (with the exception's
    type and message). `isolation` overrides `tool.isolation`:

    - "process" (the default): the function runs in a forked worker process (closures and lambdas
      work: nothing is pickled but the result text). At the time limit the worker and any process it
      started get SIGTERM, then SIGKILL: their side effects stop. Its stdin, stdout and stderr are
      /dev/null, so its prints never mix into the caller's output. It sees a copy of this process's
      memory: changes it makes to globals are lost. A few milliseconds per call.
    - "thread": the function runs in a daemon thread of this process, sharing its state. The time
      limit is advisory: a call past it is abandoned, not stopped (it keeps running, and holding the
      GIL it can stall the caller); its prints reach the caller's stdout. For trusted functions only.

    Where `fork` is unavailable (Windows), "process" falls back to "thread" with a warning.
    """
    global _warned_no_fork
    if tool.function is None:
        raise ToolError(f"tool {tool.name} has no function bound to it")
    mode = isolation or tool.isolation
    _adapters(tool.function)  # built here, once: a forked worker inherits them
    if mode not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}, got {mode!r}")
    if mode == "process" and _CAN_FORK:
        return _execute_in_process(tool, args, timeout, max_chars)
    if mode == "process" and not _warned_no_fork:
        _warned_no_fork = True
        warnings.warn("no fork on this platform: tools run in threads, time limits are advisory", stacklevel=2)
    return _execute_in_thread(tool, args, timeout, max_chars)


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


def call_tool(
    tool: Tool,
    argument_text: str,
    timeout: float = 5.0,
    max_chars: int = 2000,
    *,
    isolation: str | None = None,
) -> ToolCall:
    """Parse, validate and run one model-written call (`execute`, with its `isolation`); every failure
    becomes `ToolCall.error`."""
    try:
        args = parse_arguments(argument_text, tool)
    except ToolError as e:
        return ToolCall(tool.name, None, None, str(e), argument_text)
    try:
        result = execute(tool, args, timeout, max_chars, isolation=isolation)
        return ToolCall(tool.name, args, result, None, argument_text)
    except ToolError as e:
        return ToolCall(tool.name, args, None, str(e), argument_text)
