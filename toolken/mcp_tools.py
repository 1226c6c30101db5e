"""Tools from a live MCP server (the `mcp` extra): the server runs as a subprocess spoken to over
stdio with the official SDK, its tools become toolken `Tool`s, and each call goes to the server.

    with mcp_toolset("python server.py") as toolset:
        model = ToolkenModel.create(toolset, ...)

The client session lives on an event loop in a background thread; a tool's function forwards its
call there and waits at most `timeout` seconds. The server process is the isolation, so the tools
run in this process (`isolation="thread"`): a forked worker could not reach the session. Every
failure is a `ToolError` observation: an `isError` result, a time-out (the server is sent a
cancellation), a server that has exited. A server that fails to start or to list its tools within
`startup_timeout` raises `McpError`; leaving the context stops the server (stdin closed, then
SIGTERM and SIGKILL to its process group, as the SDK does) within a bounded time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import math
import os
import shlex
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import anyio
import mcp_types
from mcp import Client, MCPError, StdioServerParameters, stdio_client

from .arguments import ToolError
from .tools import Tool, check_unique
from .toolsets import Toolset

_MAX_PAGES = 100  # of a tool listing; a server paging forever is an error, not a hang
_MARGIN = 2.0  # seconds the caller waits past a call's own time-out for the session to report it
_STOP_WAIT = 15.0  # seconds to wait for the SDK's bounded shutdown (about 5 s) before abandoning it


class McpError(RuntimeError):
    """An MCP server that cannot be started or listed."""


class McpClient:
    """A running MCP server and a client session with it, on an event loop in a daemon thread.

    `start()` spawns the server, completes the handshake and returns its tool listing; `call()` is
    safe from any thread; `close()` stops the server and the loop (also after a failed start).
    """

    def __init__(
        self,
        argv: Sequence[str],
        timeout: float = 5.0,
        startup_timeout: float = 30.0,
        env: dict[str, str] | None = None,
        errlog: TextIO | int | None = None,
    ) -> None:
        if not argv or not argv[0]:
            raise McpError("the MCP server command is empty")
        self.argv, self.timeout, self.startup_timeout = list(argv), timeout, startup_timeout
        # the user's own command, so it inherits the user's environment, as it would from a shell
        self._params = StdioServerParameters(command=argv[0], args=list(argv[1:]), env=env or dict(os.environ))
        self._errlog = errlog if errlog is not None else _stderr()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="toolken-mcp")
        self._client: Client | None = None
        self._scope: anyio.CancelScope | None = None
        self._closing = False  # read and written on the loop's thread only
        self._stopped = threading.Event()
        self.server_name = ""

    @property
    def command(self) -> str:
        """The server command as one line of text."""
        return shlex.join(self.argv)

    def start(self) -> list[mcp_types.Tool]:
        """Start the server; its tools. `McpError` if it exits, fails or is silent past `startup_timeout`."""
        self._thread.start()
        ready: concurrent.futures.Future = concurrent.futures.Future()
        asyncio.run_coroutine_threadsafe(self._serve(ready), self._loop)
        try:
            return ready.result(self.startup_timeout + _MARGIN)
        except BaseException as e:
            self.close()
            cause = _innermost(e)
            if isinstance(cause, TimeoutError):
                raise McpError(f"MCP server `{self.command}` did not start within {self.startup_timeout:g} s") from None
            if isinstance(cause, MCPError) and cause.code == mcp_types.CONNECTION_CLOSED:
                raise McpError(f"MCP server `{self.command}` exited before completing the MCP handshake") from None
            if isinstance(cause, Exception):
                raise McpError(f"MCP server `{self.command}` failed to start: {_message(cause)}") from None
            raise

    async def _serve(self, ready: concurrent.futures.Future) -> None:
        """The session's owner task: enter the client, list the tools, then wait to be cancelled
        (anyio's scopes must be left by the task that entered them)."""
        try:
            with anyio.CancelScope(deadline=anyio.current_time() + self.startup_timeout) as scope:
                self._scope = scope
                if self._closing:  # close() came first
                    scope.cancel()
                async with Client(stdio_client(self._params, errlog=self._errlog), cache=None) as client:
                    tools = await _list_tools(client)
                    info = client.server_info
                    self.server_name = info.name if info else ""
                    scope.deadline = math.inf  # started: from now on only close() ends the session
                    self._client = client
                    ready.set_result(tools)
                    await anyio.sleep_forever()
            if scope.cancelled_caught and not ready.done():
                ready.set_exception(concurrent.futures.TimeoutError())
        except BaseException as e:  # noqa: BLE001 - handed to start(); the loop thread must not die on it
            if not ready.done():
                ready.set_exception(e)
        finally:
            self._client = None
            self._stopped.set()

    def _cancel(self) -> None:
        self._closing = True
        if self._scope is not None:
            self._scope.cancel()

    def call(self, name: str, arguments: dict[str, Any]) -> mcp_types.CallToolResult:
        """Call a tool on the server (from any thread but the loop's): its result, or `ToolError` for
        a time-out (the server is sent a cancellation) or a server that has exited."""
        client = self._client
        if client is None:
            raise ToolError(f"the MCP server `{self.command}` is not running")
        call = client.call_tool(name, arguments, read_timeout_seconds=self.timeout)
        try:
            future = asyncio.run_coroutine_threadsafe(call, self._loop)
        except RuntimeError:  # the loop closed since the check above
            call.close()
            raise ToolError(f"the MCP server `{self.command}` is not running") from None
        try:
            return future.result(self.timeout + _MARGIN)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ToolError(f"timed out after {self.timeout:g} s") from None
        except MCPError as e:
            if e.code == mcp_types.REQUEST_TIMEOUT:
                raise ToolError(f"timed out after {self.timeout:g} s") from None
            if e.code == mcp_types.CONNECTION_CLOSED:
                raise ToolError(f"the MCP server `{self.command}` has exited (connection closed)") from None
            raise ToolError(f"MCP error {e.code}: {e.message}") from None
        except concurrent.futures.CancelledError:
            raise ToolError(f"the MCP server `{self.command}` was stopped during the call") from None

    def close(self) -> None:
        """Stop the session and the server process, then the loop; bounded in time, idempotent."""
        if not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._cancel)
        self._stopped.wait(_STOP_WAIT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(_STOP_WAIT)
        if not self._thread.is_alive():
            self._loop.close()


async def _list_tools(client: Client) -> list[mcp_types.Tool]:
    """Every page of the server's tool listing."""
    tools: list[mcp_types.Tool] = []
    cursor = None
    for _ in range(_MAX_PAGES):
        page = await client.list_tools(cursor=cursor)
        tools += page.tools
        cursor = page.next_cursor
        if cursor is None:
            return tools
    raise McpError(f"the tool listing has more than {_MAX_PAGES} pages")


def _stderr() -> TextIO | int:
    """Where the server's stderr goes by default: ours, or nowhere if ours is not a file (captured)."""
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return subprocess.DEVNULL
    return sys.stderr


def _innermost(e: BaseException) -> BaseException:
    """The first leaf of the exception groups the SDK's task groups wrap errors in."""
    while isinstance(e, BaseExceptionGroup) and e.exceptions:
        e = e.exceptions[0]
    return e


def _message(e: BaseException) -> str:
    """An exception's message, with the SDK's error code left out."""
    return e.message if isinstance(e, MCPError) else str(e) or type(e).__name__


def result_value(result: mcp_types.CallToolResult, unwrap: bool = False) -> Any:
    """What a call returned: its `structuredContent`, else its text content (text blocks and text
    resources, one per line). With `unwrap`, a structured `{"result": value}` (how SDK servers wrap
    a plain return value) is `value`. An `isError` result raises `ToolError` with its text."""
    texts = [c.text for c in result.content if isinstance(c, mcp_types.TextContent)]
    texts += [
        c.resource.text
        for c in result.content
        if isinstance(getattr(c, "resource", None), mcp_types.TextResourceContents)
    ]
    text = "\n".join(texts)
    if result.is_error:
        raise ToolError(text or "the server reported an error")
    structured = result.structured_content
    if structured is not None:
        return structured["result"] if unwrap and set(structured) == {"result"} else structured
    if not texts:
        kinds = ", ".join(sorted({c.type for c in result.content})) or "nothing"
        raise ToolError(f"returned no text (only {kinds})")
    return text


class McpFunction:
    """A tool's function that forwards the call to its MCP server. It works only in the process
    that started the server (a forked worker has no session): such tools have `isolation="thread"`."""

    def __init__(self, client: McpClient, name: str, output_schema: dict | None) -> None:
        self.client, self.name = client, name
        properties = (output_schema or {}).get("properties")
        self.unwrap = isinstance(properties, dict) and set(properties) == {"result"}
        self._pid = os.getpid()

    def __call__(self, **arguments: Any) -> Any:
        if os.getpid() != self._pid:
            raise ToolError("an MCP tool runs in the process that started its server (isolation='thread')")
        return result_value(self.client.call(self.name, arguments), self.unwrap)


def served_tools(client: McpClient, listed: Sequence[mcp_types.Tool]) -> list[Tool]:
    """toolken tools for a server's listing; a tool whose name or input schema toolken refuses
    (`Tool`'s checks: local `$ref`s, RE2 patterns, nesting) is skipped with a warning."""
    tools = []
    for spec in listed:
        raw = {"name": spec.name, "description": spec.description or "", "inputSchema": spec.input_schema}
        try:
            tool = Tool.from_mcp(raw, McpFunction(client, spec.name, spec.output_schema))
        except ValueError as e:
            warnings.warn(f"MCP server `{client.command}`: skipped a tool toolken cannot use: {e}", stacklevel=2)
            continue
        tool.isolation, tool.title = "thread", spec.title or ""
        tools.append(tool)
    return tools


@contextlib.contextmanager
def mcp_toolset(
    command: str | Sequence[str],
    *,
    timeout: float = 5.0,
    startup_timeout: float = 30.0,
    env: dict[str, str] | None = None,
    errlog: TextIO | int | None = None,
) -> Iterator[Toolset]:
    """Start the MCP server `command` (split like a shell would, but never run by one) and yield
    its tools as a `Toolset`; the server stops when the block ends.

    Each call is cancelled after `timeout` seconds; a server that has not listed its tools after
    `startup_timeout` seconds raises `McpError`. The server inherits this process's environment
    (or gets `env`); its stderr goes to `errlog` (default: ours).
    """
    try:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    except ValueError as e:
        raise McpError(f"cannot read the MCP server command {command!r}: {e}") from None
    client = McpClient(argv, timeout, startup_timeout, env, errlog)
    listed = client.start()
    try:
        tools = served_tools(client, listed)
        if not tools:
            raise McpError(f"MCP server `{client.command}` has no tools toolken can use")
        try:
            check_unique(tools)
        except ValueError as e:
            raise McpError(f"MCP server `{client.command}`: {e}") from None
        yield Toolset(client.server_name or "mcp", tools)
    finally:
        client.close()


@contextlib.contextmanager
def served_tools_of(commands: Sequence[str | Sequence[str]], timeout: float = 5.0) -> Iterator[list[Tool]]:
    """The tools of several MCP servers (`mcp_toolset` each), running for the length of the block."""
    with contextlib.ExitStack() as stack:
        tools = [t for c in commands for t in stack.enter_context(mcp_toolset(c, timeout=timeout)).tools]
        try:
            check_unique(tools)
        except ValueError as e:
            raise McpError(f"two MCP servers offer a tool of the same name: {e}") from None
        yield tools


def bind_mcp_tools(tools: Sequence[Tool], served: Sequence[Tool]) -> list[str]:
    """Let the served tools run `tools` of the same name (a saved head's): their function and
    isolation. Returns the names the server lacks. Warns where the input schemas differ (the
    trained one still shapes the arguments)."""
    by_name = {t.name: t for t in served}
    missing = []
    for tool in tools:
        match = by_name.get(tool.name)
        if match is None:
            missing.append(tool.name)
            continue
        if match.parameters != tool.parameters:
            warnings.warn(f"MCP tool {tool.name}: the server's input schema differs from the trained one", stacklevel=2)
        tool.function, tool.isolation = match.function, match.isolation
    return missing
