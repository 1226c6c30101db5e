"""Scale measurements of `benchmarks/speed.py` (also runnable alone): (1) caching throughput of the
LM pass on FuncQA demos with 1 process and with 2 processes started by torchrun (gloo; each process
one thread, caching its half into memory-mapped shards); (2) one epoch of loss + Adam at 50,000 tools
over positions read from a memory-mapped shard, against the same positions in RAM; (3) a projection,
from the measured per-token cost, of caching ToolGen's scale of demonstrations on 8 GPUs.

    python benchmarks/speed_scale.py --quick              # about two minutes
    python benchmarks/speed_scale.py --json scale.json    # 200 demos, 10k positions
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

from toolken.backbone import load_backbone
from toolken.cache import PositionCache, encode_demos, resolve_cache_dtype
from toolken.demonstrations import load_demos
from toolken.distributed import barrier, leave, rank_and_world
from toolken.head import ToolkenModel
from toolken.mapped import MappedCache, cache_to_disk, save_positions, shard_name
from toolken.training import toolken_loss
from toolken_bench.toolsets import TOOLKENGPT_DIR, get_toolset

FUNCQA = TOOLKENGPT_DIR / "funcqa" / "train.json"
# ToolGen (Wang et al. 2024) at the order of magnitude remembered from its paper, an assumption and
# not a measurement: ~47k ToolBench tools, ~490k retrieval queries of ~60 tokens and ~180k agent
# trajectories of ~2,000 tokens, about 4e8 tokens to cache in all
TOOLGEN_TOKENS = 490_000 * 60 + 180_000 * 2_000
TOOLGEN_TOOLS = 47_000
# assumed, not measured: one data-centre GPU (A100-class, bf16) runs a 135M-parameter forward pass this
# many times faster than one thread of this CPU does (~300 TFLOP/s peak at ~30% use, against the
# ~0.1 TFLOP/s per thread measured here; see BENCHMARKS.md)
GPU_SPEEDUP = 1000
GPUS = 8
# ToolGen's backbone (Llama-3-8B) against SmolLM2-135M: the pass's cost assumed to scale with parameters
BACKBONE_8B = {"params_ratio": 8.0e9 / 135e6, "hidden": 4096}


# ---------------------------------------------------------------- 1. caching with 1 and 2 processes


def cache_worker(n_demos: int, out: Path) -> None:
    """One process of the measurement (alone, or one rank under torchrun): cache the first `n_demos`
    FuncQA demos with `cache_to_disk`; rank 0 writes the seconds from the start barrier to the end."""
    torch.set_num_threads(1)
    lm, tok = load_backbone(device="cpu")
    model = ToolkenModel.create("funcqa", backbone=(lm, tok))
    demos = load_demos(FUNCQA, get_toolset("funcqa"), skip_bad=True)[0][:n_demos]
    barrier()  # every rank has loaded the model: the clock starts together
    start = time.perf_counter()
    cache = cache_to_disk(model, demos, progress=False, prompt=model.config.prompt, dtype="auto")
    seconds = time.perf_counter() - start  # rank 0 returns after the slowest rank has written its shard
    rank, world = rank_and_world()
    if rank == 0:
        encoded, _ = encode_demos(model, demos, model.config.prompt, 1024)
        tokens = sum(len(ids) for ids, _ in encoded)
        dtype = resolve_cache_dtype("auto", "cpu")
        result = {"processes": world, "seconds": seconds, "tokens": tokens, "positions": len(cache), "dtype": dtype}
        out.write_text(json.dumps(result))
    leave()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_processes(n_demos: int, repeats: int) -> dict[str, Any]:
    """`cache_worker` alone and as 2 torchrun processes, each run with a fresh toolken cache; the two
    alternate `repeats` times and each keeps its fastest run (the machine's load varies)."""
    out: dict[str, Any] = {}
    for world in (1, 2) * repeats:
        with tempfile.TemporaryDirectory(prefix="toolken-scale-") as tmp:
            cache = Path(tmp) / "cache"
            cache.mkdir()
            real_models = Path(os.environ.get("TOOLKEN_CACHE", Path.home() / ".cache" / "toolken")) / "models"
            (cache / "models").symlink_to(real_models.resolve(), target_is_directory=True)
            launcher = [sys.executable]
            if world > 1:
                launcher += ["-m", "torch.distributed.run", "--nproc-per-node", str(world)]
                launcher += ["--master-port", str(_free_port())]
            report = Path(tmp) / "report.json"
            env = {**os.environ, "TOOLKEN_CACHE": str(cache), "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
            cmd = [*launcher, __file__, "--cache-worker", str(n_demos), "--report", str(report)]
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            result = json.loads(report.read_text())
            shards = sorted(p.name for p in (cache / "positions").glob("*/*-of-*"))
            assert shards == [shard_name(r, world) for r in range(world)], shards
        result["tok_s"] = result["tokens"] / result["seconds"]
        if str(world) not in out or result["seconds"] < out[str(world)]["seconds"]:
            out[str(world)] = result
    out["speedup"] = out["2"]["tok_s"] / out["1"]["tok_s"]
    return out


# ---------------------------------------------------------------- 2. an epoch from a memory-mapped cache


def synthetic_positions(positions: int, d: int, vocab: int, n_tools: int) -> PositionCache:
    """Random cached positions, a tenth of them calls of one of `n_tools` tools."""
    g = torch.Generator().manual_seed(0)
    is_tool = torch.rand(positions, generator=g) < 0.1
    tools = vocab + torch.randint(n_tools, (positions,), generator=g)
    return PositionCache(
        h=torch.randn(positions, d, generator=g),
        logz=torch.randn(positions, generator=g) + 10,
        word_logit=torch.where(is_tool, 0.0, torch.randn(positions, generator=g)),
        word_max=torch.randn(positions, generator=g) + 5,
        target=torch.where(is_tool, tools, torch.randint(vocab, (positions,), generator=g)),
        demo=torch.arange(positions),
        generated=torch.ones(positions, dtype=torch.bool),
    )


def epoch_seconds(cache: PositionCache | MappedCache, n_tools: int, d: int, vocab: int, batch: int) -> float:
    """One epoch of `train`'s inner loop (read a shuffled batch, exact loss, backward, Adam)."""
    weight = torch.nn.Parameter(torch.randn(n_tools, d, generator=torch.Generator().manual_seed(1)) * 0.02)
    optimizer = torch.optim.Adam([weight], lr=1e-2)
    n = len(cache.target)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(2))
    start = time.perf_counter()
    for i in range(0, n, batch):
        loss = toolken_loss(weight, cache.select(perm[i : i + batch]), vocab)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def bench_mapped_epoch(positions: int, n_tools: int, d: int, vocab: int, repeats: int) -> dict[str, Any]:
    """The same synthetic positions in RAM and in a memory-mapped shard: one epoch each, alternating
    `repeats` times, the fastest of each kept."""
    cache = synthetic_positions(positions, d, vocab, n_tools)
    with tempfile.TemporaryDirectory(prefix="toolken-mapped-") as tmp:
        save_positions(Path(tmp) / shard_name(0, 1), cache)
        mapped = MappedCache.open(Path(tmp), 1)
        runs = [[epoch_seconds(c, n_tools, d, vocab, 256) for c in (cache, mapped)] for _ in range(repeats)]
        in_ram_s, mapped_s = min(r[0] for r in runs), min(r[1] for r in runs)
        file_mb = (Path(tmp) / shard_name(0, 1) / "h.npy").stat().st_size / 2**20
    return {"positions": positions, "tools": n_tools, "in_ram_s": in_ram_s, "mapped_s": mapped_s, "h_file_mb": file_mb}


# ---------------------------------------------------------------- 3. projection


def projection(tok_s_one_thread: float, epoch: dict[str, Any], tokens: int = TOOLGEN_TOKENS) -> dict[str, Any]:
    """Caching time of `tokens` on `GPUS` GPUs from the measured one-thread CPU rate and `GPU_SPEEDUP`;
    and one training epoch over as many positions with ToolGen's tools on one GPU (rank 0 trains),
    from the measured `epoch` (cost per position x tool x hidden unit)."""
    cpu_s = tokens / tok_s_one_thread
    gpu_s = cpu_s / (GPU_SPEEDUP * GPUS)
    per_unit = min(epoch["in_ram_s"], epoch["mapped_s"]) / (epoch["positions"] * epoch["tools"] * 576)
    epoch_gpu_s = per_unit * tokens * TOOLGEN_TOOLS * 576 / GPU_SPEEDUP
    return {
        "tokens": tokens,
        "per_token_ms_cpu_thread": 1e3 / tok_s_one_thread,
        "one_cpu_thread_days": cpu_s / 86400,
        "assumed_gpu_speedup": GPU_SPEEDUP,
        "gpus": GPUS,
        "gpu_hours": gpu_s / 3600,
        "gpu_hours_8b": gpu_s * BACKBONE_8B["params_ratio"] / 3600,
        "h_terabytes_at_d576": tokens * 576 * 4 / 1e12,  # every token supervised, float32 states
        "h_terabytes_8b": tokens * BACKBONE_8B["hidden"] * 4 / 1e12,
        "train_epoch_one_gpu_hours": epoch_gpu_s / 3600,
        "train_epoch_one_gpu_hours_8b": epoch_gpu_s * BACKBONE_8B["hidden"] / 576 / 3600,
    }


def run(quick: bool) -> dict[str, Any]:
    """All three measurements (smaller with `quick`)."""
    lm, _ = load_backbone(device="cpu")
    d, vocab = lm.config.hidden_size, lm.get_output_embeddings().weight.shape[0]
    del lm
    processes = bench_processes(40 if quick else 200, 1 if quick else 2)
    mapped = bench_mapped_epoch(2_000 if quick else 10_000, 50_000, d, vocab, 1 if quick else 2)
    return {"processes": processes, "mapped_epoch": mapped, "projection": projection(processes["1"]["tok_s"], mapped)}


def table_rows(r: dict[str, Any]) -> list[str]:
    """Markdown rows (measure | value | note) of `run`'s result."""
    p, m, j = r["processes"], r["mapped_epoch"], r["projection"]
    return [
        f"| caching, {p['1']['tokens']:,} FuncQA tokens ({p['1']['dtype']}), 1 process x 1 thread, tok/s "
        f"| {p['1']['tok_s']:.0f} | {p['1']['seconds']:.1f} s |",
        f"| caching, same tokens, 2 torchrun processes x 1 thread (gloo), tok/s | {p['2']['tok_s']:.0f} "
        f"| {p['2']['seconds']:.1f} s, {p['speedup']:.2f}x 1 process |",
        f"| epoch at {m['tools']:,} tools over {m['positions']:,} positions, memory-mapped vs in RAM, s "
        f"| {m['mapped_s']:.1f} vs {m['in_ram_s']:.1f} | h file {m['h_file_mb']:.0f} MB |",
        f"| projection: ToolGen-scale caching, {j['tokens']:.1e} tokens (assumed), {j['gpus']} GPUs at an "
        f"assumed {j['assumed_gpu_speedup']}x one CPU thread each, hours | {j['gpu_hours']:.2f} "
        f"| {j['per_token_ms_cpu_thread']:.2f} ms/token measured; {j['h_terabytes_at_d576']:.1f} TB of states |",
        f"| projection: the same with an 8B backbone (cost x parameters, assumed), hours | {j['gpu_hours_8b']:.1f} "
        f"| {j['h_terabytes_8b']:.1f} TB of states (d = 4096, float32) |",
        f"| projection: one training epoch over those positions, {TOOLGEN_TOOLS:,} tools, on rank 0's one GPU, "
        f"hours (d = 576 / 4096) | {j['train_epoch_one_gpu_hours']:.1f} / {j['train_epoch_one_gpu_hours_8b']:.1f} "
        "| from the epoch measured above, same assumed speedup |",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the scale measurements (or, with --cache-worker, one process of the first)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="40 demos and 2,000 positions")
    p.add_argument("--json", type=Path, help="also write the measurements to this JSON file")
    p.add_argument("--cache-worker", type=int, help=argparse.SUPPRESS)
    p.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.cache_worker:
        cache_worker(a.cache_worker, a.report)
        return 0
    result = run(a.quick)
    print("| measure | value | note |\n| --- | --- | --- |\n" + "\n".join(table_rows(result)))
    if a.json:
        a.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
