"""Two-mode generation with the augmented head, batched and KV-cached.

Reasoning mode decodes from softmax([W_vocab h ; W_tau h + bias]). When a toolken wins, the row
switches to tool mode: the model writes the arguments after a prompt built from the tool's
description and demonstrations, they are parsed (never eval'd) and validated, the tool runs under a
time limit, its result is appended to the text, and reasoning resumes (`toolken.toolmode`). A failed
call is recorded in the trace and toolkens are masked for the next step, so decoding goes on in words.
`generate` answers a list of questions; `generate_continuous` answers requests as they arrive, each
joining the running batch at the next step (the server's way).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Protocol

import torch
from tqdm.auto import tqdm

from .decoding import ECHO, GLUE, SPEAK, SUSPENDED, decode
from .execution import ToolCall, call_tool
from .firing import allowed_mask, lenders, may_fire, name_bias, offered_mask
from .generation_config import GenerationConfig
from .head import ToolkenModel
from .prefill import RowCache, shared_prefix_cache
from .toolmode import finish_turns, run_tools, text_ids
from .tools import Tool, by_name
from .turns import first_parts

NUMBER_RE = re.compile(r"-?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?")


@dataclass
class Generation:
    """One answered question: the completion text, the extracted answer and the call trace (with
    `RowOptions.pause`, `paused` says the last call's arguments are written and the tool not run)."""

    question: str
    text: str
    answer: str
    calls: list[ToolCall] = field(default_factory=list)
    paused: bool = False

    def to_dict(self) -> dict:
        """JSON form used by `toolken run --json`."""
        return {"answer": self.answer, "text": self.text, "calls": [c.to_dict() for c in self.calls]}


@dataclass
class RowOptions:
    """Per-question settings of one `generate` call (a server batches requests that differ in them):
    the toolkens it may fire (None: all `GenerationConfig.allowed_tools` allow), whether its first
    step must fire one (`force`), whether a fired toolken ends it after its arguments are written,
    without running the tool (`pause`: the caller runs it and resumes), its token budget (None: the
    config's), and whether its prompt ends with a tool result (`after_result`)."""

    allowed: list[str] | None = None
    force: bool = False
    pause: bool = False
    max_new_tokens: int | None = None
    after_result: bool = False


@dataclass
class _Row:
    ids: list[int]
    prompt_len: int
    options: RowOptions = field(default_factory=RowOptions)
    calls: list[ToolCall] = field(default_factory=list)
    budget: int = 0
    block_tools_once: bool = False
    after_result: int = 0  # a result was just appended: how the row goes on (decoding.GLUE, CLOSE, ECHO or SPEAK)
    tools_done: bool = False  # no more toolkens for this row (it repeated a call)
    streak: list[ToolCall] = field(default_factory=list)  # its calls since it last wrote a word
    streak_end: int = -1  # len(ids) right after the last call of `streak`
    paused: bool = False  # its last call waits for the caller (RowOptions.pause)
    carried: int = 0  # its last ids were decoded before a suspension, in the text decoding goes on with
    listen: Callable[[list[int]], None] | None = None
    done: Callable[[Generation], None] | None = None
    cache: RowCache | None = None
    part: str | None = None  # a later request of its question, that its next call answers (turns.next_part)
    name_bias: torch.Tensor | None = None  # per toolken, for the tool names its question writes (`firing.name_bias`)
    first_bias: torch.Tensor | None = None  # `name_bias` and, until its first call, the identifiers it writes
    typed: list[int] = field(default_factory=list)  # toolkens given `typed_value_bias` (`firing.name_bias`)
    spent_bias: tuple[int, torch.Tensor] | None = None  # after how many calls, `name_bias` less what calls spent


LOOP_PERIOD, LOOP_TIMES, LOOP_CHARS = 30, 4, 16  # `GenerationConfig.stop_loops`
_LOOP = re.compile(rf"(.{{1,{LOOP_PERIOD}}}?)\1{{{LOOP_TIMES - 1},}}$", re.DOTALL)


@dataclass
class _Stop:
    """Where a row's new text is cut: at the first of `stop`, just after a text call matching `pattern`,
    at the end of a text that ends repeating a run (with `loops`: `GenerationConfig.stop_loops`),
    or, for an answer starting with the prompt's answer `label` again (SmolLM2 answers some questions
    "A: A: A: ..." after "Q: ...\nA:"), before the label's last character (`echoed` then says so)."""

    stop: Sequence[str]
    pattern: re.Pattern | None = None
    label: str = ""
    loops: bool = False
    echoed: bool = False

    def __call__(self, text: str) -> int | None:
        if self.label and text.lstrip().startswith(self.label):
            self.echoed = True
            return text.index(self.label) + len(self.label) - 1
        cuts = [text.find(s) for s in self.stop if s and s in text]
        m = self.pattern.search(text) if self.pattern else None
        if m:
            cuts.append(m.end())
        if self.loops and (loop := _LOOP.search(text)):
            # digit groups repeat in a big number ("1,000,000,000,000"): twice as long a run for them
            if len(loop.group(0)) >= LOOP_CHARS * (2 if re.fullmatch(r"[\d,.]+", loop.group(1)) else 1):
                cuts.append(len(text))  # there, as written: a streamed answer has sent it already
        return min(cuts) if cuts else None


def extract_answer(completion: str, kind: str, calls: Sequence[ToolCall] = ()) -> str:
    """The answer of a completion: its stripped text; for `number`, the last numeric tool result
    (the model may glue digits onto it), else the last number in the text."""
    if kind == "number":
        results = [c.result for c in calls if c.result is not None and NUMBER_RE.fullmatch(c.result)]
        if results:
            return results[-1]
        numbers = NUMBER_RE.findall(completion)
        return numbers[-1].replace(",", "").rstrip(".") if numbers else ""
    return completion.strip()


# ---------------------------------------------------------------- the loop


def generate(
    model: ToolkenModel,
    questions: Sequence[str],
    config: GenerationConfig | None = None,
    prompts: Sequence[str] | None = None,
    text_tools: Sequence[Tool] = (),
    options: Sequence[RowOptions] | None = None,
    on_tokens: Callable[[int, list[int]], None] | None = None,
) -> list[Generation]:
    """Answer `questions` (put in the head's prompt format, `ToolkenModel.prompt_text`, or given as
    full `prompts`, e.g. `ToolkenModel.messages_text` of a conversation),
    calling tools when a toolken wins. Rows are decoded in batches of `config.batch_size`.
    `text_tools` may also be called by writing `name(args)=` in words (the prompting baseline's way):
    decoding stops there, the tool runs and its result follows the `=`. `options` holds per-question
    settings; `on_tokens(i, ids)` is called after each decoded word with question i's completion ids
    so far (tool results included), to stream them."""
    cfg = config or GenerationConfig()
    prompts = list(prompts) if prompts is not None else [model.prompt_text(q) for q in questions]
    ids = [model.tokenizer(p).input_ids for p in prompts]
    room = model.context_size - cfg.max_new_tokens
    too_long = next((i for i, x in enumerate(ids) if len(x) > room), None)
    if too_long is not None:  # it would run for minutes and answer nothing
        raise ValueError(f"question {too_long} is {len(ids[too_long])} tokens long; the model reads at most {room}")
    if not callable(cfg.allowed_tools):
        allowed_mask(model, cfg.allowed_tools)  # unknown names fail before any decoding
    shared = shared_prefix_cache(model, ids) if len(ids) > 1 and cfg.reuse_kv else None
    tool_caches: dict[tuple[str, bool], RowCache | None] = {}  # each tool's prompt prefix, encoded at its first call
    options = list(options) if options is not None else [RowOptions() for _ in ids]
    rows = [_new_row(x, o, cfg, shared) for x, o in zip(ids, options)]
    for i, r in enumerate(rows if on_tokens else ()):
        r.listen = partial(on_tokens, i)
    starts = range(0, len(ids), cfg.batch_size)
    for start in tqdm(starts, desc="answering", unit="batch", disable=not cfg.progress or len(starts) < 2):
        _decode_rows(model, rows[start : start + cfg.batch_size], cfg, by_name(text_tools), tool_caches)
    return [_generation(model, q, r) for q, r in zip(questions, rows)]


@dataclass
class Request:
    """One question for `generate_continuous`: its full prompt and options; `on_tokens(ids)` gets its
    completion ids after each decoded word, `on_done` its `Generation` as soon as it is answered."""

    prompt: str
    options: RowOptions = field(default_factory=RowOptions)
    on_tokens: Callable[[list[int]], None] | None = None
    on_done: Callable[[Generation], None] | None = None


class Feed(Protocol):
    """Where `generate_continuous` takes its requests from, while it decodes."""

    def waiting(self) -> bool:
        """Whether requests are waiting to join."""

    def take(self, n: int) -> list[Request]:
        """Up to `n` waiting requests (none if none wait), without blocking."""


def generate_continuous(
    model: ToolkenModel,
    feed: Feed,
    config: GenerationConfig | None = None,
    tool_caches: dict[tuple[str, bool], RowCache | None] | None = None,
) -> None:
    """Answer requests from `feed` as they come, up to `config.batch_size` at a time: a request joins
    the running batch at the next step, an answered one leaves it (`Request.on_done`), and the other
    rows' decoding pauses (their KV caches kept) while rows whose toolken fired write arguments and
    run tools, once they are as many as the rows still decoding. Returns when no request is left."""
    cfg = config or GenerationConfig()
    _decode_rows(model, [], cfg, {}, {} if tool_caches is None else tool_caches, feed)


def _new_row(ids: list[int], options: RowOptions, cfg: GenerationConfig, shared: RowCache | None) -> _Row:
    row = _Row(list(ids), len(ids), options, budget=options.max_new_tokens or cfg.max_new_tokens, cache=shared)
    row.after_result = GLUE if options.after_result else 0
    return row


def _generation(model: ToolkenModel, question: str, r: _Row) -> Generation:
    text = model.tokenizer.decode(r.ids[r.prompt_len :], skip_special_tokens=True)
    return Generation(question, text, extract_answer(text, model.config.answer, r.calls), r.calls, r.paused)


def _joining(model: ToolkenModel, cfg: GenerationConfig, feed: Feed | None, room: int) -> list[_Row]:
    """Rows for the requests that join from `feed`, to fill `room` free places."""
    rows = []
    for req in feed.take(room) if feed is not None and room > 0 else ():
        row = _new_row(model.tokenizer(req.prompt).input_ids, req.options, cfg, None)
        row.listen, row.done = req.on_tokens, req.on_done
        rows.append(row)
    return rows


def _decode_rows(
    model: ToolkenModel,
    active: list[_Row],
    cfg: GenerationConfig,
    text_tools: dict[str, Tool],
    tool_caches: dict[tuple[str, bool], RowCache | None],
    feed: Feed | None = None,
) -> None:
    """The two-mode loop: decode `active` rows (and rows joining from `feed`) until each is answered."""
    generator = torch.Generator(device="cpu").manual_seed(cfg.seed)  # sampling draws on the CPU (decoding._pick)
    pattern = call_pattern(tuple(text_tools)) if text_tools else None
    while active := active + _joining(model, cfg, feed, cfg.batch_size - len(active)):
        caches = [r.cache for r in active] if cfg.reuse_kv else None  # after a call: encode only what is new
        at_start = [_at_start(r) for r in active]
        # a row stops at a text call `name(args)=` only while it may still call
        stops = [
            _Stop(model.stop, pattern if len(r.calls) < cfg.max_calls else None, _label(model, r), cfg.stop_loops)
            for r in active
        ]
        outs = _decode_once(model, active, cfg, stops, generator, caches, feed)
        worded = [r for r, (_, fired), start in zip(active, outs, at_start) if start and fired is None]
        firsts = {id(r): (t, part) for r, t, part in first_parts(model, cfg, worded, partial(may_fire, model, cfg))}
        for r, c in zip(active, caches or ()):
            r.cache = r.cache if id(r) in firsts else c
        calling, continuing = [], []
        for r, (new, fired), stop in zip(active, outs, stops):
            if id(r) in firsts:  # its first request alone calls a tool: the call, not the words, opens the answer
                (tool, r.part), r.budget = firsts[id(r)], r.budget - 1
                calling.append((r, tool))
                continue
            r.ids[len(r.ids) - r.carried :] = new
            spoke, r.after_result = r.after_result == SPEAK, 0
            if fired == SUSPENDED:  # it goes on where it was, after the tools of the rows that fired
                r.carried = len(new)
                continuing.append(r)
                continue
            r.budget -= len(new) - r.carried + (fired is not None)
            r.carried, r.block_tools_once = 0, False
            if r.budget > 0 and fired is not None:
                calling.append((r, model.tools[fired]))
            elif r.budget > 0 and stop.echoed:  # it goes on past the label's first word, not into the label
                r.after_result = ECHO
                continuing.append(r)
            elif r.budget > 0 and fired is None and not spoke and cfg.no_empty_answer and _unanswered(model, r):
                r.after_result, r.block_tools_once = SPEAK, True  # it declined to call: a word, not a call
                continuing.append(r)
            elif r.budget > 0 and pattern and _run_text_call(model, r, model.tokenizer.decode(new), text_tools, cfg):
                continuing.append(r)
        turns = run_tools(model, calling, cfg, generator, tool_caches)
        finish_turns(model, cfg, turns, generator, tool_caches)
        previous, active = active, [r for r, _ in calling if not r.paused] + continuing
        left = {id(r) for r in previous} - {id(r) for r in active}
        for r in previous:
            if id(r) in left and r.done is not None:
                r.done(_generation(model, "", r))


def _decode_once(
    model: ToolkenModel,
    active: list[_Row],
    cfg: GenerationConfig,
    stops: list[_Stop],
    generator: torch.Generator,
    caches: list[RowCache | None] | None,
    feed: Feed | None,
) -> list[tuple[list[int], int | None]]:
    """One `decode` of the active rows in word mode, until each stops, fires or is suspended."""
    offered = [offered_mask(model, cfg, r) for r in active]
    named = cfg.name_bias or cfg.named_call_bias or cfg.typed_value_bias or cfg.fit_bias
    return decode(
        model,
        [r.ids for r in active],
        [r.budget for r in active],
        stops,
        cfg,
        torch.stack([may_fire(model, cfg, r, o) for r, o in zip(active, offered)]),
        generator,
        caches,
        after_result=[r.after_result for r in active],
        force=[r.options.force and not r.calls and len(r.ids) == r.prompt_len for r in active],
        on_tokens=_listener(active),
        carried=[r.carried for r in active],
        suspend=_suspend_rule(feed, cfg.batch_size) if feed is not None and cfg.reuse_kv else None,
        tool_bias=torch.stack([name_bias(model, cfg, r, o) for r, o in zip(active, offered)]) if named else None,
        lenders=lenders(cfg, offered),
    )


def _at_start(r: _Row) -> bool:
    """Whether a row decodes from its answer's start, its words not streamed to a listener (they may be
    dropped for a call: `turns.first_parts`)."""
    fresh = len(r.ids) == r.prompt_len and not r.carried and r.after_result != SPEAK
    return fresh and not r.calls and not r.options.after_result and r.listen is None


def _label(model: ToolkenModel, r: _Row) -> str:
    """The answer label a row may not start its answer with: only at the answer's start."""
    return model.answer_label if len(r.ids) == r.prompt_len and not r.calls and not r.options.after_result else ""


def _unanswered(model: ToolkenModel, r: _Row) -> bool:
    """Whether a row ended its answer without a call or a word (`GenerationConfig.no_empty_answer`)."""
    new = r.ids[r.prompt_len :]
    return not r.calls and not r.options.after_result and not model.tokenizer.decode(new).strip()


def _suspend_rule(feed: Feed, batch_size: int) -> Callable[[int, int], bool]:
    """When rows still decoding are suspended: once the rows that fired are as many, or when requests
    wait to join and there is room."""
    return lambda fired, decoding: fired >= decoding or (feed.waiting() and fired + decoding < batch_size)


def _listener(active: list[_Row]) -> Callable[[int, list[int]], None] | None:
    """`decode`'s per-word callback: row i's listener gets its completion ids so far."""
    if not any(r.listen for r in active):
        return None

    def listen(i: int, new: list[int]) -> None:
        row = active[i]
        if row.listen is not None:
            row.listen(row.ids[row.prompt_len : len(row.ids) - row.carried] + new)

    return listen


@cache
def call_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Regex of a text call `name(args)=` of one of `names` (arguments on one line, no parentheses)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternatives})\(([^()\n]*)\)\s*=")


def finish_call(completion: str, tools: dict[str, Tool], cfg: GenerationConfig) -> tuple[str, ToolCall | None]:
    """If `completion` ends with a text call `name(args)=` of one of `tools`, run it and return the
    completion with the result appended, and the call (a failed call appends nothing)."""
    matches = list(call_pattern(tuple(tools)).finditer(completion))
    m = matches[-1] if matches else None  # only a call that ends the completion is due
    if m is None or m.end() != len(completion):
        return completion, None
    call = call_tool(tools[m.group(1)], m.group(2), cfg.tool_timeout, cfg.max_result_chars)
    return completion + (call.result if call.error is None else ""), call


def _run_text_call(
    model: ToolkenModel, row: _Row, new_text: str, tools: dict[str, Tool], cfg: GenerationConfig
) -> bool:
    """Run the text call that ends `new_text`, if any, appending its result to `row`; True if one ran."""
    extended, call = finish_call(new_text, tools, cfg)
    if call is None:
        return False
    row.calls.append(call)
    row.ids += text_ids(model.tokenizer, extended[len(new_text) :])
    return True
