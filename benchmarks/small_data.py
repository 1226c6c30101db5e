"""Does the training recipe hold up with few demonstrations? On FuncQA subsets of N training records
(the last 39 validate, as in `benchmarks/speed.py`), the best validation loss and the seconds of
toolken's training (caching included, float32) with the data-size step plan (`min_steps`, the
default), without it (fixed epochs, the recipe before), and of the naive batch-1 loop of
`speed.py` (ToolkenGPT's: one LM pass per demo per step, lr 1e-3, 10 epochs), all from the same
random head and scored on the same validation statistics.

    python benchmarks/small_data.py --sizes 20,40,80,611
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import torch

from toolken.backbone import load_backbone
from toolken.cache import cache_positions
from toolken.config import TrainingArguments
from toolken.demonstrations import add_demonstrations, load_demos
from toolken.head import ToolkenModel
from toolken.training import toolken_loss, train
from toolken_bench.toolsets import get_toolset


def main(argv: list[str] | None = None) -> int:
    """Train every size three ways and print one Markdown table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="20,40,80")
    p.add_argument("--epochs", type=int, default=10)
    a = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))  # the sibling speed.py, also when run through runpy
    from speed import FUNCQA, N_VAL, NAIVE_LR, fresh_cache_dir, naive_train

    tmp = fresh_cache_dir()  # every size pays its own caching pass, as a user's first run does
    try:
        lm, tok = load_backbone()
        torch.manual_seed(0)
        model = ToolkenModel.create("funcqa", init="random", backbone=(lm, tok))
        demos, _ = load_demos(FUNCQA / "train.json", get_toolset("funcqa"), skip_bad=True)
        add_demonstrations(model.tools, demos)
        val_demos = demos[-N_VAL:]
        val_cache = cache_positions(model, val_demos, persist=False, progress=False)
        init = model.head.weight.detach().clone()
        print("| train demos | positions | recipe | steps | best val loss | vs naive | train s |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for n in [int(x) for x in a.sizes.split(",")]:
            train_demos = demos[:-N_VAL][:n]
            rows = []
            for label, min_steps in (("step plan (default)", TrainingArguments().min_steps), ("fixed epochs", 0)):
                model.head.weight.data.copy_(init)
                args = TrainingArguments(epochs=a.epochs, min_steps=min_steps, cache_dtype="float32")
                start = time.perf_counter()
                history = train(model, train_demos, args, val_demos=val_demos, progress=False)
                seconds = time.perf_counter() - start
                steps = -(-history["n_train_positions"] // history["batch_size"]) * len(history["epochs"])
                loss = toolken_loss(model.head.weight.detach(), val_cache, model.vocab_size).item()
                rows.append((label, history["n_train_positions"], steps, loss, seconds))
            model.head.weight.data.copy_(init)
            losses: list[float] = []

            def score(w: torch.Tensor, losses: list[float] = losses) -> None:
                losses.append(toolken_loss(w, val_cache, model.vocab_size).item())

            ends = naive_train(model, train_demos, a.epochs, NAIVE_LR, 0, score)
            naive = min(losses)
            for label, positions, steps, loss, seconds in rows:
                gap = (loss - naive) / naive
                print(f"| {n} | {positions} | {label} | {steps} | {loss:.4f} | {gap:+.1%} | {seconds:.1f} |")
            naive_steps = len(train_demos) * a.epochs
            print(f"| {n} | {rows[0][1]} | naive batch-1 | {naive_steps} | {naive:.4f} | - | {ends[-1]:.1f} |")
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
