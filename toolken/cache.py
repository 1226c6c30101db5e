"""The one pass over the frozen LM that training needs: at every supervised position of the
demonstrations it keeps the hidden state h, the log-normalizer over the word vocabulary, the target
word's logit and the best word logit. Stored under the toolken cache, keyed by model and text, so a
second run on the same data skips the LM entirely."""

from __future__ import annotations

import copy
import hashlib
import json
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file
from tqdm.auto import tqdm

from . import atomic
from .backbone import DTYPES as CACHE_DTYPES
from .backbone import bf16_is_fast, cache_root
from .demonstrations import Demo
from .head import ToolkenModel
from .priors import output_embeddings

IGNORE = -100


def resolve_cache_dtype(name: str, device: torch.device | str = "cpu") -> str:
    """The cache dtype `name` stands for on `device`: "auto" becomes "bfloat16" or "float32"."""
    if name == "auto":
        return "bfloat16" if bf16_is_fast(device) else "float32"
    if name not in CACHE_DTYPES:
        raise ValueError(f"unknown cache dtype {name!r}; choose from auto, {', '.join(CACHE_DTYPES)}")
    return name


@dataclass
class PositionCache:
    """What the loss needs at each supervised position: h (P x d), the word log-normalizer, the
    target's word logit (0 for toolken targets), the best word logit, the target index into
    [vocab ; tools], the demo each position came from, and whether it lies after the prompt."""

    h: torch.Tensor
    logz: torch.Tensor
    word_logit: torch.Tensor
    word_max: torch.Tensor
    target: torch.Tensor
    demo: torch.Tensor
    generated: torch.Tensor  # True where the model itself writes at inference (after the prompt)

    def select(self, mask: torch.Tensor) -> PositionCache:
        """The positions where `mask` is true."""
        return PositionCache(*(getattr(self, k)[mask] for k in self.__dataclass_fields__))

    def to(self, device: torch.device | str) -> PositionCache:
        """The same positions on `device` (the head's, for the loss)."""
        return PositionCache(*(getattr(self, k).to(device) for k in self.__dataclass_fields__))


# ---------------------------------------------------------------- encoding


def prompt_end(text: str, prompt: str | None) -> int | None:
    """Where the inference prompt ends in a demo's text (after the template's text that follows
    `{question}`, e.g. "\nA:"), or None if the template has no such marker or the text lacks it."""
    marker = prompt.split("{question}", 1)[1] if prompt and "{question}" in prompt else ""
    at = text.find(marker) if marker.strip() else -1
    return at + len(marker) if at >= 0 else None


def encode_demo(
    demo: Demo, tokenizer, tool_index: dict[str, int], vocab_size: int, end_of_prompt: int | None = None
) -> tuple[list[int], list[int]]:
    """Token ids of a demo and, per position, the target of its next token: a word id, `vocab_size + k`
    for toolken k just before a call, or IGNORE inside a call's result. Segments are tokenized
    separately, as generation tokenizes the prompt alone and appends tool results to the model's own
    tokens; `end_of_prompt` (a character offset) splits off the prompt."""
    ids: list[int] = []
    is_result: list[bool] = []
    tool_at: dict[int, int] = {}

    def append(text: str, result: bool) -> None:
        seg = tokenizer(text, add_special_tokens=not ids).input_ids if text else []
        ids.extend(seg)
        is_result.extend([result] * len(seg))

    pos = 0
    if end_of_prompt and all(c.start >= end_of_prompt for c in demo.calls):
        append(demo.text[:end_of_prompt], False)
        pos = end_of_prompt
    for call in demo.calls:
        append(demo.text[pos : call.start], False)
        if not ids:
            raise ValueError("a call at the very start of a text has no position to predict it from")
        tool_at[len(ids) - 1] = vocab_size + tool_index[call.tool]
        append(demo.text[call.start : call.end], True)
        pos = call.end
    append(demo.text[pos:], False)
    # position p predicts token p+1: a toolken before a call, a word before a word, nothing inside results
    targets = [tool_at.get(p, IGNORE if p + 1 == len(ids) or is_result[p + 1] else ids[p + 1]) for p in range(len(ids))]
    return ids, targets


# ---------------------------------------------------------------- caching

EXACT_TOP = 8  # bfloat16 normalizer: the largest word logits of each position are recomputed in float32


