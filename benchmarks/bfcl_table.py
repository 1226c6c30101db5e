"""Print the BFCL results of a folder of `toolken bench bfcl --out` files as Markdown: accuracy per
category and method (with the wall time), and where each method's failures come from.

    python benchmarks/bfcl_table.py benchmarks/results-bench/bfcl

Failure kinds, from the per-question outputs: `abstention` (no call where one was due, or a call where
none was), `selection` (a wrong function), `count` (too few or too many calls in the turn), `arguments`
(a required parameter missing, or one the answer does not have), `value` (a right parameter with a
value the answer does not accept; in a turn of several calls, a call that matches no accepted call),
`type` (a value of the wrong type)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from toolken_bench.runner import read_outputs


def failure_kind(output: dict) -> str:
    """The kind of one wrong answer (see the module docstring)."""
    error = output["error"] or ""
    if not output["calls"] or error.startswith("a call where none") or error == "no call":
        return "abstention"
    if "wrong_func_name" in error:
        return "selection"
    if "wrong_count" in error:
        return "count"
    if "cannot_find_match" in error:
        return "value"
    if "missing_required" in error or "unexpected_param" in error or "missing_optional" in error:
        return "arguments"
    if error.startswith("type_error"):
        return "type"
    return "value" if error.startswith("value_error") else error or "other"


def main(folder: Path) -> None:
    results = [json.loads(p.read_text()) for p in sorted(folder.glob("bfcl-*__*.json"))]
    methods = list(dict.fromkeys(r["method"] for r in results))
    found = {(r["task"], r["method"]): r for r in results}
    print("| category | " + " | ".join(f"{m} (n)" for m in methods) + " | seconds (" + " / ".join(methods) + ") |")
    print("| --- |" + " --- |" * (len(methods) + 1))
    for task in dict.fromkeys(r["task"] for r in results):
        rs = [found.get((task, m)) for m in methods]
        cells = [f"{r['metrics']['accuracy']:.3f} ({r['n']})" if r else "not run" for r in rs]
        secs = [f"{sum(r['seconds'].values()):.0f}" if r else "-" for r in rs]
        print(f"| {task[5:]} | " + " | ".join(cells) + " | " + " / ".join(secs) + " |")
    print()
    kinds = ("abstention", "selection", "count", "arguments", "value", "type")
    print("| category | method | wrong | " + " | ".join(kinds) + " |")
    print("| --- | --- | --- |" + " --- |" * len(kinds))
    for r in results:
        outputs = read_outputs(folder / f"{r['task']}__{r['method']}.json") or []
        counts = Counter(failure_kind(o) for o in outputs if not o["correct"])
        print(
            f"| {r['task'][5:]} | {r['method']} | {sum(counts.values())} | "
            + " | ".join(str(counts[k]) for k in kinds)
            + " |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("benchmarks/results-bench/bfcl"))
    main(parser.parse_args().folder)
