"""Is each step of the papers' ordering more than noise? For every task of a `toolken bench all` run
and each neighbouring pair of the ordering (TokenLearning vs ToolkenGPT, ToolkenGPT vs ICL, ICL vs
CoT), count the questions only one of the two methods gets right and test that split with the exact
McNemar test (a two-sided binomial test on those questions): both methods answered the same
questions, so a paired test sees differences a comparison of two accuracies would call noise.
VirtualHome is left out: its headline, goal success, is scored only on plans with a scene graph.

    python benchmarks/paired.py benchmarks/results-bench/kamel-full
    python benchmarks/paired.py NEW_RUNS --pair toolken-tokenlearning:toolken-random --against OLD_RUNS

`--pair A:B` (repeatable) tests those methods instead of the ordering; with `--against`, B's results
are read from that folder (runs of the same questions with the same settings, made at another time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scipy.stats import binomtest

from toolken_bench.report import ORDERING
from toolken_bench.runner import read_outputs, result_file
from toolken_bench.tasks import TASKS


def _outcomes(result: Path) -> list[tuple[str, bool]] | None:
    """(question, right?) per question of a run's outputs (plain or gzipped), None if it has none."""
    records = read_outputs(result)
    if records is None or not all("correct" in r for r in records):  # VirtualHome scores plans, not answers
        return None
    return [(r["question"], bool(r["correct"])) for r in records]


def compare(a: list[tuple[str, bool]], b: list[tuple[str, bool]]) -> tuple[int, int, int, float]:
    """(n, questions only `a` gets right, only `b`, exact McNemar p-value) for two runs over the same
    questions in the same order."""
    if [q for q, _ in a] != [q for q, _ in b]:
        raise ValueError("the two runs did not answer the same questions in the same order")
    only_a = sum(x and not y for (_, x), (_, y) in zip(a, b))
    only_b = sum(y and not x for (_, x), (_, y) in zip(a, b))
    p = binomtest(only_a, only_a + only_b).pvalue if only_a + only_b else 1.0
    return len(a), only_a, only_b, p


def main(argv: list[str] | None = None) -> int:
    """Print one Markdown row per task and neighbouring pair found in the run folder."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir", type=Path)
    p.add_argument("--pair", action="append", help="A:B, two methods to test (default: the papers' ordering)")
    p.add_argument("--against", type=Path, help="read the second method of each pair from this folder")
    a = p.parse_args(argv)
    pairs = [tuple(x.split(":", 1)) for x in a.pair] if a.pair else list(zip(ORDERING, ORDERING[1:]))
    if any(len(pair) != 2 for pair in pairs):
        print("paired.py: --pair takes two methods as A:B", file=sys.stderr)
        return 2
    print("| task | A vs B | n | only A right | only B right | A - B | McNemar p |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for task in TASKS:
        for first, second in pairs:
            folders = (a.out_dir, a.against or a.out_dir)
            runs = [_outcomes(result_file(d, task, m)) for d, m in zip(folders, (first, second))]
            if None in runs:
                continue
            try:
                n, only_a, only_b, pvalue = compare(*runs)
            except ValueError as err:
                print(f"paired.py: {task}, {first} vs {second}: {err}", file=sys.stderr)
                return 2
            diff = (only_a - only_b) / n
            print(f"| {task} | {first} vs {second} | {n} | {only_a} | {only_b} | {diff:+.3f} | {pvalue:.3g} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
