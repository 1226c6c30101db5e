"""Two-mode generation with the augmented head, batched and KV-cached.

Reasoning mode decodes from softmax([W_vocab h ; W_tau h + bias]). When a toolken wins, the row
switches to tool mode: the model writes the arguments after a prompt built from the tool's
description and demonstrations, they are parsed (never eval'd) and validated, the tool runs under a
time limit, its result is appended to the text, and reasoning resumes. A failed call is recorded in
the trace and toolkens are masked for the next step, so decoding goes on in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
from transformers import DynamicCache

from .head import ToolkenModel
from .tools import Tool, ToolCall, ToolError, call_tool, execute

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
    argument_tokens: int = 40
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
class RowCache:
    """The keys and values (per layer: kv-heads x len(ids) x head-dim) the backbone computed for the
    token `ids`: a row whose text starts with `ids` skips re-encoding them (its prompt after a tool
    call, or a prompt prefix shared by a whole batch)."""

    ids: list[int]
    layers: list[tuple[torch.Tensor, torch.Tensor]]


@dataclass
class _Row:
    ids: list[int]
    prompt_len: int
    calls: list[ToolCall] = field(default_factory=list)
    budget: int = 0
    block_tools_once: bool = False
    cache: RowCache | None = None


# ---------------------------------------------------------------- batched decoding


def _pick(logits: torch.Tensor, cfg: GenerationConfig, generator: torch.Generator) -> torch.Tensor:
    if not cfg.do_sample:
        return logits.argmax(-1)
    logits = logits / max(cfg.temperature, 1e-5)
    if cfg.top_k > 0:
        kth = logits.topk(min(cfg.top_k, logits.shape[-1]), -1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    return torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)[:, 0]


@torch.no_grad()
def decode(
    model: ToolkenModel,
    rows: Sequence[list[int]],
    max_new: Sequence[int],
    stops: Sequence[Callable[[str], int | None]],
    cfg: GenerationConfig,
    tool_mask: torch.Tensor | None = None,
    generator: torch.Generator | None = None,
    caches: list[RowCache | None] | None = None,
) -> list[tuple[list[int], int | None]]:
    """Decode all `rows` together (left-padded, one KV cache) until each stops. `tool_mask` (R x |T|
    bool) says which toolkens may fire per row; None means words only. Returns per row the new word
    ids and the index of the toolken that fired (or None). `stops[r](text)` returns where to cut the
    row's new text when a stop condition is met. `caches[r]`, if it holds a prefix of `rows[r]`, is
    used instead of re-encoding that prefix, and is replaced by the cache of `rows[r]` (all but its
    last token) for the row's next call."""
    lm, tok = model.lm, model.tokenizer
    n = len(rows)
    keep = caches is not None
    out, mask, position = _prefill(model, rows, caches if keep else [None] * n, keep)
    past, h = out.past_key_values, out.last_hidden_state[:, -1]
    word_head = lm.get_output_embeddings()
    bias = model.config.bias if cfg.bias is None else cfg.bias
    new: list[list[int]] = [[] for _ in rows]
    fired: list[int | None] = [None] * n
    done = [m <= 0 for m in max_new]
    live = list(range(n))  # rows still in the batch, in batch order
    next_pos = position[:, -1]
    eos = tok.eos_token_id
    for _step in range(max(max_new, default=0)):
        # finished rows leave the batch (and the KV cache), so the others decode at full speed
        keep = [j for j, i in enumerate(live) if not done[i]]
        if not keep:
            break
        if len(keep) < len(live):
            index = torch.tensor(keep)
            past.batch_select_indices(index)
            h, mask, next_pos = h[index], mask[index], next_pos[index]
            live = [live[j] for j in keep]
        if _step > 0:
            step_ids = torch.tensor([[new[i][-1]] for i in live])
            mask = torch.cat([mask, torch.ones((len(live), 1), dtype=torch.long)], -1)
            next_pos = next_pos + 1
            out = lm.base_model(
                input_ids=step_ids,
                attention_mask=mask,
                position_ids=next_pos[:, None],
                past_key_values=past,
                use_cache=True,
            )
            past, h = out.past_key_values, out.last_hidden_state[:, -1]
        logits = word_head(h).float()
        if tool_mask is not None:
            tool_logits = model.head(h).float() + bias
            logits = torch.cat([logits, tool_logits.masked_fill(~tool_mask[live], float("-inf"))], -1)
        for i, c in zip(live, _pick(logits, cfg, generator).tolist()):
            if c >= model.vocab_size:
                fired[i], done[i] = c - model.vocab_size, True
                continue
            if c == eos:
                done[i] = True
                continue
            new[i].append(c)
            text = tok.decode(new[i])
            cut = stops[i](text)
            if cut is not None:
                new[i] = tok(text[:cut], add_special_tokens=False).input_ids if cut else []
                done[i] = True
            elif len(new[i]) >= max_new[i]:
                done[i] = True
    return list(zip(new, fired))


