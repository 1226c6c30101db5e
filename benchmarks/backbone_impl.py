"""toolken's own Llama decoder (`toolken.llama`) against transformers' model of the same weights,
side by side in one run on the default model:

    python benchmarks/backbone_impl.py --json benchmarks/results-backbone-impl.json

(1) loading: `load_backbone()` in a fresh process, imports included, wall and CPU seconds, for each
implementation (median of 3, after one warm-up run that fills the page cache); (2) one decoding step
(one token fed after a cached context of 100, 300 and 1,000 tokens, the word logits included), CPU
ms, median of 3 runs of 40 steps: transformers' model, ours with transformers' `DynamicCache` (the
cache concatenated at every step), and ours as it runs (`toolken.kv_cache`: new columns written in place). The
hidden states of the two implementations are the same bit for bit (`tests/test_llama.py`), so the
steps compute the same thing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
from transformers.cache_utils import DynamicCache

from toolken.backbone import load_backbone
from toolken.kv_cache import KVCache

CONTEXTS = (100, 300, 1000)
STEPS = 40


def load_seconds(implementation: str) -> tuple[float, float]:
    """Wall and CPU seconds of a fresh process that imports toolken and loads the default backbone."""
    code = f"from toolken.backbone import load_backbone; load_backbone(implementation={implementation!r})"
    runs = []
    for _ in range(4):  # the first fills the page cache
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        assert status == 0, f"loading with {implementation} failed"
        runs.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
    wall, cpu = zip(*runs[1:])
    return statistics.median(wall), statistics.median(cpu)


@torch.no_grad()
def step_ms(lm: torch.nn.Module, context: int, cache: object) -> float:
    """CPU ms of one decoding step after `context` tokens cached in the empty `cache`: a pass of one
    token and its logits."""
    torch.manual_seed(0)
    lm.base_model(input_ids=torch.randint(0, lm.config.vocab_size, (1, context)), cache=cache, use_cache=True)
    start = time.process_time()
    for s in range(STEPS):
        position = torch.tensor([[context + s]])
        out = lm.base_model(input_ids=torch.tensor([[5]]), position_ids=position, cache=cache, use_cache=True)
        lm.get_output_embeddings()(out.last_hidden_state)
    return (time.process_time() - start) / STEPS * 1000


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", type=Path, help="also write the measurements to this JSON file")
    a = p.parse_args(argv)
    loads = {name: load_seconds(name) for name in ("auto", "transformers")}
    ours, theirs = load_backbone()[0], load_backbone(implementation="transformers")[0]
    steps: dict[int, dict[str, float]] = {}
    for context in CONTEXTS:
        runs: dict[str, list[float]] = {"transformers": [], "concatenated": [], "in_place": []}
        for _ in range(3):
            runs["transformers"].append(step_ms(theirs, context, DynamicCache()))
            runs["concatenated"].append(step_ms(ours, context, DynamicCache()))
            runs["in_place"].append(step_ms(ours, context, KVCache()))
        steps[context] = {k: statistics.median(v) for k, v in runs.items()}
    print("| loading the default backbone in a fresh process | wall s | CPU s |\n| --- | --- | --- |")
    for name, label in (("auto", "toolken's Llama"), ("transformers", "transformers' model")):
        print(f"| {label} | {loads[name][0]:.2f} | {loads[name][1]:.2f} |")
    print(
        "\n| one decoding step, CPU ms, after a context of | transformers | ours, cache concatenated | ours, in place |"
    )
    print("| --- | --- | --- | --- |")
    for context, s in steps.items():
        print(f"| {context} tokens | {s['transformers']:.1f} | {s['concatenated']:.1f} | {s['in_place']:.1f} |")
    if a.json:
        a.json.write_text(
            json.dumps({"load": loads, "step_cpu_ms": steps, "threads": torch.get_num_threads()}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
