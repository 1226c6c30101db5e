"""Two-mode generation with the augmented head, batched and KV-cached.

Reasoning mode decodes from softmax([W_vocab h ; W_tau h + bias]). When a toolken wins, the row
switches to tool mode: the model writes the arguments after a prompt built from the tool's
description and demonstrations, they are parsed (never eval'd) and validated, the tool runs under a
time limit, its result is appended to the text, and reasoning resumes. A failed call is recorded in
the trace and toolkens are masked for the next step, so decoding goes on in words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import torch

from .arguments import ToolError, parse_arguments
from .decoding import RowCache, decode, shared_prefix_cache
from .execution import ToolCall, call_tool, execute
from .grammar import grammars_for
from .head import ToolkenModel
from .tools import Tool, by_name

GRAMMAR_ROOM = 4
NUMBER_RE = re.compile(r"-?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?")
_SPACE_BEFORE = set(":;,.!?)]>\"'%")


@dataclass
class GenerationConfig:
    """Decoding settings. `bias` overrides the head's trained logit bias; `allowed_tools` restricts
    the toolkens that may fire: a list of names for the whole run, or a function of the text written
    so far (prompt included) returning the names allowed from there to the next call, or None for all
    (e.g. only objects after a VirtualHome action, only objects present in the scene)."""

    max_new_tokens: int = 64
    do_sample: bool = False
    temperature: float = 1.0
    top_k: int = 0
    seed: int = 0
    bias: float | None = None
    max_calls: int = 6
    tool_timeout: float = 5.0
    max_result_chars: int = 2000
    argument_tokens: int = 64  # free-text arguments; grammar-constrained ones get GRAMMAR_ROOM times this
    # "schema": decoded under the tool's JSON-schema grammar; "copy": also numbers and strings must be
    # values the question (or a result) writes; "text": free text, validated afterwards
    arguments: str = "copy"
    context_chars: int = 700
    batch_size: int = 8
    allowed_tools: list[str] | Callable[[str], Sequence[str] | None] | None = None
    reuse_kv: bool = True  # False re-encodes every row from scratch at each mode switch, as ToolkenGPT does


@dataclass
class Generation:
    """One answered question: the completion text, the extracted answer and the call trace."""

    question: str
    text: str
    answer: str
    calls: list[ToolCall] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form used by `toolken run --json`."""
        return {"answer": self.answer, "text": self.text, "calls": [c.to_dict() for c in self.calls]}


@dataclass
class _Row:
    ids: list[int]
    prompt_len: int
    calls: list[ToolCall] = field(default_factory=list)
    budget: int = 0
    block_tools_once: bool = False
    after_result: bool = False  # a result was just appended: the next word must not glue onto it
    tools_done: bool = False  # no more toolkens for this row (it repeated a call)
    cache: RowCache | None = None


# ---------------------------------------------------------------- tool mode


def tool_prompt(tool: Tool, context: str, context_chars: int = 700, as_json: bool = False) -> str:
    """The prompt for writing `tool`'s arguments: its signature and description, up to three
    demonstrations (context, then the call), then the current context and the open call."""
    return tool_prompt_prefix(tool, context_chars, as_json) + f"{context[-context_chars:]}\nCall: {tool.name}("


def tool_prompt_prefix(tool: Tool, context_chars: int = 700, as_json: bool = False) -> str:
    """The start of `tool_prompt`, the same for every call of `tool` (so encoded once per tool). With
    `as_json`, demonstrations show their arguments as the JSON object the grammar makes the model write
    (those whose arguments do not fit the schema are left out)."""
    parts = [f"Tool {tool.signature}: {tool.description}".strip()]
    for demo in tool.demonstrations[:3]:
        arguments = _json_arguments(tool, demo["arguments"]) if as_json else demo["arguments"]
        if arguments is not None:
            parts.append(f"{demo['context'][-context_chars // 2 :]}\nCall: {tool.name}({arguments})")
    return "\n\n".join(parts) + "\n\n"


def _json_arguments(tool: Tool, text: str) -> str | None:
    try:
        return json.dumps(parse_arguments(text, tool), ensure_ascii=False)
    except ToolError:
        return None


def close_paren(text: str) -> int | None:
    """Index of the `)` that closes an argument list (ignoring brackets and quotes inside), or of a
    newline, whichever comes first."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n":
            return i
    return None


def _question_text(row: _Row, tokenizer) -> str:
    """What a row's arguments may copy from: its prompt and everything written since (results included)."""
    return tokenizer.decode(row.ids, skip_special_tokens=True)


def _repeats(row: _Row, tool: Tool, argument_text: str) -> bool:
    """Whether this call is the row's previous call again (same tool, same argument text)."""
    last = row.calls[-1] if row.calls else None
    return last is not None and last.tool == tool.name and last.argument_text.strip() == argument_text.strip()


