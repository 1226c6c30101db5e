"""Position caches larger than RAM: the cached pass written to disk as shards of NumPy `.npy` files
(one shard per process of a distributed run), read back memory-mapped. Positions are in canonical
order (demonstration by demonstration, token by token), so the union of the shards is the same cache
however many processes wrote it. Only the hidden states (P x d) stay on disk; the per-position
scalars (about 30 bytes a position) are read into RAM."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .backbone import cache_root
from .cache import IGNORE, PositionCache, encode_demos, fingerprint, lm_pass, resolve_cache_dtype
from .demonstrations import Demo
from .distributed import barrier, rank_and_world
from .head import ToolkenModel

FIELDS = tuple(PositionCache.__dataclass_fields__)
DONE = "shard.json"  # written last: a shard without it is incomplete and is rebuilt
STREAM_CHUNK = 65536  # positions read from disk at a time when a pass covers the whole cache


def shard_name(rank: int, world: int) -> str:
    """The folder of shard `rank` of `world` inside a cache folder."""
    return f"{rank:05d}-of-{world:05d}"


def shard_bounds(n: int, rank: int, world: int) -> tuple[int, int]:
    """The contiguous block [lo, hi) of `n` demonstrations that process `rank` of `world` caches."""
    return n * rank // world, n * (rank + 1) // world


def is_complete(folder: Path) -> bool:
    """Whether a shard folder was written in full and its files are intact (a damaged one is rebuilt)."""
    try:
        n = json.loads((folder / DONE).read_text())["positions"]
        return all(len(np.load(folder / f"{k}.npy", mmap_mode="r")) == n for k in FIELDS)
    except (OSError, ValueError, KeyError, TypeError):
        return False


@torch.no_grad()
def write_shard(
    folder: Path,
    model: ToolkenModel,
    encoded: Sequence[tuple[list[int], list[int]]],
    first_written: Sequence[int],
    demo_offset: int,
    batch_tokens: int = 4096,
    progress: bool = True,
    dtype: str = "float32",
) -> None:
    """Run the LM over `encoded` (cut to length) and write its positions to the shard `folder`, each
    batch straight into its place on disk, so RAM holds one batch. Demonstration i of this shard is
    numbered `demo_offset + i`."""
    counts = [sum(t != IGNORE for t in targets) for _, targets in encoded]
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    with _shard_files(folder, int(starts[-1]), model.lm.config.hidden_size) as (arrays, meta):
        meta["demos"] = [demo_offset, demo_offset + len(encoded)]
        passes = lm_pass(model, encoded, first_written, batch_tokens, progress, dtype) if encoded else ()
        for batch, fields in passes:
            fields["demo"] += demo_offset
            at = 0
            for i in batch:  # a batch holds its sequences' positions one sequence after the other
                for k, v in fields.items():
                    arrays[k][starts[i] : starts[i + 1]] = v[at : at + counts[i]].numpy()
                at += counts[i]


def save_positions(folder: Path, cache: PositionCache) -> None:
    """Write positions already in RAM as the shard `folder` (for positions made without the LM)."""
    with _shard_files(folder, len(cache.target), cache.h.shape[1]) as (arrays, _):
        for k in FIELDS:
            arrays[k][:] = getattr(cache, k).cpu().numpy()


@contextmanager
def _shard_files(folder: Path, n: int, hidden: int) -> Iterator[tuple[dict[str, np.memmap], dict]]:
    """The shard's files for `n` positions, open for writing as memory maps, and its metadata to fill;
    written in a temporary folder that is renamed to `folder` once the block completes."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        arrays, meta = {k: _allocate(tmp / f"{k}.npy", n, hidden, k) for k in FIELDS}, {"positions": n}
        yield arrays, meta
        for a in arrays.values():
            a.flush()
        (tmp / DONE).write_text(json.dumps(meta))
        if folder.exists() and not is_complete(folder):
            shutil.rmtree(folder)  # a crashed writer's leftovers
        try:
            os.replace(tmp, folder)
        except OSError:
            if not is_complete(folder):  # else another process wrote the same shard first
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


_KINDS = {"h": np.float32, "target": np.int64, "demo": np.int64, "generated": np.bool_}  # the rest: float32


def _allocate(path: Path, n: int, hidden: int, field: str) -> np.memmap:
    """The `.npy` file of `field` for `n` positions, open for writing as a memory map."""
    shape = (n, hidden) if field == "h" else (n,)
    return np.lib.format.open_memmap(path, mode="w+", dtype=_KINDS.get(field, np.float32), shape=shape)


