"""Two backbones side by side: the accuracy of each method on each task in two or more `toolken bench
all` result folders (one per backbone, run with the same settings), one Markdown row per task x method.
A cell is the accuracy with its number of questions; a backbone that lacks a result shows "-".

    python benchmarks/backbones.py SmolLM2=benchmarks/results-bench/gemma/smollm2/kamel-30 \\
        Gemma=benchmarks/results-bench/gemma/gemma3/kamel-30 --task kamel-30
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from toolken_bench.runner import METHODS, result_file


def _cell(folder: Path, task: str, method: str) -> str:
    path = result_file(folder, task, method)
    if not path.is_file():
        return "-"
    result = json.loads(path.read_text(encoding="utf-8"))
    return f"{result['metrics']['accuracy']:.3f} (n={result['n']})"


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table of the named result folders for each `--task`."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+", help="LABEL=FOLDER, one per backbone")
    p.add_argument("--task", action="append", required=True, help="a task (repeat for more)")
    a = p.parse_args(argv)
    runs = []
    for run in a.runs:
        label, sep, folder = run.partition("=")
        if not sep or not Path(folder).is_dir():
            print(f"backbones.py: {run!r} is not LABEL=FOLDER with an existing folder", file=sys.stderr)
            return 2
        runs.append((label, Path(folder)))
    print(f"| task | method | {' | '.join(label for label, _ in runs)} |")
    print(f"| --- | --- |{' --- |' * len(runs)}")
    for task in a.task:
        for method in METHODS:
            cells = [_cell(folder, task, method) for _, folder in runs]
            if any(c != "-" for c in cells):
                print(f"| {task} | {method} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
