"""Two backbones side by side: the accuracy of each method on each task in two or more `toolken bench
all` result folders (one per backbone, run with the same settings), one Markdown row per task x method.
A cell is the accuracy with its number of questions; a backbone that lacks a result shows "-". A
backbone's results may lie in several folders (LABEL=A,B: the first that holds a task x method).

    python benchmarks/backbones.py SmolLM2=benchmarks/results-bench/gemma/smollm2-135m/full \\
        Gemma=benchmarks/results-bench/gemma/gemma3-270m/full --task kamel-30
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from toolken_bench.runner import METHODS, result_file


def _cell(folders: list[Path], task: str, method: str) -> str:
    path = next((p for p in (result_file(f, task, method) for f in folders) if p.is_file()), None)
    if path is None:
        return "-"
    result = json.loads(path.read_text(encoding="utf-8"))
    return f"{result['metrics']['accuracy']:.3f} (n={result['n']})"


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table of the named result folders for each `--task`."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+", help="LABEL=FOLDER[,FOLDER...], one per backbone")
    p.add_argument("--task", action="append", required=True, help="a task (repeat for more)")
    a = p.parse_args(argv)
    runs = []
    for run in a.runs:
        label, sep, folders = run.partition("=")
        paths = [Path(f) for f in folders.split(",")]
        if not sep or not all(p.is_dir() for p in paths):
            print(f"backbones.py: {run!r} is not LABEL=FOLDER[,FOLDER] with existing folders", file=sys.stderr)
            return 2
        runs.append((label, paths))
    print(f"| task | method | {' | '.join(label for label, _ in runs)} |")
    print(f"| --- | --- |{' --- |' * len(runs)}")
    for task in a.task:
        for method in METHODS:
            cells = [_cell(folders, task, method) for _, folders in runs]
            if any(c != "-" for c in cells):
                print(f"| {task} | {method} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