def _prefill(
    model: ToolkenModel, rows: Sequence[list[int]], caches: list[RowCache | None], keep: bool
) -> tuple[object, torch.Tensor, torch.Tensor]:
    """Encode `rows` in one left-padded batch, reusing the cached prefix of each row (its columns are
    left-padded too, so padding may sit between a row's prefix and the rest); returns the backbone's
    output, the attention mask and the position ids over all columns. With `keep`, `caches` is
    updated to the new cache of each row."""
    lm, tok = model.lm, model.tokenizer
    usable = [c is not None and len(c.ids) < len(r) and r[: len(c.ids)] == c.ids for r, c in zip(rows, caches)]
    reused = [len(c.ids) if ok else 0 for c, ok in zip(caches, usable)]
    past_width = max(reused)
    width = max(len(r) - k for r, k in zip(rows, reused))
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    ids = torch.full((len(rows), width), pad)
    mask = torch.zeros((len(rows), past_width + width), dtype=torch.long)
    for i, (r, k) in enumerate(zip(rows, reused)):
        ids[i, width - (len(r) - k) :] = torch.tensor(r[k:])
        mask[i, past_width - k : past_width] = 1
        mask[i, past_width + width - (len(r) - k) :] = 1
    position = (mask.cumsum(-1) - 1).clamp(min=0)
    past = None
    if past_width:
        sample = next(c for c, ok in zip(caches, usable) if ok).layers
        data = []
        for layer, (k0, v0) in enumerate(sample):
            keys = k0.new_zeros((len(rows), k0.shape[0], past_width, k0.shape[-1]))
            values = v0.new_zeros((len(rows), v0.shape[0], past_width, v0.shape[-1]))
            for i, (c, k) in enumerate(zip(caches, reused)):
                if k:
                    keys[i, :, past_width - k :], values[i, :, past_width - k :] = c.layers[layer]
            data.append((keys, values))
        past = DynamicCache(ddp_cache_data=data, config=lm.config)
    out = lm.base_model(
        input_ids=ids, attention_mask=mask, position_ids=position[:, past_width:], past_key_values=past, use_cache=True
    )
    for i, r in enumerate(rows if keep else ()):  # all but the last token: a call must feed at least one
        columns = mask[i].nonzero()[: len(r) - 1, 0]
        layers = [(layer.keys[i][:, columns], layer.values[i][:, columns]) for layer in out.past_key_values.layers]
        caches[i] = RowCache(list(r[:-1]), layers)
    return out, mask, position


@torch.no_grad()
def shared_prefix_cache(model: ToolkenModel, prompts: Sequence[list[int]]) -> RowCache | None:
    """The cache of the longest token prefix all `prompts` share, less its last token (which may merge
    with what follows), or None if that is empty: encoded once, it spares every row of a batch from
    re-encoding a common few-shot prompt, and every call of a tool from re-encoding its demonstrations."""
    first, common = prompts[0], min(len(p) for p in prompts)
    for p in prompts[1:]:
        common = next((j for j in range(common) if p[j] != first[j]), common)
    if common < 2:
        return None
    caches: list[RowCache | None] = [None]
    _prefill(model, [first[:common]], caches, keep=True)
    return caches[0]


# ---------------------------------------------------------------- tool mode


def tool_prompt(tool: Tool, context: str, context_chars: int = 700) -> str:
    """The prompt for writing `tool`'s arguments: its signature and description, up to three
    demonstrations (context, then the call), then the current context and the open call."""
    return tool_prompt_prefix(tool, context_chars) + f"{context[-context_chars:]}\nCall: {tool.name}("


def tool_prompt_prefix(tool: Tool, context_chars: int = 700) -> str:
    """The start of `tool_prompt`, the same for every call of `tool` (so encoded once per tool)."""
    parts = [f"Tool {tool.signature}: {tool.description}".strip()]
    for demo in tool.demonstrations[:3]:
        parts.append(f"{demo['context'][-context_chars // 2 :]}\nCall: {tool.name}({demo['arguments']})")
    return "\n\n".join(parts) + "\n\n"


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


def join_result(context: str, result: str) -> str:
    """The text to append for a tool result: with a space after a word or punctuation, as training
    spans own the space before a result."""
    if context and (context[-1].isalnum() or context[-1] in _SPACE_BEFORE) and not result[:1].isspace():
        return " " + result
    return result


def _stop_at(stop: Sequence[str]) -> Callable[[str], int | None]:
    def find(text: str) -> int | None:
        hits = [text.find(s) for s in stop if s and s in text]
        return min(hits) if hits else None

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
) -> list[Generation]:
    """Answer `questions` (formatted with the head's prompt template, or given as full `prompts`),
    calling tools when a toolken wins. Rows are decoded in batches of `config.batch_size`."""
    cfg = config or GenerationConfig()
    prompts = list(prompts) if prompts is not None else [model.config.prompt.format(question=q) for q in questions]
    ids = [model.tokenizer(p).input_ids for p in prompts]
    shared = shared_prefix_cache(model, ids) if len(ids) > 1 and cfg.reuse_kv else None
    tool_caches: dict[str, RowCache | None] = {}  # each tool's prompt prefix, encoded at its first call
    results: list[Generation] = []
    for start in range(0, len(ids), cfg.batch_size):
        end = start + cfg.batch_size
        results.extend(_generate_batch(model, questions[start:end], ids[start:end], cfg, shared, tool_caches))
    return results