def _never(text: str) -> None:
    return None


def join_result(context: str, result: str) -> str:
    """The text to append for a tool result: with a space after a word or punctuation, as training
    spans own the space before a result."""
    if context and (context[-1].isalnum() or context[-1] in _SPACE_BEFORE) and not result[:1].isspace():
        return " " + result
    return result


def _stop_at(stop: Sequence[str], pattern: re.Pattern | None = None) -> Callable[[str], int | None]:
    """Cut a row's new text at the first of `stop`, or just after a text call matching `pattern`."""

    def find(text: str) -> int | None:
        cuts = [text.find(s) for s in stop if s and s in text]
        m = pattern.search(text) if pattern else None
        if m:
            cuts.append(m.end())
        return min(cuts) if cuts else None

    return find


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
) -> list[Generation]:
    """Answer `questions` (formatted with the head's prompt template, or given as full `prompts`),
    calling tools when a toolken wins. Rows are decoded in batches of `config.batch_size`.
    `text_tools` may also be called by writing `name(args)=` in words (the prompting baseline's way):
    decoding stops there, the tool runs and its result follows the `=`."""
    cfg = config or GenerationConfig()
    prompts = list(prompts) if prompts is not None else [model.config.prompt.format(question=q) for q in questions]
    ids = [model.tokenizer(p).input_ids for p in prompts]
    room = model.context_size - cfg.max_new_tokens
    too_long = next((i for i, x in enumerate(ids) if len(x) > room), None)
    if too_long is not None:  # it would run for minutes and answer nothing
        raise ValueError(f"question {too_long} is {len(ids[too_long])} tokens long; the model reads at most {room}")
    shared = shared_prefix_cache(model, ids) if len(ids) > 1 and cfg.reuse_kv else None
    tool_caches: dict[tuple[str, bool], RowCache | None] = {}  # each tool's prompt prefix, encoded at its first call
    results: list[Generation] = []
    for start in range(0, len(ids), cfg.batch_size):
        end = start + cfg.batch_size
        batch = _Batch(questions[start:end], ids[start:end], by_name(text_tools), shared, tool_caches)
        results.extend(_generate_batch(model, batch, cfg))
    return results


@dataclass
class _Batch:
    """One batch of `generate`: its questions and prompt ids, the tools callable as text, and the KV
    caches shared across batches (the common prompt prefix, each tool's prompt prefix)."""

    questions: Sequence[str]
    prompts: Sequence[list[int]]
    text_tools: dict[str, Tool]
    shared: RowCache | None
    tool_caches: dict[tuple[str, bool], RowCache | None]


def _allowed_mask(model: ToolkenModel, names: Sequence[str] | None) -> torch.Tensor:
    if names is None:
        return torch.ones(len(model.tools), dtype=torch.bool, device=model.device)
    unknown = set(names) - set(model.tool_names)
    if unknown:
        raise KeyError(f"allowed_tools names unknown tools: {sorted(unknown)}")
    allowed = set(names)
    return torch.tensor([n in allowed for n in model.tool_names], device=model.device)


def _row_mask(model: ToolkenModel, cfg: GenerationConfig, row: _Row) -> torch.Tensor:
    """Which toolkens row `row` may fire until its next call."""
    if row.block_tools_once or row.tools_done or len(row.calls) >= cfg.max_calls:
        return torch.zeros(len(model.tools), dtype=torch.bool, device=model.device)
    if callable(cfg.allowed_tools):
        return _allowed_mask(model, cfg.allowed_tools(model.tokenizer.decode(row.ids, skip_special_tokens=True)))
    return _allowed_mask(model, cfg.allowed_tools)


def _generate_batch(model: ToolkenModel, batch: _Batch, cfg: GenerationConfig) -> list[Generation]:
    tok = model.tokenizer
    if not callable(cfg.allowed_tools):
        _allowed_mask(model, cfg.allowed_tools)  # unknown names fail before any decoding
    generator = torch.Generator(device="cpu").manual_seed(cfg.seed)  # sampling draws on the CPU (decoding._pick)
    rows = [_Row(list(ids), len(ids), budget=cfg.max_new_tokens, cache=batch.shared) for ids in batch.prompts]
    pattern = call_pattern(tuple(batch.text_tools)) if batch.text_tools else None
    active = list(rows)
    while active:
        masks = torch.stack([_row_mask(model, cfg, r) for r in active])
        # a row stops at a text call `name(args)=` only while it may still call
        stops = [_stop_at(model.config.stop, pattern if len(r.calls) < cfg.max_calls else None) for r in active]
        caches = [r.cache for r in active] if cfg.reuse_kv else None  # after a call: encode only what is new
        no_glue = [r.after_result for r in active]
        outs = decode(
            model,
            [r.ids for r in active],
            [r.budget for r in active],
            stops,
            cfg,
            masks,
            generator,
            caches,
            no_glue=no_glue,
        )
        for r, c in zip(active, caches or ()):
            r.cache = c
        calling, continuing = [], []
        for r, (new, fired) in zip(active, outs):
            r.ids += new
            r.budget -= len(new) + (fired is not None)
            r.block_tools_once = r.after_result = False
            if r.budget <= 0:
                continue
            if fired is not None:
                calling.append((r, model.tools[fired]))
            elif pattern and _run_text_call(model, r, tok.decode(new), batch.text_tools, cfg):
                continuing.append(r)
        _run_tools(model, calling, cfg, generator, batch.tool_caches)
        active = [r for r, _ in calling] + continuing
    out = []
    for q, r in zip(batch.questions, rows):
        text = tok.decode(r.ids[r.prompt_len :], skip_special_tokens=True)
        out.append(Generation(q, text, extract_answer(text, model.config.answer, r.calls), r.calls))
    return out


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


