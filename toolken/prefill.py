"""Encoding prompts into the backbone's KV cache: rows left-padded into one batch, a cached prefix of
each row reused instead of re-encoded, rows of very different new-token counts encoded in separate
passes and merged; a tool's prompt prefix may be kept on disk across processes
(`stored_prefix_cache`). `toolken.decoding` decodes from what this returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .head import ToolkenModel
from .kv_cache import new_cache
from .masks import attention_masks


@dataclass
class RowCache:
    """The keys and values (per layer: kv-heads x len(ids) x head-dim) the backbone computed for the
    token `ids`: a row whose text starts with `ids` skips re-encoding them (its prompt after a tool
    call, or a prompt prefix shared by a whole batch)."""

    ids: list[int]
    layers: list[tuple[torch.Tensor, torch.Tensor]]


PASS_TOKENS = 32  # a forward pass costs about this many tokens' compute on top of its tokens (weights read once)


@dataclass
class Prefilled:
    """The backbone's output of a prefill: its KV cache and the last hidden state of every row."""

    cache: Any  # a `kv_cache.KVCache`, or transformers' `DynamicCache` for a transformers model
    last_hidden_state: torch.Tensor


def prefill_groups(widths: Sequence[int], pass_tokens: int = PASS_TOKENS) -> list[list[int]]:
    """Rows (by index) encoded in one left-padded pass each: by new-token count, a row joins the pass
    of the narrower rows unless padding them to its width costs more than another pass (a joining
    prompt of 100 tokens is not padded onto 7 rows that each feed 1)."""
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and len(groups[-1]) * (widths[i] - widths[groups[-1][-1]]) <= pass_tokens:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _prefill(
    model: ToolkenModel, rows: Sequence[list[int]], caches: list[RowCache | None], keep: bool
) -> tuple[Any, torch.Tensor, torch.Tensor]:
    """Encode `rows`, reusing the cached prefix of each row, in passes of rows with similar numbers of
    new tokens (`prefill_groups`), merged into one left-padded batch; returns the backbone's output
    (`.cache`, `.last_hidden_state`), the attention mask and the position ids over all columns. With
    `keep`, `caches` is updated to the new cache of each row."""
    usable = [c is not None and len(c.ids) < len(r) and r[: len(c.ids)] == c.ids for r, c in zip(rows, caches)]
    reused = [len(c.ids) if ok else 0 for c, ok in zip(caches, usable)]
    groups = prefill_groups([len(r) - k for r, k in zip(rows, reused)])
    groups = groups if len(groups) > 1 else [list(range(len(rows)))]  # one pass: the rows as they are
    parts = []
    for g in groups:
        own = [caches[i] if usable[i] else None for i in g]
        parts.append(_prefill_pass(model, [rows[i] for i in g], own, [reused[i] for i in g], keep))
        for i, c in zip(g, own if keep else ()):
            caches[i] = c
    if len(parts) == 1:
        return parts[0]
    width = max(m.shape[1] for _, m, _ in parts)
    order = torch.tensor([i for g in groups for i in g]).argsort().to(model.device)  # back to the rows' order

    def merged(tensors: list[torch.Tensor], dim: int) -> torch.Tensor:  # left-padded to `width` columns
        padded = [torch.nn.functional.pad(t, (0, 0) * (t.dim() - 1 - dim) + (width - t.shape[dim], 0)) for t in tensors]
        return torch.cat(padded)[order]

    layers = [
        (
            merged([o.cache.layers[j].keys for o, _, _ in parts], 2),
            merged([o.cache.layers[j].values for o, _, _ in parts], 2),
        )
        for j in range(len(parts[0][0].cache.layers))
    ]
    h = torch.cat([o.last_hidden_state[:, -1:] for o, _, _ in parts])[order]
    mask, position = merged([m for _, m, _ in parts], 1), merged([p for _, _, p in parts], 1)
    return Prefilled(new_cache(model.lm, layers), h), mask, position


