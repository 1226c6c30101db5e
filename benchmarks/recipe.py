"""Training-recipe sweep on the validation split only: for a benchmark task and toolken inits, fit a
head for each learning rate x epochs on the task's cached positions and print one Markdown table of
validation loss, how often the right toolken ranks first where a call is due, and the chosen bias.
This is how `toolken_bench.runner.FAMILY_TRAINING` was chosen; the test questions are never read.

    python benchmarks/recipe.py kamel-234 --inits random,description --grid 1e-2x10,3e-3x10,1e-3x30
    python benchmarks/recipe.py kamel-30 --inits random,prototype --per-tool 2   # few demos, full validation
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import torch

from toolken.backbone import load_backbone
from toolken.cache import cache_positions
from toolken.demonstrations import add_demonstrations
from toolken.head import ToolkenModel
from toolken.training import fit, split_demos
from toolken_bench.runner import training_arguments
from toolken_bench.tasks import get_task, task_demos


def main(argv: list[str] | None = None) -> int:
    """Fit every (init, lr, epochs) of the grid and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("task")
    p.add_argument("--inits", default="random,description")
    p.add_argument("--grid", default="1e-2x10,3e-3x10,1e-3x30", help="comma-separated LRxEPOCHS")
    p.add_argument("--per-tool", type=int, help="train on a seeded N records per tool; validate on the full split")
    p.add_argument("--seed", type=int, default=0, help="seed of the per-tool sample")
    a = p.parse_args(argv)
    task, backbone = get_task(a.task), load_backbone()
    demos, val = task_demos(task)
    if val is None:  # as `train` does: a seeded 10% of the demos validates
        train_idx, val_idx = split_demos(len(demos), 0.1, 0)
        demos, val = [demos[i] for i in train_idx], [demos[i] for i in val_idx]
    if a.per_tool:  # few demonstrations, none of them validation's
        asked = {d.text for d in val}
        demos = [d for d in task_demos(task, a.seed, per_tool=a.per_tool)[0] if d.text not in asked]
    print(f"| {a.task} init | lr | epochs | val loss | right toolken first | bias | recall at bias |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for init in a.inits.split(","):
        model = ToolkenModel.create(task.toolset, None, init, backbone=backbone, prompt_format="plain")
        add_demonstrations(model.tools, demos)
        everything = list(demos) + list(val)
        cache = cache_positions(model, everything, prompt=model.config.prompt, dtype="float32")
        is_val = torch.arange(len(everything)) >= len(demos)
        train_cache, val_cache = cache.select(~is_val[cache.demo]), cache.select(is_val[cache.demo])
        written = val_cache.select(val_cache.generated)
        due = written.target >= model.vocab_size
        start, prior = model.head.weight.detach().clone(), model.head.prior.clone()
        for cell in a.grid.split(","):
            lr, epochs = cell.split("x")
            args = replace(training_arguments(task), lr=float(lr), epochs=int(epochs))
            model.head.weight.data.copy_(start)
            history = fit(model, train_cache, val_cache, args, progress=False)
            model.head.prior.copy_(prior)
            # ranking alone, before any bias: does the right toolken beat the other toolkens?
            first = (written.h[due] @ model.head.weight.T).argmax(-1) == written.target[due] - model.vocab_size
            print(
                f"| {init} | {lr} | {epochs} | {history['best_val_loss']:.4f} | {first.float().mean():.3f}"
                f" | {history['bias']} | {history['val_firing']['recall']:.3f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