def _text_ids(tokenizer, text: str, add_special_tokens: bool = False) -> list[int]:
    """Token ids of untrusted text (a tool's result; a tool prompt, with its spec and context): a
    special token's string such as "<eos>" in it stays plain text, never the special token itself."""
    return tokenizer(text, add_special_tokens=add_special_tokens, split_special_tokens=True).input_ids


def _run_text_call(
    model: ToolkenModel, row: _Row, new_text: str, tools: dict[str, Tool], cfg: GenerationConfig
) -> bool:
    """Run the text call that ends `new_text`, if any, appending its result to `row`; True if one ran."""
    extended, call = finish_call(new_text, tools, cfg)
    if call is None:
        return False
    row.calls.append(call)
    row.ids += _text_ids(model.tokenizer, extended[len(new_text) :])
    return True


def _run_tools(
    model: ToolkenModel,
    calling: list[tuple[_Row, Tool]],
    cfg: GenerationConfig,
    generator: torch.Generator,
    tool_caches: dict[tuple[str, bool], RowCache | None],
) -> None:
    """Tool mode for every row whose toolken fired: write arguments (batched, each tool's prompt
    prefix from `tool_caches`), run, append results."""
    tok = model.tokenizer
    needs_args = [(r, t) for r, t in calling if t.argument_names]
    texts = {id(r): tok.decode(r.ids, skip_special_tokens=True) for r, _ in calling}
    arg_texts: dict[int, str] = {}
    if needs_args:
        compiled = grammars_for(tok, model.vocab_size) if cfg.arguments in ("schema", "copy") else None
        copy = cfg.arguments == "copy"  # values copied from the question the row answers
        states = [
            compiled.for_tool(t, _question_text(r, tok) if copy else None) if compiled else None for r, t in needs_args
        ]
        as_json = [s is not None for s in states]
        prompts = [
            _text_ids(tok, tool_prompt(t, texts[id(r)], cfg.context_chars, j), True)
            for (r, t), j in zip(needs_args, as_json)
        ]
        for (_, t), j in zip(needs_args, as_json) if cfg.reuse_kv else ():
            if (t.name, j) not in tool_caches:
                prefix = _text_ids(tok, tool_prompt_prefix(t, cfg.context_chars, j), True)
                tool_caches[(t.name, j)] = shared_prefix_cache(model, [prefix])
        caches = [tool_caches.get((t.name, j)) for (_, t), j in zip(needs_args, as_json)]
        stops = [_never if j else close_paren for j in as_json]  # a grammar row ends when its object does
        grammars = (compiled, states) if compiled else None
        # a grammar ends its object itself (lists, numbers and repeats are bounded): more room before the cap
        budgets = [cfg.argument_tokens * (GRAMMAR_ROOM if j else 1) for j in as_json]
        outs = decode(model, prompts, budgets, stops, cfg, None, generator, caches, grammars)
        for (r, _), (new, _) in zip(needs_args, outs):
            arg_texts[id(r)] = tok.decode(new, skip_special_tokens=True)
    for r, tool in calling:
        if _repeats(r, tool, arg_texts.get(id(r), "")):
            # the same call again right after itself: its answer is already there, so stop calling
            r.calls.append(ToolCall(tool.name, None, None, "the previous call repeated; not run again"))
            r.tools_done, r.after_result = True, False
            continue
        if tool.argument_names:
            call = call_tool(tool, arg_texts[id(r)], cfg.tool_timeout, cfg.max_result_chars)
        else:
            try:
                call = ToolCall(tool.name, {}, execute(tool, {}, cfg.tool_timeout, cfg.max_result_chars))
            except ToolError as e:
                call = ToolCall(tool.name, {}, None, str(e))
        r.calls.append(call)
        if call.error is None:
            r.ids += _text_ids(tok, join_result(texts[id(r)], call.result))
        else:
            r.block_tools_once = True  # go on in words from the same place
        r.after_result = call.error is None