def _allowed_mask(model: ToolkenModel, names: Sequence[str] | None) -> torch.Tensor:
    if names is None:
        return torch.ones(len(model.tools), dtype=torch.bool)
    unknown = set(names) - set(model.tool_names)
    if unknown:
        raise KeyError(f"allowed_tools names unknown tools: {sorted(unknown)}")
    allowed = set(names)
    return torch.tensor([n in allowed for n in model.tool_names])


def _row_mask(model: ToolkenModel, cfg: GenerationConfig, row: _Row) -> torch.Tensor:
    """Which toolkens row `row` may fire until its next call."""
    if row.block_tools_once or len(row.calls) >= cfg.max_calls:
        return torch.zeros(len(model.tools), dtype=torch.bool)
    if callable(cfg.allowed_tools):
        return _allowed_mask(model, cfg.allowed_tools(model.tokenizer.decode(row.ids, skip_special_tokens=True)))
    return _allowed_mask(model, cfg.allowed_tools)


def _generate_batch(
    model: ToolkenModel,
    questions: Sequence[str],
    prompts: Sequence[list[int]],
    cfg: GenerationConfig,
    shared: RowCache | None,
    tool_caches: dict[str, RowCache | None],
) -> list[Generation]:
    tok = model.tokenizer
    if not callable(cfg.allowed_tools):
        _allowed_mask(model, cfg.allowed_tools)  # unknown names fail before any decoding
    generator = torch.Generator().manual_seed(cfg.seed)
    rows = [_Row(list(ids), len(ids), budget=cfg.max_new_tokens, cache=shared) for ids in prompts]
    stop = _stop_at(model.config.stop)
    active = list(rows)
    while active:
        masks = torch.stack([_row_mask(model, cfg, r) for r in active])
        caches = [r.cache for r in active] if cfg.reuse_kv else None  # after a call: encode only what is new
        outs = decode(
            model,
            [r.ids for r in active],
            [r.budget for r in active],
            [stop] * len(active),
            cfg,
            masks,
            generator,
            caches,
        )
        for r, c in zip(active, caches or ()):
            r.cache = c
        calling = []
        for r, (new, fired) in zip(active, outs):
            r.ids += new
            r.budget -= len(new) + (fired is not None)
            r.block_tools_once = False
            if fired is not None and r.budget > 0:
                calling.append((r, model.tools[fired]))
        _run_tools(model, calling, cfg, generator, tool_caches)
        active = [r for r, _ in calling]
    out = []
    for q, r in zip(questions, rows):
        text = tok.decode(r.ids[r.prompt_len :], skip_special_tokens=True)
        out.append(Generation(q, text, extract_answer(text, model.config.answer, r.calls), r.calls))
    return out


def _run_tools(
    model: ToolkenModel,
    calling: list[tuple[_Row, Tool]],
    cfg: GenerationConfig,
    generator: torch.Generator,
    tool_caches: dict[str, RowCache | None],
) -> None:
    """Tool mode for every row whose toolken fired: write arguments (batched, each tool's prompt
    prefix from `tool_caches`), run, append results."""
    tok = model.tokenizer
    needs_args = [(r, t) for r, t in calling if t.argument_names]
    texts = {id(r): tok.decode(r.ids, skip_special_tokens=True) for r, _ in calling}
    arg_texts: dict[int, str] = {}
    if needs_args:
        prompts = [tok(tool_prompt(t, texts[id(r)], cfg.context_chars)).input_ids for r, t in needs_args]
        for _, t in needs_args if cfg.reuse_kv else ():
            if t.name not in tool_caches:
                prefix = tok(tool_prompt_prefix(t, cfg.context_chars)).input_ids
                tool_caches[t.name] = shared_prefix_cache(model, [prefix])
        caches = [tool_caches.get(t.name) for _, t in needs_args]
        n = len(prompts)
        outs = decode(model, prompts, [cfg.argument_tokens] * n, [close_paren] * n, cfg, None, generator, caches)
        for (r, _), (new, _) in zip(needs_args, outs):
            arg_texts[id(r)] = tok.decode(new, skip_special_tokens=True)
    for r, tool in calling:
        if tool.argument_names:
            call = call_tool(tool, arg_texts[id(r)], cfg.tool_timeout, cfg.max_result_chars)
        else:
            try:
                call = ToolCall(tool.name, {}, execute(tool, {}, cfg.tool_timeout, cfg.max_result_chars))
            except ToolError as e:
                call = ToolCall(tool.name, {}, None, str(e))
        r.calls.append(call)
        if call.error is None:
            r.ids += tok(join_result(texts[id(r)], call.result), add_special_tokens=False).input_ids
        else:
            r.block_tools_once = True  # go on in words from the same place
