"""Accuracy of a `toolken bench all` run on the first N test questions and on the rest, from its
per-question outputs (plain or gzipped): the first questions are the ones whose errors were read while developing, the
rest were only ever scored.

    python benchmarks/subsets.py bench-500 --task kamel-30 --first 100
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolken_bench.runner import METHODS, read_outputs, result_file


def main(argv: list[str] | None = None) -> int:
    """Print one Markdown row per method found in the run folder."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir", type=Path)
    p.add_argument("--task", required=True)
    p.add_argument("--first", type=int, default=100)
    a = p.parse_args(argv)
    print(f"| {a.task} method | first {a.first} | the rest | all |")
    print("| --- | --- | --- | --- |")
    for method in METHODS:
        outputs = read_outputs(result_file(a.out_dir, a.task, method))
        if outputs is None:
            continue
        correct = [o["correct"] for o in outputs]
        head, rest = correct[: a.first], correct[a.first :]
        cells = [f"{sum(c) / len(c):.3f} (n={len(c)})" if c else "-" for c in (head, rest, correct)]
        print(f"| {method} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