@dataclass
class MappedCache:
    """Some positions (`index`, in order) of a cache stored as shards: `select` gathers a batch of them
    into RAM as a `PositionCache`; `subset` narrows the positions without reading anything."""

    h: list[np.ndarray]  # per shard, memory-mapped
    offsets: torch.Tensor  # first global position of each shard
    small: dict[str, torch.Tensor]  # every field but h, over all positions, in RAM
    index: torch.Tensor

    @classmethod
    def open(cls, folder: Path, world: int) -> MappedCache:
        """All positions of the `world` shards in `folder` (each must be complete)."""
        shards = [folder / shard_name(r, world) for r in range(world)]
        missing = [s.name for s in shards if not is_complete(s)]
        if missing:
            raise FileNotFoundError(f"{folder}: shards {', '.join(missing)} are missing or incomplete")
        # copy-on-write maps: pages are read on access only, and the files are never written back
        h = [np.load(s / "h.npy", mmap_mode="c") for s in shards]
        small = {k: torch.cat([torch.from_numpy(np.load(s / f"{k}.npy")) for s in shards]) for k in FIELDS if k != "h"}
        offsets = torch.tensor([0, *np.cumsum([len(x) for x in h])[:-1]], dtype=torch.long, device="cpu")
        return cls(h, offsets, small, torch.arange(len(small["target"]), device="cpu"))

    def __len__(self) -> int:
        return len(self.index)

    def __getattr__(self, name: str) -> torch.Tensor:
        if name in FIELDS and name != "h":  # the scalars of the covered positions
            return self.small[name][self.index]
        raise AttributeError(name)

    def subset(self, keep: torch.Tensor) -> MappedCache:
        """The positions where `keep` (a mask or indices over this cache's positions) says."""
        return MappedCache(self.h, self.offsets, self.small, self.index[keep])

    def select(self, rows: torch.Tensor) -> PositionCache:
        """Positions `rows` (a mask or indices over this cache's positions), read into RAM."""
        at = self.index[rows]
        shard = torch.searchsorted(self.offsets, at, right=True) - 1
        h = torch.empty((len(at), self.h[0].shape[1]), dtype=torch.float32, device="cpu")
        for s in shard.unique().tolist():
            here = shard == s
            h[here] = torch.from_numpy(np.take(self.h[s], (at[here] - self.offsets[s]).numpy(), axis=0))
        return PositionCache(h=h, **{k: v[at] for k, v in self.small.items()})

    def load(self) -> PositionCache:
        """Every covered position in RAM."""
        return self.select(torch.arange(len(self), device="cpu"))


def chunks(cache: PositionCache | MappedCache, device: torch.device) -> Iterator[PositionCache]:
    """The positions of `cache` on `device`, a chunk at a time if it is memory-mapped (at once if in RAM)."""
    n = len(cache.target)
    if isinstance(cache, PositionCache):
        yield cache.to(device)
        return
    for s in range(0, n, STREAM_CHUNK):
        yield cache.select(torch.arange(s, min(n, s + STREAM_CHUNK), device="cpu")).to(device)


def cache_to_disk(
    model: ToolkenModel,
    demos: Sequence[Demo],
    max_length: int = 1024,
    batch_tokens: int = 4096,
    progress: bool = True,
    prompt: str | None = None,
    dtype: str = "float32",
) -> MappedCache | None:
    """`cache_positions` stored as memory-mapped shards under the toolken cache, keyed by model, demos,
    prompt, length and dtype; a complete shard is reused. Under a distributed launcher, this rank
    caches its block of `demos` and waits for the others: rank 0 gets the union, the others None."""
    rank, world = rank_and_world()
    dtype = resolve_cache_dtype(dtype, model.device)
    raw = [[d.text, [[c.tool, c.start, c.end] for c in d.calls]] for d in demos]
    key = fingerprint(model, ["mapped", raw, model.tool_names, prompt, dtype], max_length)
    folder = cache_root() / "positions" / key
    lo, hi = shard_bounds(len(demos), rank, world)
    encoded, first_written = encode_demos(model, demos[lo:hi], prompt, max_length)  # checks the window too
    shard = folder / shard_name(rank, world)
    if not is_complete(shard):
        write_shard(shard, model, encoded, first_written, lo, batch_tokens, progress, dtype)
    barrier()
    return MappedCache.open(folder, world) if rank == 0 else None
