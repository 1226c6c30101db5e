"""A real MCP server for the tests, written with the official SDK and served over stdio.

`python tests/mcp_server.py` serves well-behaved tools (a number, an object and text as results);
`--faulty` adds tools that fail, hang, freeze or crash the server, and one whose schema toolken refuses;
`--only NAME,...` serves only those tools; `--crash-at-start` and `--hang-at-start` never complete the
handshake. The server's pid and each call are appended to the file named by `--log`, if given, so a
test can see that a call really reached the server and that the process is gone afterwards.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import Annotated, TypedDict

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field


class Weather(TypedDict):
    city: str
    temperature_c: int


LOG: str | None = None


def note(line: str) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def build(faulty: bool, only: set[str] | None = None) -> MCPServer:
    server = MCPServer("toolken-test-server", log_level="WARNING")

    def tool(**options):  # server.tool, for the tools `only` names
        def register(fn):
            return server.tool(**options)(fn) if only is None or fn.__name__ in only else fn

        return register

    @tool()
    def add(a: float, b: float) -> float:
        """Add two numbers.

        Args:
            a: the first number
            b: the second number
        """
        note(f"add {a} {b}")
        return a + b

    @tool()
    def weather(city: str) -> Weather:
        """The current weather in a city."""
        note(f"weather {city}")
        return {"city": city, "temperature_c": len(city) * 3 % 35}

    @tool(structured_output=False)
    def shout(text: str) -> str:
        """Repeat a text in capital letters."""
        note(f"shout {text}")
        return text.upper() + "!"

    if faulty:

        @tool()
        def fail(reason: str) -> str:
            """Always fails, with the reason given."""
            raise ToolError(f"refused: {reason}")  # an isError result carrying this text

        @tool()
        async def hang(seconds: float) -> str:
            """Sleeps far longer than any caller waits, until the call is cancelled."""
            try:
                await anyio.sleep(3600)
            except anyio.get_cancelled_exc_class():
                note("hang cancelled")  # the client's notifications/cancelled reached the handler
                raise
            return "woke up"

        @tool()
        def freeze(seconds: float) -> str:
            """Stops the whole server process (SIGSTOP): it neither answers nor exits."""
            os.kill(os.getpid(), signal.SIGSTOP)
            return "thawed"

        @tool()
        def crash(code: int) -> str:
            """Ends the server process at once."""
            os._exit(code)

        @tool()
        def lookahead(text: Annotated[str, Field(json_schema_extra={"pattern": "^(?=a)"})]) -> str:
            """Its schema has a regex with a lookahead, which RE2 (and so toolken) refuses."""
            return text

    return server


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--faulty", action="store_true")
    p.add_argument("--crash-at-start", action="store_true")
    p.add_argument("--hang-at-start", action="store_true")
    p.add_argument("--only", help="comma-separated names of the only tools to serve")
    p.add_argument("--log")
    a = p.parse_args()
    global LOG
    LOG = a.log
    note(f"pid {os.getpid()}")
    if a.crash_at_start:
        print("mcp_server: crashing at start as asked", file=sys.stderr)
        sys.exit(3)
    if a.hang_at_start:
        time.sleep(3600)
    build(a.faulty, set(a.only.split(",")) if a.only else None).run("stdio")


if __name__ == "__main__":
    main()
