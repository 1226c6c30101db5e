"""`toolken serve`'s subcommand: its options here, the server itself (`toolken.serving`) imported only
when the command runs, so that other commands start without it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .cli import HelpFormatter, UserError, load_head


def add_serve_parser(sub: argparse._SubParsersAction, head_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """`toolken serve`'s subcommand and options (`head_options` adds those shared with `toolken run`)."""
    sv = sub.add_parser(
        "serve",
        help="an OpenAI-compatible HTTP server for a trained head",
        formatter_class=HelpFormatter,
    )
    sv.add_argument("head", type=Path, help="folder written by `toolken train`")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sv.add_argument("--port", type=int, default=8000, help="port to listen on")
    sv.add_argument("--name", help="the model id clients ask for (default: the head folder's name)")
    sv.add_argument("--batch-size", type=int, default=8, help="requests decoded together at most")
    sv.add_argument("--batch-window-ms", type=float, default=5.0, help="how long a first request waits for others")
    head_options(sv)
    sv.set_defaults(func=cmd_serve)


def cmd_serve(a: argparse.Namespace) -> None:
    """`toolken serve DIR`: load the head and answer HTTP requests until interrupted."""
    from .generation import GenerationConfig
    from .serving import build_app, make_served

    try:  # the server's stack is the `serve` extra
        import sse_starlette  # noqa: F401
        import uvicorn
    except ImportError as e:
        raise UserError(
            f"`toolken serve` needs the serve extra (missing {e.name}): pip install toolken[serve]"
        ) from None
    if a.batch_size < 1 or a.batch_window_ms < 0:
        raise UserError("--batch-size must be at least 1 and --batch-window-ms at least 0")
    model = load_head(a, require_functions=False)
    cfg = GenerationConfig(max_new_tokens=a.max_new_tokens, tool_timeout=a.timeout, batch_size=a.batch_size)
    served = make_served(model, a.name or Path(a.head).resolve().name, cfg, a.batch_window_ms / 1000)
    print(f"toolken: serving {served.name!r} on http://{a.host}:{a.port}/v1", flush=True)
    try:
        uvicorn.run(build_app(served), host=a.host, port=a.port, log_level="warning")
    finally:
        served.batcher.close()
