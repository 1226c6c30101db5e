"""Low-data learning curves of the toolken inits: heads trained on 1, 2, 5, 10 or all training records
per tool (seeded samples; `toolken bench --train-per-tool`), scored on every test question by the
first decision of generation: at the end of the prompt, does the head write the question's gold
tool (best toolken, with the head's logit bias, above the best word)? On KAMEL and FuncQA one-hop
the demonstrations call right after the prompt, so this is the step generation takes first; it
needs one pass of the LM over the test prompts per task, not a generation per head, which is what
makes several inits x sizes x seeds affordable. Full generation accuracy for the chosen points is
run with `toolken bench` and compared with `benchmarks/paired.py`.

    python benchmarks/low_data.py --tasks kamel-30 kamel-234 funcqa-oh --per-tool 1,2,5,10 --seeds 0,1,2
    python benchmarks/low_data.py --tasks kamel-30 --per-tool all --methods toolken-random,toolken-state
    python benchmarks/low_data.py --report     # table, paired tests and plot from the stored JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import torch

from toolken import atomic
from toolken.backbone import load_backbone
from toolken.head import ToolkenModel
from toolken.ranking import query_states
from toolken_bench.runner import BenchSettings, train_or_load
from toolken_bench.tasks import get_task, question_of, task_records

OUT = Path("benchmarks/results-bench/priors")
METHODS = (
    "toolken-random",
    "toolken-description",
    "toolken-tokenlearning",
    "toolken-centered-name",
    "toolken-centered-description",
    "toolken-state",
    "toolken-prototype",
    "toolken-prototype-name",
)
_FUNC_RE = re.compile(r"<(\w+)>")


def gold_tool(record: dict) -> str:
    """The tool a test question is answered with: KAMEL's `api`, FuncQA's first `<op>`."""
    return record["api"] if "api" in record else _FUNC_RE.search(record["func"]).group(1)


def first_decisions(head: ToolkenModel, states) -> list[str | None]:
    """The tool each prompt's end calls under `head` (its bias included), or None if a word wins."""
    logits = states.h @ head.head.weight.detach().T + head.config.bias
    best, which = logits.max(-1)
    return [head.tool_names[i] if fire else None for i, fire in zip(which.tolist(), (best > states.word_max).tolist())]


def run(a: argparse.Namespace, results: dict) -> None:
    """Train (or load) every task x size x seed x method head and store its per-question verdicts."""
    backbone = load_backbone()
    for name in a.tasks:
        task = get_task(name)
        records = task_records(task)
        probe = ToolkenModel.create(task.toolset, None, "random", backbone=backbone)
        states = query_states(probe, [question_of(task, r) for r in records], task.toolset.prompt, progress=False)
        gold = [gold_tool(r) for r in records]
        for k in a.per_tool.split(","):
            seeds = [0] if k == "all" else [int(s) for s in a.seeds.split(",")]
            for seed in seeds:
                cfg = BenchSettings(runs=a.runs, train_per_tool=None if k == "all" else int(k))
                for method in a.methods.split(","):
                    head, _, _ = train_or_load(task, method, cfg, backbone, seed)
                    calls = first_decisions(head, states)
                    right = "".join("1" if c == g else "0" for c, g in zip(calls, gold))  # compact: one char a question
                    key = f"{name}|{k}|{seed}|{method}"
                    results[key] = {
                        "correct": right,
                        "val_loss": head.training.best_val_loss if head.training else None,
                    }
                    print(f"{key}: {right.count('1') / len(right):.3f}", flush=True)
                    atomic.write_json(a.out / "low_data.json", results)


def report(results: dict, out: Path) -> None:
    """Print the mean accuracy table and the paired tests against random; draw the curves."""
    import matplotlib
    from paired import compare  # a sibling script: importable when this one runs as a script

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells: dict[tuple[str, str, str], list[float]] = {}
    for key, r in results.items():
        task, k, _, method = key.split("|")
        cells.setdefault((task, k, method), []).append(r["correct"].count("1") / len(r["correct"]))
    tasks = list(dict.fromkeys(t for t, _, _ in cells))
    ks = sorted({k for _, k, _ in cells}, key=lambda k: float("inf") if k == "all" else int(k))
    methods = [m for m in METHODS if any(m == c[2] for c in cells)]
    for task in tasks:
        print(f"\n| {task}: per tool | " + " | ".join(m.removeprefix("toolken-") for m in methods) + " |")
        print("| --- " * (len(methods) + 1) + "|")
        for k in ks:
            row = [cells.get((task, k, m)) for m in methods]
            if not any(row):
                continue
            shown = [f"{sum(v) / len(v):.3f}" + (f" ({len(v)})" if len(v) > 1 else "") if v else "" for v in row]
            print(f"| {k} | " + " | ".join(shown) + " |")
    print("\n| task | per tool | method vs random (seed 0) | n | only method right | only random right | diff | p |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for task in tasks:
        for k in ks:
            base = results.get(f"{task}|{k}|0|toolken-random")
            for m in methods[1:]:
                mine = results.get(f"{task}|{k}|0|{m}")
                if base and mine:
                    pairs = [[(str(i), c == "1") for i, c in enumerate(r["correct"])] for r in (mine, base)]
                    n, only_a, only_b, p = compare(*pairs)
                    diff = (only_a - only_b) / n
                    print(f"| {task} | {k} | {m} | {n} | {only_a} | {only_b} | {diff:+.3f} | {p:.3g} |")
    fig, axes = plt.subplots(1, len(tasks), figsize=(5 * len(tasks), 4), squeeze=False)
    for ax, task in zip(axes[0], tasks):
        for m in methods:
            xs = [i for i, k in enumerate(ks) if (task, k, m) in cells]
            ys = [sum(cells[(task, ks[i], m)]) / len(cells[(task, ks[i], m)]) for i in xs]
            ax.plot(xs, ys, marker="o", label=m.removeprefix("toolken-"))
        ax.set_xticks(range(len(ks)), ks)
        ax.set(title=task, xlabel="training records per tool", ylabel="right tool at the first step")
        ax.grid(alpha=0.3)
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "low_data.png", dpi=80)


def main(argv: list[str] | None = None) -> int:
    """Run the grid (unless --report) and print the report."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    tasks = ["kamel-30", "kamel-234", "funcqa-oh"]
    p.add_argument("--tasks", nargs="+", default=tasks, help="benchmark tasks to train and score")
    p.add_argument("--per-tool", default="1,2,5,10", help="comma-separated records per tool, or all")
    p.add_argument("--seeds", default="0", help="seeds of the samples and training (all: seed 0 only)")
    p.add_argument("--methods", default=",".join(METHODS), help="comma-separated toolken-<init> methods")
    p.add_argument("--runs", type=Path, default=Path("runs"), help="where trained heads are cached")
    p.add_argument("--out", type=Path, default=OUT, help="folder of low_data.json (read and extended) and low_data.png")
    p.add_argument("--report", action="store_true", help="only print the report of the stored results")
    a = p.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "low_data.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    if not a.report:
        run(a, results)
    if not results:
        print(f"low_data.py: no results in {path}", file=sys.stderr)
        return 2
    report(results, a.out)
    return 0


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main())
