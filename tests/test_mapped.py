"""The position cache on disk: memory-mapped shards hold the same positions as the in-RAM cache, in
canonical order whatever the number of shards; training streaming over them a chunk at a time gives
the in-RAM head; and `torchrun` with 2 CPU processes (gloo) trains the single process's head."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import arith_demos, arith_toolset
from safetensors.torch import load_file

import toolken.mapped
from toolken.cache import PositionCache, cache_positions
from toolken.config import TrainingArguments
from toolken.head import WEIGHTS_NAME, ToolkenModel
from toolken.mapped import MappedCache, cache_to_disk, save_positions, shard_name
from toolken.training import fit, split_demos, train

FIELDS = ("h", "logz", "word_logit", "word_max", "target", "demo", "generated")


@pytest.fixture
def model(tiny_backbone):
    return ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)


def canonical(cache):
    """An in-RAM cache in demonstration order (its positions come batch by batch, shortest first)."""
    return cache.select(torch.argsort(cache.demo, stable=True))


def assert_same_positions(a, b, atol=1e-5):
    for k in FIELDS:
        x, y = getattr(a, k), getattr(b, k)
        assert x.shape == y.shape, k
        assert torch.equal(x, y) if not x.is_floating_point() else torch.allclose(x, y, atol=atol), k


def test_shards_hold_the_in_ram_positions(model, cache_dir):
    demos = arith_demos(30)
    mapped = cache_to_disk(model, demos, batch_tokens=256, progress=False, prompt=model.config.prompt)
    in_ram = canonical(cache_positions(model, demos, batch_tokens=256, progress=False, prompt=model.config.prompt))
    assert all(isinstance(h, np.memmap) for h in mapped.h)
    assert_same_positions(mapped.load(), in_ram)
    rows = torch.randperm(len(mapped), generator=torch.Generator().manual_seed(0))[:40]
    assert_same_positions(mapped.select(rows), in_ram.select(rows), atol=0)
    again = cache_to_disk(model, demos, batch_tokens=256, progress=False, prompt=model.config.prompt)
    assert again.h[0].filename == mapped.h[0].filename  # the complete shard is reused


def test_two_shards_make_the_one_shard_cache(model, cache_dir, monkeypatch):
    """Ranks 1 then 0 of 2 (the barrier stubbed): the union is the one-process cache, in its order."""
    demos = arith_demos(25)
    whole = cache_to_disk(model, demos, batch_tokens=512, progress=False).load()
    monkeypatch.setattr(toolken.mapped, "barrier", lambda: None)
    for rank in (1, 0):
        monkeypatch.setattr(toolken.mapped, "rank_and_world", lambda rank=rank: (rank, 2))
        union = cache_to_disk(model, demos, batch_tokens=512, progress=False)
    assert (union is None) is False and len(union.h) == 2 and min(len(h) for h in union.h) > 0
    assert_same_positions(union.load(), whole)
    assert_same_positions(union.subset(union.demo >= 12).load(), whole.select(whole.demo >= 12))


def test_a_half_written_or_damaged_shard_is_rebuilt(model, cache_dir):
    demos = arith_demos(8)
    mapped = cache_to_disk(model, demos, progress=False)
    folder = Path(mapped.h[0].filename).parent
    (folder / "shard.json").unlink()  # as if killed before the end
    with pytest.raises(FileNotFoundError, match="incomplete"):
        MappedCache.open(folder.parent, 1)
    assert_same_positions(cache_to_disk(model, demos, progress=False).load(), mapped.load(), atol=0)
    with open(folder / "h.npy", "r+b") as f:  # cut short on disk
        f.truncate(200)
    assert_same_positions(cache_to_disk(model, demos, progress=False).load(), mapped.load(), atol=0)


def test_streaming_from_disk_trains_the_in_ram_head(tiny_backbone, cache_dir, monkeypatch):
    """`train` reads the memory-mapped shards a chunk of 7 positions at a time; `fit` on the same
    positions loaded in RAM at once: the same head, up to float rounding."""
    demos, args = arith_demos(40), TrainingArguments(epochs=3, batch_size=16, balance_tools=True)
    monkeypatch.setattr(toolken.mapped, "STREAM_CHUNK", 7)
    streamed = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    history = train(streamed, demos, args, progress=False)
    in_ram = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    cache = cache_to_disk(in_ram, demos, progress=False, prompt=in_ram.config.prompt, dtype="auto").load()
    _, val_idx = split_demos(len(demos), args.val_fraction, args.seed)
    is_val = torch.zeros(len(demos), dtype=torch.bool)
    is_val[val_idx] = True
    reference = fit(in_ram, cache.select(~is_val[cache.demo]), cache.select(is_val[cache.demo]), args, progress=False)
    assert history["n_train_positions"] > 7 * 10 and history["n_val_positions"] > 7
    assert torch.allclose(streamed.head.weight, in_ram.head.weight, atol=1e-5)
    assert history["best_val_loss"] == pytest.approx(reference["best_val_loss"], rel=1e-5)
    assert history["bias"] == reference["bias"] and history["val_firing"] == reference["val_firing"]
    assert not torch.allclose(
        streamed.head.weight, ToolkenModel.create(arith_toolset(), backbone=tiny_backbone).head.weight
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_torchrun_two_cpu_processes_train_the_single_process_head(tiny_model_dir, tmp_path, user_files):
    """`torchrun --nproc-per-node 2 -m toolken train` (gloo on the CPU): each rank caches its half of
    the demonstrations, rank 0 trains on the union; the head is the one-process head."""
    common = ["train", "--tools", str(user_files.tools), "--functions", str(user_files.functions)]
    common += ["--data", str(user_files.data), "--model", str(tiny_model_dir), "--epochs", "3", "--device", "cpu"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).parents[1])}
    heads, outputs = [], []
    for name, launcher in (
        ("one", [sys.executable, "-m", "toolken"]),
        ("two", [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port"]),
    ):
        launcher = launcher + [str(_free_port()), "-m", "toolken"] if name == "two" else launcher
        out, cache = tmp_path / name, tmp_path / f"cache-{name}"
        run = subprocess.run(
            [*launcher, *common, "--out", str(out)],
            env={**env, "TOOLKEN_CACHE": str(cache)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        heads.append(load_file(out / WEIGHTS_NAME)["weight"])
        outputs.append([json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")])
        shards = sorted(p.name for p in (cache / "positions").glob("*/*-of-*"))
        assert shards == ([shard_name(0, 1)] if name == "one" else [shard_name(0, 2), shard_name(1, 2)])
    assert len(outputs[1]) == 1  # only rank 0 reports
    assert outputs[0][0]["demos"] == outputs[1][0]["demos"] == 60
    assert outputs[1][0]["best_val_loss"] == pytest.approx(outputs[0][0]["best_val_loss"], rel=1e-4)
    assert torch.allclose(heads[0], heads[1], atol=1e-4), (heads[0] - heads[1]).abs().max()


def test_positions_made_without_the_lm_round_trip(tmp_path):
    g = torch.Generator().manual_seed(0)
    n = 50
    cache = PositionCache(
        h=torch.randn(n, 8, generator=g),
        logz=torch.randn(n, generator=g),
        word_logit=torch.randn(n, generator=g),
        word_max=torch.randn(n, generator=g),
        target=torch.randint(100, (n,), generator=g),
        demo=torch.arange(n) // 5,
        generated=torch.rand(n, generator=g) > 0.5,
    )
    save_positions(tmp_path / shard_name(0, 1), cache)
    mapped = MappedCache.open(tmp_path, 1)
    assert_same_positions(mapped.load(), cache, atol=0)
    odd = mapped.subset(mapped.demo % 2 == 1)
    assert_same_positions(
        odd.select(torch.tensor([3, 0, 7])), cache.select(cache.demo % 2 == 1).select(torch.tensor([3, 0, 7])), atol=0
    )
