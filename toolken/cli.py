"""The `toolken` command: train toolkens, answer questions with tool calls, list tool sets; `toolken
bench` runs the papers' benchmarks when the bench extra is installed."""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import math
import os
import sys
import warnings
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

EXIT_USAGE = 2


class UserError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


def load_functions(spec: str | None, names: list[str] | None = None) -> dict[str, Callable[..., Any]]:
    """The functions *defined* in a Python file or module the user names (`--functions`), never the
    names it imports (`from os import system` does not become a tool); only `names`, if given."""
    if not spec:
        return {}
    path = Path(spec)
    if path.suffix == ".py" and not path.is_file():
        raise UserError(f"--functions: {path} does not exist")
    try:
        if path.suffix == ".py":
            module_spec = importlib.util.spec_from_file_location(f"toolken_user_{path.stem}", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(spec)
    except Exception as e:  # noqa: BLE001 - the user's own code failing to import is a user error
        raise UserError(f"--functions {spec}: cannot import: {type(e).__name__}: {e}") from None
    own = {
        k: v
        for k, v in vars(module).items()
        if inspect.isfunction(v) and v.__module__ == module.__name__ and not k.startswith("_")
    }
    return {k: v for k, v in own.items() if names is None or k in names}


def load_toolset(spec: str, functions_spec: str | None = None):
    """A registered tool set by name, or a JSON file of OpenAI/MCP tool specs bound to `--functions`."""
    from .tools import load_tool_specs
    from .toolsets import Toolset, get_toolset, toolset_names

    if spec in toolset_names():
        return get_toolset(spec)
    path = Path(spec)
    if not path.is_file():
        known = ", ".join(toolset_names()) or "none installed"
        raise UserError(f"--tools {spec!r} is neither a registered tool set ({known}) nor a file")
    try:
        specs = json.loads(path.read_text(encoding="utf-8"))
        tools = load_tool_specs(specs, load_functions(functions_spec))
    except (ValueError, KeyError, TypeError, RecursionError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: {e}") from None
    return Toolset(path.stem, tools)


def function_toolset(spec: str):  # noqa: ANN201 - a Toolset (imported on use: `toolken --help` stays fast)
    """The tools a Python file or module defines, with no JSON spec (`--functions` without `--tools`):
    each public function's type hints give its schema and its docstring (Google, NumPy or reST style) the descriptions
    (`Tool.from_function`). A function those do not describe is left out, named on stderr."""
    from .tools import Tool
    from .toolsets import Toolset

    tools = []
    for name, fn in load_functions(spec).items():
        try:
            tools.append(Tool.from_function(fn))
        except Exception as e:  # noqa: BLE001 - transformers' schema reader raises its own kinds
            print(f"toolken: --functions {spec}: {name} is no tool ({e})", file=sys.stderr)
    if not tools:
        raise UserError(
            f"--functions {spec}: no function with type hints and a docstring (Args: ...) to make a tool of; "
            "or describe the tools in a JSON file given with --tools"
        )
    return Toolset(Path(spec).stem, tools)


def device_options(p: argparse.ArgumentParser) -> None:
    """`--device` and `--dtype` of every command that loads a backbone."""
    p.add_argument(
        "--device",
        metavar="auto|cpu|cuda|mps",
        help="where the backbone, head and every tensor of the run live; a GPU by index as cuda:1 "
        "(default: $TOOLKEN_DEVICE, else auto: CUDA if present, then MPS, else the CPU)",
    )
    p.add_argument(
        "--dtype", choices=["float32", "bfloat16"], help="backbone weights (default: $TOOLKEN_DTYPE, else float32)"
    )


def check_device(a: argparse.Namespace) -> None:
    """Fail on a device that is unknown or absent before anything is loaded."""
    from .backbone import resolve_device

    try:
        resolve_device(a.device)
    except ValueError as e:
        raise UserError(f"--device: {e}") from None


def quiet_transformers() -> None:
    """No weight-loading bars or library chatter on the command line: toolken shows its own progress.
    Said through the environment where transformers is not imported yet (a Llama may never import it)."""
    if "transformers" not in sys.modules:
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        return
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def load_head(a: argparse.Namespace, require_functions: bool = True):
    """The head of `toolken run` / `serve` (a.head, a.model, a.functions), after checking --timeout and
    --max-new-tokens; with `require_functions`, every tool must have its function."""
    if not math.isfinite(a.timeout) or a.timeout <= 0:
        raise UserError(f"--timeout must be a positive number of seconds, got {a.timeout}")
    if a.max_new_tokens < 1:
        raise UserError(f"--max-new-tokens must be at least 1, got {a.max_new_tokens}")
    # a file's functions the head has no tool for (its helpers) are not bound; a tool left unbound is refused
    functions = load_functions(a.functions, _head_tool_names(a.head)) or None
    if require_functions and not getattr(a, "mcp_tools", []):
        _check_bound(a.head, functions or {})  # before the seconds of importing and loading the backbone
    check_device(a)
    quiet_transformers()
    from .cli_mcp import bind_head_tools
    from .head import ToolkenModel

    model = ToolkenModel.from_pretrained(a.head, a.model, functions, dtype=a.dtype, device=a.device)
    bind_head_tools(model, a, require_functions)
    return model


def _head_tool_names(head: str) -> list[str] | None:
    """The tool names a head's config lists, or None where it cannot be read (the loader says why)."""
    from .config import CONFIG_NAME

    try:
        return [spec["name"] for spec in json.loads((Path(head) / CONFIG_NAME).read_text(encoding="utf-8"))["tools"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check_bound(head: str, functions: dict[str, Callable[..., Any]]) -> None:
    """Refuse a head whose tools `functions` and its registered tool set leave without a function, from
    its config alone (a config that cannot be read is left to the loader's own error)."""
    from .cli_mcp import unbound_error
    from .config import CONFIG_NAME
    from .toolsets import get_toolset

    try:
        config = json.loads((Path(head) / CONFIG_NAME).read_text(encoding="utf-8"))
        builtin = {t.name for t in get_toolset(config["toolset"]).tools} if config.get("toolset") else set()
        unbound = [n for n in (spec["name"] for spec in config["tools"]) if n not in functions and n not in builtin]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if unbound:
        raise unbound_error(head, unbound)


def cmd_run(a: argparse.Namespace) -> None:
    """Answer a question (or each stdin line) with the trained head, printing answer and calls."""
    biases = (("--bias", a.bias), ("--name-bias", a.name_bias), ("--typed-value-bias", a.typed_value_bias))
    for flag, value in (*biases, ("--fit-bias", a.fit_bias)):
        if value is not None and not math.isfinite(value):
            raise UserError(f"{flag} must be a finite number, got {value}")
    model = load_head(a)
    from .backbone import cache_root
    from .generation import GenerationConfig  # after the checks that need no model

    cfg = GenerationConfig(max_new_tokens=a.max_new_tokens, bias=a.bias, tool_timeout=a.timeout, batch_size=1)
    cfg.prefix_cache = str(cache_root() / "prefixes")  # a tool's demonstrations encoded once per machine
    if a.name_bias is not None:
        cfg.name_bias = a.name_bias
    if a.typed_value_bias is not None:
        cfg.typed_value_bias = a.typed_value_bias
    if a.fit_bias is not None:
        cfg.fit_bias = a.fit_bias
    if a.question is not None:
        _answer(model, a.question, cfg, a.json, label=False)
        return
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    for n, raw in enumerate(stdin or sys.stdin, 1):  # one at a time: each answer appears when ready
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        if line.strip():
            _answer(model, line.strip(), cfg, a.json, label=True, where=f"stdin line {n}")


def _answer(model, question: str, cfg, as_json: bool, label: bool, where: str = "question") -> None:
    from .generation import generate

    if not question.strip():
        raise UserError(f"{where}: the question is empty")
    room = model.context_size - cfg.max_new_tokens
    n_tokens = len(model.tokenizer(model.prompt_text(question)).input_ids)
    if n_tokens > room:
        message = f"{where}: the question is {n_tokens} tokens long; this model reads at most {room} before answering"
        if not label:
            raise UserError(message)
        print(json.dumps({"question": question[:80], "error": message}) if as_json else f"error: {message}")
        return
    g = generate(model, [question], cfg)[0]
    if as_json:
        print(json.dumps(g.to_dict(), ensure_ascii=False), flush=True)
        return
    if label:
        print(f"Q: {question}")
    for c in g.calls:
        shown = f"= {c.result}" if c.error is None else f"-> error: {c.error}"
        print(f"  [call] {c.tool}({c.argument_text or ''}) {shown}")
    print(g.answer if not label else f"A: {g.answer}", flush=True)


def cmd_tools(a: argparse.Namespace) -> None:
    """List the registered tool sets, or the tools of one."""
    from .toolsets import get_toolset, toolset_names

    if a.toolset is None and not a.mcp_tools and not a.functions:
        for name in toolset_names():
            print(f"{name}: {len(get_toolset(name).tools)} tools")
        return
    if a.toolset:
        listed = load_toolset(a.toolset, None).tools
    else:
        listed = function_toolset(a.functions).tools if a.functions else []
    for t in listed + a.mcp_tools:
        print(f"{t.signature}: {' '.join(t.description.split())}")


def run_plugin(command: str, argv: list[str]) -> int:
    """Run a command another package registers (`toolken bench` from the bench extra)."""
    for ep in entry_points(group="toolken.commands"):
        if ep.name == command:
            try:
                return ep.load()(argv)
            except ImportError as e:
                raise UserError(
                    f"`toolken {command}` needs the bench extra (missing {e.name}): pip install 'toolken[bench]'"
                ) from None
    raise UserError(f"`toolken {command}` is not installed: pip install 'toolken[bench]'")


def _head_options(p: argparse.ArgumentParser) -> None:
    """Options of the commands that load a trained head (`run`, `serve`)."""
    from .cli_mcp import add_mcp_option

    p.add_argument("--max-new-tokens", type=int, default=64, help="tokens the model may write per answer")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds a tool may run")
    p.add_argument("--model", help="backbone folder, if it moved since training")
    p.add_argument("--functions", help="Python file or module defining the functions of tools from a JSON file")
    add_mcp_option(p)
    device_options(p)


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's default after its help, unless the help says its own or there is none to say
    (None, a flag's False, an empty list): "(default: None)" after "default: plain" only misleads."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        unsaid = action.default is None or action.default is False or action.default == []
        if unsaid or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `toolken` and its subcommands."""
    from .cli_mcp import add_mcp_option
    from .cli_serve import add_serve_parser
    from .cli_train import add_train_parsers

    fmt = HelpFormatter
    p = argparse.ArgumentParser(
        prog="toolken", description="Teach a frozen causal LM to call tools through tool tokens."
    )
    p.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True)
    add_train_parsers(sub, fmt)

    r = sub.add_parser("run", help="answer questions with a trained head, calling tools", formatter_class=fmt)
    r.add_argument("head", type=Path, help="folder written by `toolken train`")
    r.add_argument("question", nargs="?", help="the question (default: read questions line by line from stdin)")
    r.add_argument("--json", action="store_true", help='print {"answer", "text", "calls"} as one JSON object a line')
    r.add_argument("--bias", type=float, help="override the head's toolken logit bias")
    r.add_argument(
        "--name-bias",
        type=float,
        help="added to a toolken's logit per word of its tool's name the question writes, at most two "
        "(0: off; default: GenerationConfig's, 3)",
    )
    r.add_argument(
        "--typed-value-bias",
        type=float,
        help="added to a toolken's logit where the question writes a value of a kind its tool requires "
        "(a link, an IP address, a code of its pattern...; 0: off; default: GenerationConfig's, 3)",
    )
    r.add_argument(
        "--fit-bias",
        type=float,
        help="added to a toolken's logit where the question gives each of two or more required values of its "
        "tool, each of a specific kind (a date, a name, a place, a code; 0: off; default: GenerationConfig's, 2)",
    )
    _head_options(r)
    r.set_defaults(func=cmd_run)

    add_serve_parser(sub, _head_options)

    ls = sub.add_parser("tools", help="list registered tool sets or the tools of one", formatter_class=fmt)
    ls.add_argument("toolset", nargs="?", help="a registered tool set's name or a JSON file of tool specs")
    ls.add_argument("--functions", help="Python file or module: the tools its functions make (no JSON file)")
    add_mcp_option(ls)
    ls.set_defaults(func=cmd_tools)
    sub.add_parser("bench", help="the papers' benchmarks (needs the bench extra): toolken bench --help", add_help=False)
    return p


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = build_parser()
    a, extra = parser.parse_known_args(argv)
    # `toolken run DIR --functions f.py "question"`: a question after the options
    if a.command == "run" and a.question is None and len(extra) == 1 and not extra[0].startswith("-"):
        a.question, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return a


def _one_line_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001 - warnings' hook
    return f"toolken: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `toolken` console script."""
    warnings.formatwarning = _one_line_warning  # a warning is one line on the command line, as errors are
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv[: argv.index("bench")] if "bench" in argv else "--debug" in argv
    try:
        if "bench" in argv and all(x == "--debug" for x in argv[: argv.index("bench")]):
            return run_plugin("bench", argv[argv.index("bench") + 1 :])
        from .cli_mcp import mcp_servers

        a = _parse(argv)
        with mcp_servers(a):  # the servers of --mcp, for the commands that have it
            a.func(a)
    except KeyboardInterrupt:
        print("toolken: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`toolken tools | head`): nothing to report
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is quiet too
        return 141
    except Exception as e:  # noqa: BLE001 - every failure is one line and exit 2; --debug shows the traceback
        if debug:
            raise
        print(f"toolken: error: {_one_line(e)}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _one_line(e: BaseException) -> str:
    text = str(e) if isinstance(e, (UserError, OSError, ValueError, KeyError)) else f"{type(e).__name__}: {e}"
    text = text.strip("'\"") if isinstance(e, KeyError) else text
    return " ".join(text.split())[:500]


if __name__ == "__main__":
    from toolken.cli import main as package_main  # under `python -m`, the one copy other modules import

    sys.exit(package_main())