def _prefill_pass(
    model: ToolkenModel, rows: Sequence[list[int]], caches: list[RowCache | None], reused: list[int], keep: bool
) -> tuple[Any, torch.Tensor, torch.Tensor]:
    """`_prefill` of rows in one left-padded pass, `reused[i]` ids of row i from `caches[i]` (its
    columns are left-padded too, so padding may sit between a row's prefix and the rest)."""
    lm, tok = model.lm, model.tokenizer
    past_width = max(reused)
    width = max(len(r) - k for r, k in zip(rows, reused))
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    ids = torch.full((len(rows), width), pad, device="cpu")  # filled here, then moved in one copy
    mask = torch.zeros((len(rows), past_width + width), dtype=torch.long, device="cpu")
    for i, (r, k) in enumerate(zip(rows, reused)):
        ids[i, width - (len(r) - k) :] = torch.tensor(r[k:], device="cpu")
        mask[i, past_width - k : past_width] = 1
        mask[i, past_width + width - (len(r) - k) :] = 1
    ids, mask = ids.to(model.device), mask.to(model.device)
    position = (mask.cumsum(-1) - 1).clamp(min=0)
    # full-length layers even for a sliding-window model (Gemma 3): a row's cache must keep every column
    # it may hand on; the model's own masks still limit what each layer attends to
    past = new_cache(lm)
    if past_width:
        sample = next(c for c, k in zip(caches, reused) if k).layers
        data = []
        for layer, (k0, v0) in enumerate(sample):
            keys = k0.new_zeros((len(rows), k0.shape[0], past_width, k0.shape[-1]))
            values = v0.new_zeros((len(rows), v0.shape[0], past_width, v0.shape[-1]))
            for i, (c, k) in enumerate(zip(caches, reused)):
                if k:
                    keys[i, :, past_width - k :], values[i, :, past_width - k :] = c.layers[layer]
            data.append((keys, values))
        past = new_cache(lm, data)
    masks = attention_masks(lm, mask, position, past, width)
    out = lm.base_model(
        input_ids=ids, attention_mask=masks, position_ids=position[:, past_width:], cache=past, use_cache=True
    )
    for i, r in enumerate(rows if keep else ()):  # all but the last token: a call must feed at least one
        columns = mask[i].nonzero()[: len(r) - 1, 0]
        layers = [(layer.keys[i][:, columns], layer.values[i][:, columns]) for layer in out.cache.layers]
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


def stored_prefix_cache(model: ToolkenModel, prompt: list[int], folder: str | Path | None) -> RowCache | None:
    """`shared_prefix_cache(model, [prompt])`, kept in `folder` across processes (a tool's prompt of
    demonstrations, encoded once per machine instead of at every `toolken run`). A file is named by
    the backbone's and the prompt's fingerprint and holds the prompt's ids, checked on reading; a file
    that cannot be read is encoded again, and one that cannot be written only costs the encoding."""
    if folder is None:
        return shared_prefix_cache(model, [prompt])
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from .atomic import write_safetensors
    from .cache import fingerprint

    lm = model.lm
    path = Path(folder) / f"{fingerprint(model, [prompt, str(lm.dtype), type(lm).__name__], 0)}.safetensors"
    try:
        stored = load_file(path, device=str(lm.device))
        ids = stored.pop("ids").tolist()
        layers = [(stored[f"k{j}"], stored[f"v{j}"]) for j in range(len(stored) // 2)]
        if ids and ids == prompt[: len(ids)]:
            return RowCache(ids, layers)
    except (OSError, SafetensorError, KeyError):
        pass  # not there yet, or unreadable: encoded again below
    cache = shared_prefix_cache(model, [prompt])
    if cache is not None:
        tensors = {"ids": torch.tensor(cache.ids)}
        for j, (k, v) in enumerate(cache.layers):
            tensors[f"k{j}"], tensors[f"v{j}"] = k.contiguous().cpu(), v.contiguous().cpu()
        try:
            write_safetensors(path, tensors)
        except OSError:
            pass  # a read-only cache folder: the next run encodes the prompt again
    return cache
