"""Batched, KV-cached decoding over the augmented head: every row of a batch decodes together from
softmax([W_vocab h ; W_tau h + bias]) until a stop, a toolken or its budget; a cached prompt prefix
is reused instead of re-encoded. `toolken.generation` builds the two-mode loop on it."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from .head import ToolkenModel
from .llama import linear
from .masks import attention_masks
from .prefill import RowCache, _prefill
from .twins import Twins, lend, twins_of
from .vocabulary import token_texts

if TYPE_CHECKING:
    from .generation import GenerationConfig
    from .grammar import ArgumentGrammars, RowGrammar

    Grammars = tuple[ArgumentGrammars, list[RowGrammar | None]]


SUSPENDED = -1  # the "toolken" of a row whose decoding `suspend` ended early: it goes on in the next call


def _pick(logits: torch.Tensor, cfg: GenerationConfig, generator: torch.Generator) -> torch.Tensor:
    if not cfg.do_sample:
        return logits.argmax(-1)
    logits = logits / max(cfg.temperature, 1e-5)
    if cfg.top_k > 0:
        kth = logits.topk(min(cfg.top_k, logits.shape[-1]), -1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    # drawn on the CPU with the CPU generator: a seed samples the same tokens on every device
    return torch.multinomial(torch.softmax(logits, -1).cpu(), 1, generator=generator)[:, 0]


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
    grammars: Grammars | None = None,
    after_result: Sequence[int] | None = None,
    force: Sequence[bool] | None = None,
    on_tokens: Callable[[int, list[int]], None] | None = None,
    carried: Sequence[int] | None = None,
    suspend: Callable[[int, int], bool] | None = None,
    tool_bias: torch.Tensor | None = None,
    lenders: torch.Tensor | None = None,
) -> list[tuple[list[int], int | None]]:
    """Decode all `rows` together (left-padded, one KV cache) until each stops. `tool_mask` (R x |T|
    bool) says which toolkens may fire per row; None means words only. Returns per row the new word
    ids and the index of the toolken that fired (or None). `stops[r](text)` returns where to cut the
    row's new text when a stop condition is met. `caches[r]`, if it holds a prefix of `rows[r]`, is
    used instead of re-encoding that prefix, and is replaced by the cache of `rows[r]` (all but its
    last token) for the row's next call. `grammars` = (compiled grammars, a state per row or None):
    a row with a state writes only what its grammar allows and stops when the grammar is complete.
    A row right after a tool result starts as `after_result[r]` says (`after_result_mask`): with no
    word glued onto the result (`GLUE`: no "7500" + "00000"), or ending the answer (`CLOSE`: its
    tool's demonstrations end with the result; more calls of the turn come from `toolken.turns`).
    A row with `force[r]` must fire one of its allowed toolkens at its first step.
    `on_tokens(r, new_ids)` is called after every step of row r.
    The last `carried[r]` ids of `rows[r]` were decoded before a suspension: they start its new ids
    (its stops and `max_new[r]` count them). After each step, `suspend(fired, decoding)` (how many
    rows fired a toolken, how many still decode) may end the call early: rows still decoding return
    `SUSPENDED` as their toolken, with their cache (if `caches`) covering what they wrote.
    `tool_bias` (R x |T|) is added to each row's toolken logits beside the head's bias. `lenders`
    (R x |T| bool) marks the toolkens a row's request does not offer: they lend their logits to
    the allowed toolkens most like them (`toolken.twins`, `GenerationConfig.twin_overlap`)."""
    n = len(rows)
    tool_mask = tool_mask.to(model.device) if tool_mask is not None else None
    twins = twins_of(model.tools, cfg.twin_overlap, model) if lenders is not None and tool_mask is not None else None
    lenders = lenders.to(model.device) if twins is not None else None
    if grammars is not None and cfg.forced_tokens:  # what the grammars force at the start is in the prefill
        rows, carried = _forced_start(rows, grammars[1], carried)
    out, mask, position = _prefill(model, rows, caches if caches is not None else [None] * n, caches is not None)
    bias = model.config.bias if cfg.bias is None else cfg.bias
    if tool_bias is not None:  # a bias per row and toolken: indexed like the rows below
        bias = bias + tool_bias.to(model.device)
    # none of the server's hooks (forced calls, streaming, suspension, carried words) are in play
    plain = not any(force or ()) and on_tokens is None and suspend is None and not any(carried or ())
    if n == 1 and plain and grammars is None and not cfg.do_sample and cfg.lookup_tokens > 0 and max_new[0] > 0:
        masks = tool_mask[:1] if tool_mask is not None else None
        after = after_result[0] if after_result else 0
        one = bias[:1] if isinstance(bias, torch.Tensor) else bias
        lent = (twins, lenders[:1]) if twins is not None else None
        return [_lookup_decode(model, rows[0], out, max_new[0], stops[0], cfg, one, masks, after, lent)]
    batch = _Batch(model, out.cache, out.last_hidden_state[:, -1], mask, position, list(range(n)))
    new: list[list[int]] = [list(r[len(r) - k :]) if k else [] for r, k in zip(rows, carried or [0] * n)]
    fired: list[int | None] = [None] * n
    done = [m <= 0 or (grammars is not None and _complete(grammars[1][i])) for i, m in enumerate(max_new)]
    ahead = [0] * n  # tokens a row's grammar forced after its last pick: fed with it in the next pass
    for _step in range(max(max_new, default=0)):
        kept = [j for j, i in enumerate(batch.live) if not done[i]]
        if not kept:
            break
        batch.keep(kept)
        if _step > 0:
            batch.feed([new[i][len(new[i]) - 1 - ahead[i] :] for i in batch.live])
            ahead = [0] * n
        live = batch.live
        after_now = [after_result[i] if after_result and _step == 0 else 0 for i in live]
        states = [grammars[1][i] for i in live] if grammars is not None else None
        masks = tool_mask[live] if tool_mask is not None else None
        row_bias = bias[live] if isinstance(bias, torch.Tensor) else bias
        lent = (twins, lenders[live]) if twins is not None else None
        logits = _logits(model, batch.h, row_bias, masks, after_now, (grammars[0], states) if states else None, lent)
        if force and _step == 0:  # words out for the rows that must call (and have a toolken they may fire)
            forced = [j for j, i in enumerate(live) if force[i] and masks is not None and masks[j].any()]
            logits[forced, : model.vocab_size] = float("-inf")
        for i, c in zip(live, _pick(logits, cfg, generator).tolist()):
            state = grammars[1][i] if grammars is not None else None
            done[i], fired[i], ahead[i] = _advance(model, cfg, state, new[i], c, stops[i], max_new[i])
            if on_tokens is not None:
                on_tokens(i, new[i])
        decoding = [j for j, i in enumerate(live) if not done[i]]
        if decoding and suspend is not None and suspend(sum(f is not None for f in fired), len(decoding)):
            for j in decoding:
                i = live[j]
                fired[i] = SUSPENDED
                if caches is not None:  # what is in the KV cache: the row and all it wrote but the last id
                    caches[i] = batch.row_cache(j, rows[i] + new[i][(carried[i] if carried else 0) : -1])
            break
    return list(zip(new, fired))


def _advance(
    model: ToolkenModel,
    cfg: GenerationConfig,
    state: RowGrammar | None,
    new_ids: list[int],
    c: int,
    stop: Callable[[str], int | None],
    limit: int,
) -> tuple[bool, int | None, int]:
    """Take the picked id `c` into a row's `new_ids` (`_take`) and its grammar `state`: whether the row
    is done, the toolken that fired, and how many tokens the grammar forced after `c` (appended too,
    fed with it in the next pass)."""
    done, fired = _take(model, new_ids, c, stop, limit)
    if state is None:
        return done, fired, 0
    if c != model.tokenizer.eos_token_id and state.accept(c):
        return True, fired, 0  # the arguments are a complete object
    if done or not cfg.forced_tokens:
        return done, fired, 0
    forced = state.forced()
    new_ids += forced
    return state.complete or len(new_ids) >= limit, fired, len(forced)


@dataclass
class _Batch:
    """The rows decoding together (`live`: their indices among the call's rows, in batch order): one
    KV cache, each row's last hidden state, the attention mask and the positions of every column."""

    model: ToolkenModel
    past: Any  # `kv_cache.new_cache`'s kind
    h: torch.Tensor
    mask: torch.Tensor
    position: torch.Tensor
    live: list[int]

    def keep(self, kept: list[int]) -> None:
        """Keep only the rows at batch indices `kept`: finished rows leave the batch and the KV cache,
        so the others decode at full speed."""
        if len(kept) < len(self.live):
            index = torch.tensor(kept, device=self.mask.device)
            self.past.batch_select_indices(index)
            self.h, self.mask, self.position = self.h[index], self.mask[index], self.position[index]
            self.live = [self.live[j] for j in kept]

    def feed(self, feeds: list[list[int]]) -> None:
        """One backbone pass over each row's new ids (its pick, and what its grammar forced after it),
        left-padded to the longest; `h` becomes each row's last hidden state."""
        lm = self.model.lm
        ids, columns, steps = _step_feed(feeds, self.model.tokenizer.pad_token_id or 0, self.mask.device)
        fed = self.position[:, -1:] + steps
        self.mask, self.position = torch.cat([self.mask, columns], -1), torch.cat([self.position, fed], -1)
        out = lm.base_model(
            input_ids=ids,
            attention_mask=attention_masks(lm, self.mask, self.position, self.past, ids.shape[1]),
            position_ids=fed,
            cache=self.past,
            use_cache=True,
        )
        self.past, self.h = out.cache, out.last_hidden_state[:, -1]

    def row_cache(self, j: int, ids: list[int]) -> RowCache:
        """The KV cache of the row at batch index `j`, whose text so far (all but its last id) is `ids`."""
        columns = self.mask[j].nonzero()[:, 0]
        return RowCache(ids, [(layer.keys[j][:, columns], layer.values[j][:, columns]) for layer in self.past.layers])


def _forced_start(
    rows: Sequence[list[int]], states: Sequence[RowGrammar | None], carried: Sequence[int] | None
) -> tuple[list[list[int]], list[int]]:
    """The rows with what each row's grammar forces from its start appended (`{"` and the first key
    of an object whose keys are fixed), counted as carried: decoded text, encoded in the prefill."""
    rows, carried = list(rows), list(carried or [0] * len(rows))
    for i, state in enumerate(states):
        if state is not None and (forced := state.forced()):
            rows[i], carried[i] = rows[i] + forced, carried[i] + len(forced)
    return rows, carried


def _complete(state: RowGrammar | None) -> bool:
    return state is not None and state.complete


def _step_feed(
    feeds: list[list[int]], pad: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One decoding pass's input: each row's new ids (its pick, and what its grammar forced after it),
    left-padded to the longest; returns the ids, their attention-mask columns and each column's
    position offset after the row's last position (1, 2, ...; padding repeats the last one)."""
    width = max(len(f) for f in feeds)
    ids = torch.full((len(feeds), width), pad, dtype=torch.long, device="cpu")
    columns = torch.zeros((len(feeds), width), dtype=torch.long, device="cpu")
    for r, f in enumerate(feeds):
        ids[r, width - len(f) :], columns[r, width - len(f) :] = torch.tensor(f, device="cpu"), 1
    steps = columns.cumsum(-1).clamp(min=1)
    return ids.to(device), columns.to(device), steps.to(device)


LOOKUP_NGRAM = 3  # the longest n-gram of the text's end searched for earlier in the text


def lookup_draft(ids: Sequence[int], k: int, n_max: int = LOOKUP_NGRAM) -> list[int]:
    """Prompt-lookup draft: the up to `k` tokens that followed the latest earlier occurrence of the
    last n tokens of `ids` (longest n first), or none."""
    for n in range(min(n_max, len(ids) - 1), 0, -1):
        tail = list(ids[-n:])
        for s in range(len(ids) - n - 1, -1, -1):
            if ids[s] == tail[0] and list(ids[s : s + n]) == tail:
                return list(ids[s + n : s + n + k])
    return []


def _lookup_decode(
    model: ToolkenModel,
    row: list[int],
    out: Any,
    max_new: int,
    stop: Callable[[str], int | None],
    cfg: GenerationConfig,
    bias: float | torch.Tensor,
    tool_mask: torch.Tensor | None,
    after_result: int,
    lent: tuple[Twins, torch.Tensor] | None = None,
) -> tuple[list[int], int | None]:
    """Greedy decoding of one row with prompt-lookup drafts: the next token and up to
    `cfg.lookup_tokens` drafted after it (copied from earlier in the text, `lookup_draft`) go through
    the backbone in one pass; the drafted tokens the greedy choice agrees with are kept, the rest cut
    from the KV cache. The weights are read once for several tokens, and the tokens are the greedy ones."""
    past, h = out.cache, out.last_hidden_state[0, -1:]
    new: list[int] = []
    draft: list[int] = []
    while True:
        masks = tool_mask.expand(len(h), -1) if tool_mask is not None else None
        lent_here = (lent[0], lent[1].expand(len(h), -1)) if lent is not None else None
        logits = _logits(model, h, bias, masks, [0 if new else after_result] + [0] * (len(h) - 1), None, lent_here)
        for j, c in enumerate(logits.argmax(-1).tolist()):
            done, fired = _take(model, new, c, stop, max_new)
            if done:
                return new, fired
            if j >= len(draft) or draft[j] != c:
                break
        past.crop(j - len(draft))  # the drafted tokens after the first disagreement
        length = past.get_seq_length()
        draft = lookup_draft(row + new, min(cfg.lookup_tokens, max_new - len(new)))
        feed = [new[-1], *draft]
        device = h.device  # the backbone's: nothing is made on another device (a GPU's, or "meta" in tests)
        positions = torch.arange(length, length + len(feed), device=device)[None]
        out = model.lm.base_model(
            input_ids=torch.tensor([feed], device=device),
            attention_mask=torch.ones((1, length + len(feed)), dtype=torch.long, device=device),
            position_ids=positions,
            cache=past,
            use_cache=True,
        )
        past, h = out.cache, out.last_hidden_state[0]


def _logits(
    model: ToolkenModel,
    h: torch.Tensor,
    bias: float | torch.Tensor,
    tool_mask: torch.Tensor | None,
    after_result: list[int],
    grammars: Grammars | None,
    lent: tuple[Twins, torch.Tensor] | None = None,
) -> torch.Tensor:
    """Next-token logits over [words ; toolkens] (words only without `tool_mask`), with the rows'
    constraints applied: how a row goes on after a result, the arguments' grammar, the allowed toolkens
    (each scoring at least what toolkens not offered lend it: `lent` = the twins and the rows' lenders)."""
    logits = word_logits(model.lm, h).float()
    for kind in set(after_result) - {0}:
        rows = [r for r, k in enumerate(after_result) if k == kind]
        blocked = after_result_mask(model, kind).to(h.device)
        logits[rows, : model.vocab_size] = logits[rows, : model.vocab_size].masked_fill(blocked, float("-inf"))
    if grammars is not None:
        grammars[0].mask(logits, grammars[1])
    if tool_mask is None:
        return logits
    tool_logits = model.head(h).float() + bias
    if lent is not None:
        tool_logits = lend(tool_logits, lent[1], tool_mask, lent[0])
    if CLOSE in after_result and not_ending(model) is not None:  # the answer ends: no call after the result
        tool_mask = tool_mask.clone()
        tool_mask[[r for r, k in enumerate(after_result) if k == CLOSE]] = False
    return torch.cat([logits, tool_logits.masked_fill(~tool_mask, float("-inf"))], -1)


def word_logits(lm: Any, h: torch.Tensor) -> torch.Tensor:
    """W_vocab h for the rows of `h` (R x d), through `llama.linear`: up to 8 rows (a decoding step,
    its drafts, a batch) it takes the product that runs fastest on the CPU (`benchmarks/word_logits.py`)."""
    head = lm.get_output_embeddings()
    return linear(h, head.weight, head.bias, narrow=8)


def starts_with(tokenizer: Any, vocab_size: int, test: Callable[[str], bool]) -> torch.Tensor:
    """Which of the `vocab_size` word ids have a text whose first character passes `test`."""
    words = token_texts(tokenizer)[:vocab_size]
    found = torch.zeros(vocab_size, dtype=torch.bool, device="cpu")  # users move it where their logits are
    found[: len(words)] = torch.tensor([bool(w) and test(w[0]) for w in words], device="cpu")
    return found


def glue_tokens(tokenizer: Any, vocab_size: int) -> torch.Tensor:
    """Which word ids begin with a letter or digit (they would glue onto the text before them)."""
    return starts_with(tokenizer, vocab_size, str.isalnum)


# how a row goes on right after a tool result (`decode`'s `after_result`), after the first word of
# the answer label it began to write again (`ECHO`: not its last character, " A" but no ":"), or
# after it ended its answer before writing a word (`SPEAK`: a word, not the end)
GLUE, CLOSE, ECHO, SPEAK = 1, 2, 3, 4
_ENDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tokenizer -> {(size, stops): mask}


def after_result_mask(model: ToolkenModel, kind: int) -> torch.Tensor:
    """The word ids a row may not write first after a tool result: under `GLUE` those that begin with a
    letter or digit; under `CLOSE` all but the end of the answer (`not_ending`), so that the row ends
    (as `GLUE` where nothing ends an answer); under `ECHO` those that begin with the answer label's
    last character; under `SPEAK` those that end the answer or hold only white space."""
    if kind == ECHO:
        return starts_with(model.tokenizer, model.vocab_size, lambda c: c == model.answer_label[-1:])
    if kind == SPEAK:
        blank = torch.tensor([not w.strip() for w in token_texts(model.tokenizer)[: model.vocab_size]])
        blank = torch.cat([blank, torch.ones(model.vocab_size - len(blank), dtype=torch.bool)])
        ending = not_ending(model)
        return blank if ending is None else blank | ~ending
    closing = not_ending(model) if kind == CLOSE else None
    return closing if closing is not None else glue_tokens(model.tokenizer, model.vocab_size)


def not_ending(model: ToolkenModel) -> torch.Tensor | None:
    """The word ids that do not end an answer: all but the end-of-sequence id and the words that begin
    with one of the model's stop strings; None where no word ends one."""
    tok, size = model.tokenizer, model.vocab_size
    stops = tuple(s for s in model.stop if s)
    known = _ENDS.setdefault(tok, {})
    if (size, stops) not in known:
        ends = [bool(w) and w.startswith(stops) for w in token_texts(tok)[:size]] if stops else []
        found = torch.zeros(size, dtype=torch.bool)
        found[: len(ends)] = torch.tensor(ends, dtype=torch.bool)
        if tok.eos_token_id is not None and tok.eos_token_id < size:
            found[tok.eos_token_id] = True
        known[(size, stops)] = ~found if found.any() else None
    return known[(size, stops)]


def _take(
    model: ToolkenModel, new_ids: list[int], c: int, stop: Callable[[str], int | None], limit: int
) -> tuple[bool, int | None]:
    """Append the picked id `c` to a row's `new_ids` (in place, cut at a stop); returns whether the row
    is done and the index of the toolken that fired, if one did."""
    if c >= model.vocab_size:
        return True, c - model.vocab_size
    if c == model.tokenizer.eos_token_id:
        return True, None
    new_ids.append(c)
    text = model.tokenizer.decode(new_ids)
    cut = stop(text)
    if cut is not None:
        new_ids[:] = model.tokenizer(text[:cut], add_special_tokens=False).input_ids if cut else []
        return True, None
    return len(new_ids) >= limit, None
