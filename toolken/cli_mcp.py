"""The `--mcp COMMAND` option of the toolken commands: MCP servers started around a command
(`mcp_servers`, run by `toolken.cli.main` for every command that has the option), their tools
joined to `--tools` (`command_toolset`) or bound to a saved head's by name (`bind_head_tools`)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from .cli import UserError, function_toolset, load_toolset


def add_mcp_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand `--mcp COMMAND` (repeatable); `main` then runs the servers around it."""
    parser.add_argument(
        "--mcp",
        action="append",
        default=[],
        metavar="COMMAND",
        help="MCP server to start and take tools from, over stdio: a command line, split like a shell's "
        "but never run by one (repeatable)",
    )


@contextlib.contextmanager
def mcp_servers(a: argparse.Namespace) -> Iterator[None]:
    """Run the command's `--mcp` servers for its length (calls time out after `--timeout`, if the
    command has one); their tools are `a.mcp_tools`."""
    a.mcp_tools = []
    if not getattr(a, "mcp", None):
        yield
        return
    try:
        from .mcp_tools import McpError, served_tools_of
    except ImportError as e:
        raise UserError(f"--mcp needs the mcp extra (missing {e.name}): pip install 'toolken[mcp]'") from None
    with contextlib.ExitStack() as stack:
        try:
            a.mcp_tools = stack.enter_context(served_tools_of(a.mcp, getattr(a, "timeout", 5.0)))
        except McpError as e:
            raise UserError(f"--mcp: {e}") from None
        yield


def command_toolset(a: argparse.Namespace):  # noqa: ANN201 - a Toolset (imported on use: `toolken --help` stays fast)
    """The tools of `train` / `synth`: `--tools` (a registered set, or a JSON file bound to
    `--functions`), or else the tools `--functions` defines (`function_toolset`), followed by the
    `--mcp` servers' tools."""
    from .tools import check_unique
    from .toolsets import Toolset, toolset_names

    served = list(getattr(a, "mcp_tools", []))
    if not a.tools and not a.functions:
        if not served:
            raise UserError("name the tools: --tools SET_OR_FILE, --functions FILE.py, --mcp COMMAND, or some")
        return Toolset("mcp", served)
    if served and a.tools in toolset_names():  # its head would re-bind the set's functions but not the server's
        raise UserError(f"--mcp adds tools to a JSON tool file, not to the registered set {a.tools!r}")
    toolset = load_toolset(a.tools, a.functions) if a.tools else function_toolset(a.functions)
    try:
        check_unique(toolset.tools + served)
    except ValueError as e:
        raise UserError(f"--tools {a.tools} and --mcp: {e}") from None
    toolset.tools += served
    return toolset


def bind_head_tools(model, a: argparse.Namespace, require: bool = True) -> None:  # noqa: ANN001 - a ToolkenModel
    """Bind a loaded head's tools to the `--mcp` servers' tools of the same name; with `require`,
    refuse a tool left without a function (`UserError` naming it)."""
    served = getattr(a, "mcp_tools", [])
    if served:
        from .mcp_tools import bind_mcp_tools

        bind_mcp_tools(model.tools, served)
    unbound = [t.name for t in model.tools if t.function is None]
    if not unbound or not require:
        return
    if served:
        offered = ", ".join(t.name for t in served[:10])
        raise UserError(f"{a.head}: the --mcp servers have no tool {', '.join(unbound[:5])} (they offer {offered})")
    raise unbound_error(a.head, unbound)


def unbound_error(head: str, unbound: list[str]) -> UserError:
    """The error for a head whose tools `unbound` have no function."""
    names = ", ".join(map(str, unbound[:5]))
    return UserError(f"{head}: no function bound to {names}: pass --functions FILE.py or --mcp")