@torch.no_grad()
def vocab_stats(
    h: torch.Tensor, target: torch.Tensor, w_vocab: torch.Tensor, w_low: torch.Tensor | None = None, chunk: int = 512
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per position of `h` (P x d, float32): log Z over the word vocabulary, the logit of `target`
    (0 where the target is a toolken) and the best word logit. With `w_low` (W_vocab in bfloat16) the
    logits come from a bfloat16 product, about twice as fast, and the EXACT_TOP largest and the
    target's are recomputed in float32: log Z is then off by about 0.003 nats (0.04 at worst)."""
    vocab = w_vocab.shape[0]
    logz, word_logit, word_max = [], [], []
    for s in range(0, len(h), chunk):  # bounded memory: chunk x vocab logits at a time
        hc, tc = h[s : s + chunk], target[s : s + chunk]
        if w_low is None:
            logits = hc @ w_vocab.T
            logz.append(torch.logsumexp(logits, -1))
            word_max.append(logits.max(-1).values)
            exact = logits.gather(1, tc.clamp(max=vocab - 1)[:, None])[:, 0]
        else:
            logits = (hc.to(w_low.dtype) @ w_low.T).float()
            top_low, top = logits.topk(EXACT_TOP, -1)
            top_exact = torch.einsum("pd,pkd->pk", hc, w_vocab[top])
            best = top_exact.max(-1).values
            # sum of exp over the vocabulary relative to `best`, the top terms swapped for exact ones
            total = torch.logsumexp(logits, -1).sub_(best).exp_() - (top_low - best[:, None]).exp().sum(-1)
            total += (top_exact - best[:, None]).exp().sum(-1)
            logz.append(best + total.log())
            word_max.append(best)
            exact = (hc * w_vocab[tc.clamp(max=vocab - 1)]).sum(-1)
        word_logit.append(torch.where(tc < vocab, exact, 0.0))
    return torch.cat(logz), torch.cat(word_logit), torch.cat(word_max)


def fingerprint(model: ToolkenModel, encoded: Sequence, max_length: int) -> str:
    """A cache key: the backbone (config, a sample of its word rows, tokenizer) and `encoded` (any JSON)."""
    w = output_embeddings(model.lm)
    h = hashlib.sha256()
    h.update(model.lm.config.to_json_string().encode())
    h.update(w[:: max(1, w.shape[0] // 64)].detach().float().cpu().numpy().tobytes())
    h.update(model.config.tokenizer_fingerprint.encode())
    h.update(json.dumps([encoded, max_length]).encode())
    return h.hexdigest()[:24]


def check_window(encoded: Sequence[tuple[list[int], list[int]]], vocab_size: int, max_length: int) -> int:
    """Count the calls that lie beyond the first `max_length` tokens of their demonstration (the
    cached pass never sees them): warn when some are lost, fail when none remain. Returns the count."""
    calls = [sum(t >= vocab_size for t in targets) for _, targets in encoded]
    kept = [sum(t >= vocab_size for t in targets[:max_length]) for _, targets in encoded]
    lost = sum(calls) - sum(kept)
    if sum(calls) and not sum(kept):
        raise ValueError(
            f"every one of the {sum(calls)} calls lies beyond the first {max_length} tokens of its demonstration"
        )
    if lost:
        warnings.warn(
            f"{lost} of {sum(calls)} calls lie beyond the first {max_length} tokens of their demonstration "
            "and are not trained on (shorten those demonstrations or raise max_length)",
            stacklevel=3,
        )
    return lost


def encode_demos(
    model: ToolkenModel, demos: Sequence[Demo], prompt: str | None, max_length: int
) -> tuple[list[tuple[list[int], list[int]]], list[int]]:
    """The demos as (token ids, targets) cut to `max_length` (see `encode_demo`), and per demo the first
    position the model writes itself at inference (after `prompt`, the inference template)."""
    index = {n: i for i, n in enumerate(model.tool_names)}
    ends = [prompt_end(d.text, prompt) for d in demos]
    encoded = [encode_demo(d, model.tokenizer, index, model.vocab_size, e) for d, e in zip(demos, ends)]
    # the last prompt token predicts the first written one: positions from there on are generated
    first_written = [len(model.tokenizer(d.text[:e]).input_ids) - 1 if e else 0 for d, e in zip(demos, ends)]
    check_window(encoded, model.vocab_size, max_length)
    return [(ids[:max_length], tg[:max_length]) for ids, tg in encoded], first_written


@torch.no_grad()
def cache_positions(
    model: ToolkenModel,
    demos: Sequence[Demo],
    max_length: int = 1024,
    batch_tokens: int = 4096,
    persist: bool = True,
    progress: bool = True,
    prompt: str | None = None,
    dtype: str = "float32",
) -> PositionCache:
    """Run the frozen LM once over `demos` and keep what the loss needs at supervised positions, in RAM.
    `prompt` is the inference template: positions after it are marked `generated`. With `persist`,
    the result is stored under the toolken cache, keyed by model + encoded text. `dtype` "bfloat16"
    runs the pass on a bfloat16 copy of the LM (the cached statistics stay float32). For caches
    larger than RAM, see `toolken.mapped.cache_to_disk`."""
    encoded, first_written = encode_demos(model, demos, prompt, max_length)
    return cache_encoded(model, encoded, first_written, max_length, batch_tokens, persist, progress, dtype)


@torch.no_grad()
def cache_encoded(
    model: ToolkenModel,
    encoded: Sequence[tuple[list[int], list[int]]],
    first_written: Sequence[int],
    max_length: int = 1024,
    batch_tokens: int = 4096,
    persist: bool = True,
    progress: bool = True,
    dtype: str = "float32",
) -> PositionCache:
    """`cache_positions` for sequences already encoded as (token ids, targets) (see `encode_demo`);
    positions from `first_written[i]` on are marked `generated`."""
    dtype = resolve_cache_dtype(dtype, model.lm.device)  # one check of the name, "auto" included
    encoded = [(ids[:max_length], tg[:max_length]) for ids, tg in encoded]
    key = fingerprint(model, [encoded, list(first_written)] + [dtype] * (dtype != "float32"), max_length)
    path = cache_root() / "positions" / f"{key}.safetensors"
    if persist and path.is_file():
        try:
            return PositionCache(**load_file(path))
        except (SafetensorError, OSError, TypeError):
            path.unlink(missing_ok=True)  # corrupt: rebuild
    out: dict[str, list[torch.Tensor]] = {k: [] for k in PositionCache.__dataclass_fields__}
    for _, fields in lm_pass(model, encoded, first_written, batch_tokens, progress, dtype):
        for k, v in fields.items():
            out[k].append(v)
    cache = PositionCache(**{k: torch.cat(v) for k, v in out.items()})
    if persist:
        atomic.write_safetensors(path, asdict(cache))
    return cache


def _batches(encoded: Sequence[tuple[list[int], list[int]]], batch_tokens: int) -> list[list[int]]:
    """Sequence indices grouped into batches of at most `batch_tokens` padded tokens, shortest first."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))  # less padding
    batches, batch = [], []
    for i in order:
        if batch and (len(batch) + 1) * len(encoded[i][0]) > batch_tokens:
            batches.append(batch)
            batch = []
        batch.append(i)
    batches.append(batch)
    return batches


def lm_pass(
    model: ToolkenModel,
    encoded: Sequence[tuple[list[int], list[int]]],
    first_written: Sequence[int],
    batch_tokens: int,
    progress: bool,
    dtype: str,
) -> Iterator[tuple[list[int], dict[str, torch.Tensor]]]:
    """The frozen LM over `encoded` (already cut to length) on the backbone's device, a batch at a
    time: yields the batch's sequence indices and its supervised positions' fields (on the CPU,
    sequence by sequence in that order), so the caller decides where they go (RAM or disk)."""
    device = model.device
    w_vocab = output_embeddings(model.lm).float()
    low = dtype != "float32"
    w_low = w_vocab.to(CACHE_DTYPES[dtype]) if low else None
    lm = copy.deepcopy(model.lm).to(CACHE_DTYPES[dtype]) if low and model.lm.dtype != CACHE_DTYPES[dtype] else model.lm
    pad = model.tokenizer.pad_token_id or 0
    for batch in tqdm(
        _batches(encoded, batch_tokens), desc="caching hidden states", disable=not progress, unit="batch"
    ):
        width = max(len(encoded[i][0]) for i in batch)
        ids = torch.full((len(batch), width), pad, device="cpu")  # filled here, then moved in one copy
        for r, i in enumerate(batch):
            ids[r, : len(encoded[i][0])] = torch.tensor(encoded[i][0], device="cpu")
        # padding on the right: under the causal mask no real token attends to it, so no attention
        # mask is needed (and attention takes its fast causal path); outputs at pads are dropped
        hidden = lm.base_model(input_ids=ids.to(device)).last_hidden_state.float()
        h, target, demo, generated = [], [], [], []
        for r, i in enumerate(batch):
            tg = torch.tensor(encoded[i][1], device="cpu")
            keep = tg != IGNORE
            h.append(hidden[r, : len(tg)][keep.to(device)])
            target.append(tg[keep])
            demo.append(torch.full_like(target[-1], i))
            generated.append((torch.arange(len(tg), device="cpu") >= first_written[i])[keep])
        h, target = torch.cat(h), torch.cat(target)
        stats = vocab_stats(h, target.to(device), w_vocab, w_low)
        fields = dict(zip(("logz", "word_logit", "word_max"), stats), h=h, target=target)
        fields.update(demo=torch.cat(demo), generated=torch.cat(generated))
        yield batch, {k: v.cpu() for k, v in fields.items()}
