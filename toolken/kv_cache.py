"""The KV cache of toolken's own Llama (`toolken.llama`): the keys and values each layer computed, with
the part of transformers' `DynamicCache` API toolken calls (`layers[i].keys` / `.values`, `update`,
`get_seq_length`, `crop`, `batch_select_indices`), so decoding works the same on either backbone
(`new_cache` gives each its own kind) and `toolken run` never imports transformers (half a second).

Unlike `DynamicCache`, which concatenates the whole cache at every step (a tenth of a one-token pass
after a 300-token prompt), a layer's keys and values are views of buffers with room to grow, doubled
when full, and new columns are written in place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch


class CacheLayer:
    """One layer's keys and values (batch x kv-heads x columns x head-dim), or None before its first tokens."""

    def __init__(self, keys: torch.Tensor | None = None, values: torch.Tensor | None = None) -> None:
        self.keys, self.values = keys, values
        self._room: tuple[torch.Tensor, torch.Tensor] | None = None  # buffers whose first columns they are

    def append(self, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Add `k` and `v`'s columns after the layer's; the whole keys and values after them."""
        if self.keys is None or self.keys.shape[-2] == 0:  # first tokens: kept as computed, as transformers does
            self.keys, self.values = k, v
            return k, v
        length, n = self.keys.shape[-2], k.shape[-2]
        if self._room is None or length + n > self._room[0].shape[-2]:
            shape = (*self.keys.shape[:-2], 2 * (length + n), self.keys.shape[-1])
            room = (self.keys.new_empty(shape), self.values.new_empty(shape[:-1] + self.values.shape[-1:]))
            room[0][..., :length, :], room[1][..., :length, :] = self.keys, self.values
            self._room = room
        keys, values = self._room
        keys[..., length : length + n, :], values[..., length : length + n, :] = k, v
        self.keys, self.values = keys[..., : length + n, :], values[..., : length + n, :]
        return self.keys, self.values

    def crop(self, tokens_to_remove: int) -> None:
        """Drop the last `-tokens_to_remove` columns (a negative count, as `DynamicCache.crop` takes);
        the buffers stay, and the next columns overwrite theirs."""
        if tokens_to_remove > 0:
            raise ValueError(f"crop takes a negative count of columns to remove, got {tokens_to_remove}")
        if tokens_to_remove and self.keys is not None:
            self.keys, self.values = self.keys[..., :tokens_to_remove, :], self.values[..., :tokens_to_remove, :]

    def select(self, indices: torch.Tensor) -> None:
        """Keep only the batch rows at `indices` (a copy: the next columns move it into new buffers)."""
        if self.keys is not None:
            self.keys, self.values, self._room = self.keys[indices], self.values[indices], None


class KVCache:
    """Every layer's `CacheLayer`, filled as the layers are run; `layers` may give (keys, values) to start from."""

    def __init__(self, layers: Sequence[tuple[torch.Tensor, torch.Tensor]] | None = None) -> None:
        self.layers = [CacheLayer(k, v) for k, v in layers or ()]

    def update(self, k: torch.Tensor, v: torch.Tensor, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Append layer `index`'s new keys and values; its whole keys and values after them."""
        while len(self.layers) <= index:
            self.layers.append(CacheLayer())
        return self.layers[index].append(k, v)

    def get_seq_length(self) -> int:
        """How many columns the cache holds."""
        first = self.layers[0].keys if self.layers else None
        return 0 if first is None else first.shape[-2]

    def crop(self, tokens_to_remove: int) -> None:
        """Drop the last `-tokens_to_remove` columns of every layer."""
        for layer in self.layers:
            layer.crop(tokens_to_remove)

    def batch_select_indices(self, indices: torch.Tensor) -> None:
        """Keep only the batch rows at `indices`."""
        for layer in self.layers:
            layer.select(indices)


def new_cache(lm: Any, layers: Sequence[tuple[torch.Tensor, torch.Tensor]] | None = None) -> Any:
    """An empty cache for `lm`, or one holding `layers` ((keys, values) per layer): a `KVCache` for
    toolken's own Llama, transformers' `DynamicCache` for a transformers model."""
    from .llama import LlamaLM

    if isinstance(lm, LlamaLM):
        return KVCache(layers)
    from transformers import DynamicCache

    return DynamicCache(ddp_cache_data=layers) if layers else DynamicCache()
