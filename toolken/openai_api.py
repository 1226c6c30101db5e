"""The OpenAI chat-completions protocol, mapped onto toolken: request validation, the conversation
turned into the head's prompt, `tools` / `tool_choice` turned into which toolkens may or must fire,
and a `Generation` turned into a response (or stream chunks). No HTTP here (`toolken.serving`)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .generation import Generation, RowOptions
from .head import ToolkenModel
from .toolmode import join_result


class ApiError(Exception):
    """An error answered as OpenAI's error JSON with an HTTP status."""

    def __init__(self, message: str, status: int = 400, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.param, self.code = status, param, code
        self.kind = "invalid_request_error" if status < 500 else "server_error"

    def to_dict(self) -> dict:
        """The response body."""
        return {"error": {"message": str(self), "type": self.kind, "param": self.param, "code": self.code}}


class _Text(BaseModel):
    type: Literal["text"]
    text: str


class _Named(BaseModel):
    name: str


class _CallIn(BaseModel):
    id: str
    type: Literal["function"] = "function"
    function: dict[str, Any]


class Message(BaseModel):
    """One message of the conversation (text content only)."""

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[_Text] | None = None
    tool_calls: list[_CallIn] | None = None
    tool_call_id: str | None = None


class _Function(_Named):
    description: str | None = None
    parameters: dict[str, Any] | None = None


class _ToolSpec(BaseModel):
    type: Literal["function"]
    function: _Function


class _Choice(BaseModel):
    type: Literal["function"]
    function: _Named


class ChatRequest(BaseModel):
    """The fields of a chat-completions request toolken reads (others are accepted and ignored)."""

    model_config = ConfigDict(extra="ignore")
    model: str
    messages: list[Message] = Field(min_length=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    stream: bool = False
    tools: list[_ToolSpec] | None = None
    tool_choice: Literal["auto", "none", "required"] | _Choice | None = None
    n: int = Field(1, ge=1, le=1)


def parse_request(body: Any) -> ChatRequest:
    """Validate a request body, or raise `ApiError` naming the first bad field."""
    try:
        return ChatRequest.model_validate(body)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ApiError(f"{where or 'body'}: {first['msg']}", param=where or None, code="invalid_request") from None


def _text(m: Message, i: int) -> str:
    if m.content is None:
        if m.role in ("assistant",):
            return ""
        raise ApiError(f"messages[{i}]: a {m.role} message needs content", param=f"messages.{i}.content")
    return m.content if isinstance(m.content, str) else "".join(part.text for part in m.content)


def messages_to_prompt(model: ToolkenModel, messages: list[Message]) -> tuple[str, bool]:
    """The head's prompt for a conversation, and whether it resumes after a tool result. System and
    user messages in a row become one question of the head's template; an assistant's reply follows
    its question as the model wrote it, a tool message's result is inserted as toolken inserts one;
    the prompt ends with a new question, or after a tool result to resume from (the one place to
    change for chat templates)."""
    done, question, answer = "", [], None
    for i, m in enumerate(messages):
        text = _text(m, i)
        if m.role in ("system", "developer", "user"):
            if answer is not None:
                done, answer = done + answer + "\n", None
            question.append(text)
            continue
        if question:
            done, question, answer = done + model.prompt_text(" ".join(question)), [], ""
        if answer is None:
            raise ApiError(f"messages[{i}]: a {m.role} message must follow a user message", param=f"messages.{i}")
        if m.role == "assistant":  # a reply starts after the template's "A:" with a space, as the model writes it
            answer += " " + text if text and not answer and not text[0].isspace() else text
        elif messages[i - 1].role == "tool" or messages[i - 1].tool_calls:
            answer = answer + join_result(done + answer, text)
        else:
            raise ApiError(f"messages[{i}]: a tool message must answer tool_calls", param=f"messages.{i}")
    if question:
        return done + model.prompt_text(" ".join(question)), False
    if messages[-1].role != "tool":
        raise ApiError("messages: the last message must be from the user or a tool", param="messages")
    return done + answer, True


def row_options(model: ToolkenModel, req: ChatRequest, max_new_tokens: int, resumes: bool) -> RowOptions:
    """Which toolkens the request may fire and how: with `tools`, only those (each must be a toolken of
    the head) and a fired one pauses for the client; without, the head's tools that have a function
    run in toolken. `tool_choice`: none -> no toolken, required -> the first step fires one, a named
    function -> only that one, fired at the first step."""
    if req.tools:
        allowed = [t.function.name for t in req.tools]
        unknown = [n for n in allowed if n not in model.tool_names]
        if unknown:
            raise ApiError(
                f"this head has no toolken for tool(s) {', '.join(unknown)}; it has: {', '.join(model.tool_names)}",
                param="tools",
                code="unknown_tool",
            )
    else:
        allowed = [t.name for t in model.tools if t.function is not None]
    choice, force = req.tool_choice, False
    if choice == "none":
        allowed = []
    elif choice == "required":
        force = True
    elif isinstance(choice, _Choice):
        if choice.function.name not in allowed:
            where = "`tools`" if req.tools else "the tools this server runs"
            raise ApiError(f"tool_choice names {choice.function.name!r}, not among {where}", param="tool_choice")
        allowed, force = [choice.function.name], True
    if force and not allowed:
        raise ApiError("tool_choice requires a tool call, but no tool may be called", param="tool_choice")
    budget = min(req.max_completion_tokens or req.max_tokens or max_new_tokens, max_new_tokens)
    return RowOptions(allowed, force, bool(req.tools), budget, resumes)


# ---------------------------------------------------------------- responses


def new_id(prefix: str) -> str:
    """A fresh id like OpenAI's (`chatcmpl-...`, `call_...`)."""
    return f"{prefix}{uuid.uuid4().hex[:24]}"


def last_result(messages: list[Message]) -> str:
    """The result a conversation that resumes after a tool message ends with: that message's text."""
    return _text(messages[-1], len(messages) - 1).strip() if messages and messages[-1].role == "tool" else ""


def reply_text(g: Generation, resumes: bool, result: str = "") -> str:
    """The assistant's content: the completion (tool results included), without the leading space
    after the template's "A:"; when resuming after a tool `result`, that result and the words after
    it, as a server-side call's reply has them (a head whose answers end with the result answers
    "4", not nothing)."""
    return result + g.text if resumes else g.text.lstrip()


def tool_calls(g: Generation) -> list[dict]:
    """The paused call as OpenAI `tool_calls` (arguments a JSON string), or none."""
    if not g.paused:
        return []
    call = g.calls[-1]
    arguments = json.dumps(call.arguments, ensure_ascii=False)
    return [{"id": new_id("call_"), "type": "function", "function": {"name": call.tool, "arguments": arguments}}]


def toolken_calls(g: Generation) -> list[dict]:
    """The calls toolken ran (or tried) itself in this turn: tool, arguments, result, error."""
    return [c.to_dict() for c in (g.calls[:-1] if g.paused else g.calls)]


def finish_reason(g: Generation, completion_tokens: int, budget: int) -> str:
    """tool_calls (paused for the client), length (budget used up) or stop."""
    return "tool_calls" if g.paused else "length" if completion_tokens >= budget else "stop"


def completion(name: str, g: Generation, resumes: bool, usage: tuple[int, int], budget: int, result: str = "") -> dict:
    """A `chat.completion` response for one generation; `usage` = (prompt, completion) tokens;
    `result`: the tool result a resumed conversation ends with (`reply_text`)."""
    calls = tool_calls(g)
    content = reply_text(g, resumes, result)
    message: dict[str, Any] = {"role": "assistant", "content": content or (None if calls else "")}
    if calls:
        message["tool_calls"] = calls
    message["toolken_calls"] = toolken_calls(g)
    return {
        "id": new_id("chatcmpl-"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": name,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason(g, usage[1], budget)}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


def chunk(ident: str, name: str, delta: dict, finish: str | None = None) -> dict:
    """One `chat.completion.chunk` of a stream."""
    return {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": name,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def model_card(name: str) -> dict:
    """The entry of `GET /v1/models`."""
    return {"id": name, "object": "model", "created": 0, "owned_by": "toolken"}
