"""`toolken serve`: an OpenAI-compatible HTTP server (Starlette + uvicorn, server-sent events from
sse-starlette) over one loaded head. `GET /v1/models`, `POST /v1/chat/completions`; concurrent
requests are batched (`toolken.batching`); the protocol mapping is in `toolken.openai_api`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .batching import Batcher, Job
from .generation import GenerationConfig
from .head import ToolkenModel
from .openai_api import (
    ApiError,
    chunk,
    completion,
    finish_reason,
    last_result,
    messages_to_prompt,
    model_card,
    new_id,
    parse_request,
    reply_text,
    row_options,
    tool_calls,
    toolken_calls,
)

if TYPE_CHECKING:  # the serve extra is imported only by the functions that need it (`toolken --help` stays light)
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse


@dataclass
class Served:
    """What the app serves: the model under `name`, its batcher, the per-answer token cap."""

    model: ToolkenModel
    name: str
    batcher: Batcher
    max_new_tokens: int


def _error(e: ApiError) -> JSONResponse:
    from starlette.responses import JSONResponse

    return JSONResponse(e.to_dict(), status_code=e.status)


async def _api_error(request: Request, e: Exception) -> JSONResponse:
    return _error(e)  # type: ignore[arg-type]


async def _http_error(request: Request, e: Exception) -> JSONResponse:
    code = getattr(e, "status_code", 500)
    return _error(ApiError(str(getattr(e, "detail", e)), code, code="not_found" if code == 404 else None))


async def _server_error(request: Request, e: Exception) -> JSONResponse:
    return _error(ApiError(f"internal error: {type(e).__name__}: {e}", 500))


def build_app(served: Served) -> Starlette:
    """The ASGI app answering OpenAI's chat-completions protocol with `served`'s head."""
    from sse_starlette import EventSourceResponse
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def models(request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [model_card(served.name)]})

    async def chat(request: Request):
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise ApiError("the request body is not valid JSON", code="invalid_json") from None
        req = parse_request(body)
        if req.model != served.name:
            message = f"model {req.model!r} not found; this server serves {served.name!r}"
            raise ApiError(message, 404, "model", "model_not_found")
        prompt, resumes = messages_to_prompt(served.model, req.messages)
        options = row_options(served.model, req, served.max_new_tokens, resumes)
        n_prompt = len(served.model.tokenizer(prompt).input_ids)
        if n_prompt + options.max_new_tokens > served.model.context_size:
            room = served.model.context_size - options.max_new_tokens
            raise ApiError(
                f"the conversation is {n_prompt} tokens; this model reads at most {room} before answering",
                param="messages",
                code="context_length_exceeded",
            )
        job, result = Job(prompt, options, req.temperature), last_result(req.messages)
        if req.stream:
            return EventSourceResponse(_stream(served, job, resumes, result), sep="\n")
        g = await asyncio.wrap_future(served.batcher.submit(job))
        usage = (n_prompt, _count(served.model, g.text))
        return JSONResponse(completion(served.name, g, resumes, usage, options.max_new_tokens, result))

    return Starlette(
        routes=[Route("/v1/models", models), Route("/v1/chat/completions", chat, methods=["POST"])],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
    )


def _count(model: ToolkenModel, text: str) -> int:
    return len(model.tokenizer(text, add_special_tokens=False).input_ids)


def visible(text: str, stops: list[str]) -> str:
    """What of a partial completion may be streamed: all but a tail that may still become a stop
    string (cut later) or an incomplete UTF-8 character."""
    text = text.rstrip("\ufffd")
    for n in range(min(len(text), max((len(s) for s in stops), default=1) - 1), 0, -1):
        if any(s.startswith(text[-n:]) for s in stops):
            return text[:-n]
    return text


async def _stream(served: Served, job: Job, resumes: bool, result: str = "") -> AsyncIterator[str]:
    """The chunks of one streamed answer: the role, the text as decoded (after the tool `result` a
    resumed conversation ends with, `reply_text`), the paused call if any, the finish reason (with
    `toolken_calls`), then `[DONE]`."""
    loop, updates = asyncio.get_running_loop(), asyncio.Queue()
    tok, stops = served.model.tokenizer, served.model.stop

    def send(ids: list[int] | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed (server shutting down): nobody listens
            loop.call_soon_threadsafe(updates.put_nowait, ids)

    job.on_tokens = send
    future = served.batcher.submit(job)
    future.add_done_callback(lambda _: send(None))
    ident, name, sent = new_id("chatcmpl-"), served.name, ""
    yield json.dumps(chunk(ident, name, {"role": "assistant", "content": ""}))
    while (ids := await updates.get()) is not None:
        text = visible(tok.decode(ids, skip_special_tokens=True), stops)
        text = result + text if resumes else text.lstrip()
        if len(text) > len(sent) and text.startswith(sent):
            yield json.dumps(chunk(ident, name, {"content": text[len(sent) :]}))
            sent = text
    try:
        g = future.result()
    except Exception as e:  # noqa: BLE001 - the status line is sent: report in the stream
        yield json.dumps(ApiError(f"internal error: {type(e).__name__}: {e}", 500).to_dict())
        return
    final = reply_text(g, resumes, result)
    if final.startswith(sent) and len(final) > len(sent):
        yield json.dumps(chunk(ident, name, {"content": final[len(sent) :]}))
    calls = [{"index": 0, **c} for c in tool_calls(g)]
    if calls:
        yield json.dumps(chunk(ident, name, {"tool_calls": calls}))
    finish = finish_reason(g, _count(served.model, g.text), job.options.max_new_tokens)
    yield json.dumps(chunk(ident, name, {"toolken_calls": toolken_calls(g)}, finish))
    yield "[DONE]"


# ---------------------------------------------------------------- running it


class Server:
    """A uvicorn server for `served` in a background thread (tests, benchmarks): `url`, `stop()`."""

    def __init__(self, served: Served, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        config = uvicorn.Config(build_app(served), host=host, port=port, log_level="warning", lifespan="off")
        self.served, self._server = served, uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="toolken-server", daemon=True)
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the server did not start on {host}:{port}")
            self._thread.join(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://{host}:{port}/v1"

    def stop(self) -> None:
        """Shut the server down and its batcher after it."""
        self._server.should_exit = True
        self._thread.join()
        self.served.batcher.close()


def make_served(model: ToolkenModel, name: str, config: GenerationConfig, window: float = 0.005) -> Served:
    """A `Served` with its batcher (batches of up to `config.batch_size` requests)."""
    return Served(model, name, Batcher(model, config, window, config.batch_size), config.max_new_tokens)
