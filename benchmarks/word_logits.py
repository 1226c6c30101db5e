"""A decoding step's products two ways, side by side in one run on the default model:

    python benchmarks/word_logits.py --json benchmarks/results-word-logits.json

`F.linear(x, W)` (what `nn.Linear`, transformers' layers and `lm_head` compute) against
`toolken.llama.linear` (W times x's transpose for a few rows on the CPU), for the 1 to 16 rows a
decoding step feeds (one token; a token and its prompt-lookup drafts; a batch): the word logits
alone (W_vocab, 49,152 x 576) and the whole step (one backbone pass after a cached prompt of 100
tokens, then its word logits), with every product of the pass one way or the other. CPU ms, median
of alternating runs, default threads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F

import toolken.llama as llama
from toolken.backbone import load_backbone
from toolken.decoding import word_logits
from toolken.kv_cache import KVCache

ROWS = (1, 2, 3, 4, 8, 16)


def cpu_ms(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median CPU ms of each function, the functions run in turn `repeats` times after a warm-up."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            times[name].append((time.process_time() - start) * 1e3)
    return {name: statistics.median(t) for name, t in times.items()}


def step(lm: torch.nn.Module, past: KVCache, n: int, narrow: bool) -> None:
    """One backbone pass feeding `n` tokens after the cached prompt, then its word logits, with every
    product through `F.linear` (`narrow` False) or as `llama.linear` chooses."""
    length, kept = past.get_seq_length(), llama.NARROW_ROWS
    llama.NARROW_ROWS = kept if narrow else 0
    try:
        h = lm.base_model(
            input_ids=torch.zeros((1, n), dtype=torch.long),
            attention_mask=torch.ones((1, length + n), dtype=torch.long),
            position_ids=torch.arange(length, length + n)[None],
            cache=past,
            use_cache=True,
        ).last_hidden_state[0]
        word_logits(lm, h) if narrow else F.linear(h, lm.get_output_embeddings().weight)
    finally:
        llama.NARROW_ROWS = kept
        past.crop(-n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="alternating runs of each way")
    parser.add_argument("--json", help="also write the measurements to this JSON file")
    args = parser.parse_args()
    lm = load_backbone()[0]
    weight = lm.get_output_embeddings().weight
    out: dict[str, dict] = {"logits": {}, "step": {}}
    print("| rows | word logits: F.linear / ours, CPU ms | ratio | step: F.linear / ours, CPU ms | ratio |")
    print("| --- | --- | --- | --- | --- |")
    with torch.no_grad():
        past = lm.base_model(input_ids=torch.zeros((1, 100), dtype=torch.long), use_cache=True).cache
        for n in ROWS:
            h = torch.randn(n, weight.shape[1])
            assert torch.allclose(F.linear(h, weight), word_logits(lm, h), atol=1e-3)
            alone = cpu_ms(
                {"F.linear": lambda h=h: F.linear(h, weight), "ours": lambda h=h: word_logits(lm, h)}, args.repeats
            )
            steps = cpu_ms(
                {"F.linear": lambda n=n: step(lm, past, n, False), "ours": lambda n=n: step(lm, past, n, True)},
                max(args.repeats // 4, 3),
            )
            out["logits"][n], out["step"][n] = alone, steps
            print(
                f"| {n} | {alone['F.linear']:.1f} / {alone['ours']:.1f} | {alone['F.linear'] / alone['ours']:.2f}x "
                f"| {steps['F.linear']:.1f} / {steps['ours']:.1f} | {steps['F.linear'] / steps['ours']:.2f}x |"
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": torch.get_num_threads(), "narrow_rows": llama.NARROW_ROWS, **out}, f, indent=1)


if __name__ == "__main__":
    main()
