"""How alike the toolkens of trained benchmark heads are, and how far training moved them from their
prior: per task and method, the mean cosine between two different toolkens (and between each and its
nearest other toolken), the same for the priors, the mean cosine of each toolken with its own prior
and the mean row norms. Reads the heads `toolken bench` cached under `--runs`; trains nothing.

    python benchmarks/head_geometry.py --tasks kamel-30 kamel-234
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from toolken.head import WEIGHTS_NAME
from toolken_bench.runner import TOOLKEN_METHODS, BenchSettings, head_plan
from toolken_bench.tasks import TASKS, get_task


def _cosines(rows: torch.Tensor) -> tuple[float, float]:
    """(mean cosine over pairs of different rows, mean over rows of the cosine to the nearest other row)."""
    unit = F.normalize(rows, dim=-1)
    cos = unit @ unit.T
    others = ~torch.eye(len(rows), dtype=torch.bool)
    return cos[others].mean().item(), cos.masked_fill(~others, -1.0).max(-1).values.mean().item()


def geometry(weight: torch.Tensor, prior: torch.Tensor) -> dict[str, float]:
    """The table's numbers for one head; a zero prior (random init) has no direction: its cells are NaN."""
    nan = float("nan")
    has_prior = bool(prior.abs().sum() > 0)
    prior_mean, prior_nearest = _cosines(prior) if has_prior else (nan, nan)
    toolken_mean, toolken_nearest = _cosines(weight)
    return {
        "toolken_mean": toolken_mean,
        "toolken_nearest": toolken_nearest,
        "prior_mean": prior_mean,
        "prior_nearest": prior_nearest,
        "to_prior": F.cosine_similarity(weight, prior, dim=-1).mean().item() if has_prior else nan,
        "toolken_norm": weight.norm(dim=-1).mean().item(),
        "prior_norm": prior.norm(dim=-1).mean().item(),
    }


def main(argv: list[str] | None = None) -> int:
    """Print one Markdown row per task and method whose head is cached."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", nargs="+", default=["kamel-30", "kamel-234"], choices=TASKS)
    p.add_argument("--methods", nargs="+", default=list(TOOLKEN_METHODS), choices=TOOLKEN_METHODS)
    p.add_argument("--runs", type=Path, default=Path("runs"), help="the --runs folder of `toolken bench`")
    p.add_argument("--model", help="the --model the heads were trained with (default: SmolLM2-135M-Instruct)")
    p.add_argument("--train-limit", type=int)
    a = p.parse_args(argv)
    print(
        "| task | method | toolkens: mean cos / nearest | priors: mean cos / nearest | cos(toolken, prior) "
        "| norm toolken / prior |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name in a.tasks:
        for method in a.methods:
            cfg = BenchSettings(a.model, runs=a.runs, train_limit=a.train_limit)
            folder = head_plan(get_task(name), method, cfg)[0]
            path = folder / WEIGHTS_NAME
            if not path.is_file():
                print(f"head_geometry.py: no cached head for {name} x {method} ({folder})", file=sys.stderr)
                continue
            tensors = load_file(path)
            g = {
                k: "-" if math.isnan(v) else f"{v:.3f}"
                for k, v in geometry(tensors["weight"].float(), tensors["prior"].float()).items()
            }
            cells = [f"{g['toolken_mean']} / {g['toolken_nearest']}", f"{g['prior_mean']} / {g['prior_nearest']}"]
            cells += [g["to_prior"], f"{g['toolken_norm']} / {g['prior_norm']}"]
            print(f"| {name} | {method} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
