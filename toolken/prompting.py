"""Prompt formats: how a question, or an OpenAI-style conversation, becomes the text the model
continues, and how a training demonstration is written in the same format, so a head trained once
answers alike in `toolken run`, a server and Python.

- `plain`: the head's `prompt` template (`Q: {question}\\nA:`): base models and the papers' benchmarks;
- `chat`: the tokenizer's own chat template (system / user / assistant turns, `apply_chat_template`),
  for instruct models. A tokenizer without a chat template falls back to `plain`.

Demonstrations are always written in the plain template (data files, `toolken synth`, the papers'
readers); under `chat` each is re-rendered as one user turn and the assistant's answer, its call
offsets moved with the text, so they land on the same tokens as at inference."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .config import PromptFormat
from .demonstrations import Call, Demo

SLOT = "TOOLKENSLOTQUESTION"  # stands for the question while a template renders (letters: no template trims it)
SLOT2 = "TOOLKENSLOTANSWER"
ROLES = ("system", "user", "assistant", "tool")


def has_chat_template(tokenizer: Any) -> bool:
    """Whether `tokenizer` brings its own chat template."""
    return bool(getattr(tokenizer, "chat_template", None))


def resolve_format(fmt: PromptFormat | str, tokenizer: Any, warn: bool = True) -> PromptFormat:
    """`fmt`, except that `chat` falls back to `plain` for a tokenizer without a chat template, as base
    models have (with a warning if `warn`: the format was asked for, not a default)."""
    fmt = PromptFormat(fmt)
    if fmt is PromptFormat.CHAT and not has_chat_template(tokenizer):
        if warn:
            warnings.warn("the tokenizer has no chat template: prompting in the plain format", stacklevel=3)
        return PromptFormat.PLAIN
    return fmt


def _apply(tokenizer: Any, messages: list[dict], generation_prompt: bool) -> str:
    """The chat template rendered as text, less a BOS the tokenizer adds again when it tokenizes."""
    try:
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)
    except Exception as e:  # noqa: BLE001 - a template's own error (jinja raise_exception) is bad input
        raise ValueError(f"the chat template refuses these messages: {e}") from None
    bos = tokenizer.bos_token
    if bos and text.startswith(bos) and tokenizer("x").input_ids[:1] == [tokenizer.bos_token_id]:
        text = text[len(bos) :]
    return text


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def chat_template(tokenizer: Any, system: str | None = None) -> str:
    """The tokenizer's chat template around one user turn, up to where the assistant's answer starts,
    as a `{question}` template (the plain format's kind), e.g. `<|im_start|>user\\n{question}<|im_end|>
    \\n<|im_start|>assistant\\n` after the template's default system turn."""
    messages = [{"role": "system", "content": system}] if system else []
    text = _apply(tokenizer, messages + [{"role": "user", "content": SLOT}], True)
    if text.count(SLOT) != 1:
        raise ValueError("the chat template does not show the user's message once")
    before, after = text.split(SLOT)
    return _escape(before) + "{question}" + _escape(after)


def end_of_turn(tokenizer: Any) -> str:
    """The text the chat template puts after an assistant's answer (`<|im_end|>`), less trailing
    whitespace; empty for a tokenizer without a chat template."""
    if not has_chat_template(tokenizer):
        return ""
    text = _apply(tokenizer, [{"role": "user", "content": SLOT}, {"role": "assistant", "content": SLOT2}], False)
    return text.split(SLOT2, 1)[1].rstrip() if text.count(SLOT2) == 1 else ""


def question_template(config: Any, tokenizer: Any) -> str:
    """The `{question}` template a head with `config` prompts with (its format on this tokenizer)."""
    if config.prompt_format == PromptFormat.CHAT and has_chat_template(tokenizer):
        return chat_template(tokenizer)
    return config.prompt


def render_question(config: Any, tokenizer: Any, question: str) -> str:
    """The prompt text for `question` under the head's format, up to where the answer starts."""
    return question_template(config, tokenizer).format(question=question)


def answer_label(config: Any, tokenizer: Any) -> str:
    """The label the prompt ends with before the answer ("A:" of "Q: {question}\nA:"), or "" where the
    template ends otherwise (a chat template's assistant turn)."""
    if config.prompt_format == PromptFormat.CHAT and has_chat_template(tokenizer):
        return ""  # the template ends with the assistant's turn, not with a label to repeat
    tail = config.prompt.rpartition("{question}")[2].strip()
    return tail if len(tail) > 1 and "\n" not in tail and not tail[-1].isalnum() else ""


def stop_texts(config: Any, tokenizer: Any) -> list[str]:
    """Where an answer ends: the head's stop strings, and under `chat` the template's end of turn."""
    end = end_of_turn(tokenizer) if config.prompt_format == PromptFormat.CHAT else ""
    return list(config.stop) + ([end] if end and end not in config.stop else [])


# ---------------------------------------------------------------- conversations


def _content(message: Any, i: int) -> tuple[str, str]:
    """(role, text) of an OpenAI-style message; text parts of a list content are joined."""
    if not isinstance(message, dict) or message.get("role") not in ROLES:
        raise ValueError(f"message {i}: needs a role, one of {', '.join(ROLES)}")
    content = message.get("content")
    if content is None:
        content = ""  # an assistant turn that only called tools
    if isinstance(content, list):
        if not all(isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str) for p in content):
            raise ValueError(f"message {i}: only text content parts are supported")
        content = "".join(p["text"] for p in content)
    if not isinstance(content, str):
        raise ValueError(f"message {i}: content must be text")
    return message["role"], content


def render_messages(config: Any, tokenizer: Any, messages: Sequence[dict]) -> str:
    """The prompt text for an OpenAI-style conversation (system / user / assistant / tool messages)
    under the head's format, up to where the assistant's next answer starts. The last message must be
    the user's or a tool's. Under `plain`, a system message opens the text, each user turn is the
    template, each assistant turn its answer line, and a tool message a `Result:` line."""
    turns = [_content(m, i) for i, m in enumerate(messages)]
    if not turns or turns[-1][0] not in ("user", "tool"):
        raise ValueError("the last message must be the user's (or a tool's result)")
    if config.prompt_format == PromptFormat.CHAT and has_chat_template(tokenizer):
        return _apply(tokenizer, [{"role": r, "content": c} for r, c in turns], True)
    stop = config.stop[0] if config.stop else "\n"
    parts = []
    for role, content in turns:
        if role == "system":
            parts.append(content + "\n\n")
        elif role == "user":
            parts.append(config.prompt.format(question=content))
        elif role == "assistant":
            parts.append(" " + content.strip() + stop)
        else:
            parts.append(f"Result: {content}{stop}")
    if turns[-1][0] == "tool":  # the answer goes on after the result: reopen it with the template's marker
        parts.append(config.prompt.format(question=SLOT).split(SLOT)[1].lstrip())
    return "".join(parts)


# ---------------------------------------------------------------- demonstrations


def demo_as_chat(demo: Demo, plain: str, chat: str, end: str) -> Demo:
    """`demo`, written in the `plain` template (`Q: question\\nA: answer`), re-rendered in the `chat`
    template (both `{question}` templates) as one user turn and the assistant's answer, closed by
    `end`; call offsets move with their text. A demo not in the plain form, or whose calls cross it,
    is returned unchanged."""
    prefix, marker = plain.format(question=SLOT).split(SLOT)
    text = demo.text
    at = text.find(marker, len(prefix)) if marker.strip() and text.startswith(prefix) else -1
    if at < 0:
        return demo
    q_end, a_start = at, at + len(marker)
    answer = text[a_start:].strip()
    a_start += len(text[a_start:]) - len(text[a_start:].lstrip())
    head = chat.format(question=text[len(prefix) : q_end])
    q_shift, a_shift = chat.format(question=SLOT).index(SLOT) - len(prefix), len(head) - a_start
    calls = []
    for c in demo.calls:
        if c.end <= q_end and c.start >= len(prefix):
            calls.append(Call(c.tool, c.start + q_shift, c.end + q_shift, c.arguments))
        elif c.start >= at + len(marker) and c.end <= a_start + len(answer):
            # a result right after the marker owned its space: the answer now opens the turn instead
            calls.append(Call(c.tool, max(c.start, a_start) + a_shift, c.end + a_shift, c.arguments))
        else:
            return demo
    return Demo(head + answer + end, calls)


def training_demos(config: Any, tokenizer: Any, demos: Sequence[Demo]) -> tuple[list[Demo], str]:
    """`demos` written in the head's prompt format, and the `{question}` template they follow."""
    template = question_template(config, tokenizer)
    if template == config.prompt:
        return list(demos), template
    end = end_of_turn(tokenizer)
    return [demo_as_chat(d, config.prompt, template, end) for d in demos], template
