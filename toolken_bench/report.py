"""The benchmark's report: task x method tables, the papers' ordering, VirtualHome's measures, the
settings chosen on validation, wall-clock, and the KAMEL plot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from toolken import atomic

from .tasks import KAMEL_SIZES, VH_TASKS


def markdown_table(results: Sequence[dict], cell: Callable[[dict], str] | None = None) -> str:
    """Task x method table of `cell(result)` (default: the headline accuracy)."""
    cell = cell or (lambda r: f"{r['metrics']['accuracy']:.3f}")
    tasks = list(dict.fromkeys(r["task"] for r in results))
    methods = list(dict.fromkeys(r["method"] for r in results))
    found = {(r["task"], r["method"]): cell(r) for r in results}
    lines = ["| task | " + " | ".join(methods) + " |", "| --- |" + " --- |" * len(methods)]
    for t in tasks:
        lines.append(f"| {t} | " + " | ".join(found.get((t, m), "") for m in methods) + " |")
    return "\n".join(lines)


ORDERING = ("toolken-description-reg", "toolken-random", "icl", "cot")  # TokenLearning > ToolkenGPT > ICL > CoT


def ordering_table(results: Sequence[dict]) -> str:
    """Per task: the accuracy of TokenLearning (description prior, regularized), ToolkenGPT (random
    init), ICL and CoT, and whether the papers' ordering holds: yes (each above the next), tied (none
    below the next, some equal) or no."""
    acc = {(r["task"], r["method"]): r["metrics"]["accuracy"] for r in results}
    lines = ["| task | " + " | ".join(ORDERING) + " | ordering holds |", "| --- |" + " --- |" * (len(ORDERING) + 1)]
    for t in dict.fromkeys(r["task"] for r in results):
        if all((t, m) in acc for m in ORDERING):
            values = [acc[(t, m)] for m in ORDERING]
            pairs = list(zip(values, values[1:]))
            holds = "no" if any(a < b for a, b in pairs) else "tied" if any(a == b for a, b in pairs) else "yes"
            lines.append(f"| {t} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {holds} |")
    return "\n".join(lines)


def _chosen(r: dict) -> str:  # the bias and lambda a toolken head took from validation
    s = r["settings"]
    return f"{s['bias']:g} / {s['reg']:g}" if "bias" in s else ""


def _plan_cells(r: dict) -> str:
    m = r["metrics"]
    cells = [f"{m['exact_match']:.2f}", f"{m['lcs']:.2f}"]
    cells += [f"{m[k]:.2f}" if m.get(k) is not None else "-" for k in ("executability", "success")]
    return " / ".join(cells)


def write_report(results: Sequence[dict], out_dir: Path) -> None:
    """Write `results.json`, `report.md` (accuracy, the papers' ordering, VirtualHome's measures, the
    bias and lambda chosen on validation, wall-clock per task) and, if KAMEL tasks ran,
    `kamel_tools.png` to `out_dir`."""
    summaries = [{k: v for k, v in r.items() if k != "outputs"} for r in results]
    atomic.write_json(out_dir / "results.json", summaries)
    seconds: dict[str, float] = {}
    for r in results:
        seconds[r["task"]] = seconds.get(r["task"], 0.0) + sum(r["seconds"].values())
    n = {r["task"]: r["n"] for r in results}
    clock = ["| task | questions | seconds (all methods) |", "| --- | --- | --- |"]
    clock += [f"| {t} | {n[t]} | {s:.1f} |" for t, s in seconds.items()]
    clock.append(f"| all | | {sum(seconds.values()):.1f} |")
    report = ["# Benchmark", "", "Accuracy (the task's headline metric):", "", markdown_table(results), ""]
    report += ["The papers' ordering, TokenLearning > ToolkenGPT > ICL > CoT:", "", ordering_table(results), ""]
    plans = [r for r in results if r["task"] in VH_TASKS]
    if plans:
        report += ["VirtualHome, exact / LCS / executable / success:", "", markdown_table(plans, _plan_cells), ""]
    toolken = [r for r in results if r["method"].startswith("toolken-")]
    if toolken:
        report += ["Chosen on validation, logit bias / lambda:", "", markdown_table(toolken, _chosen), ""]
    report += ["Wall-clock:", "", *clock, ""]
    atomic.write_text(out_dir / "report.md", "\n".join(report))
    if any(r["task"].startswith("kamel-") for r in results):
        plot_kamel(results, out_dir / "kamel_tools.png")


def plot_kamel(results: Sequence[dict], out: Path) -> None:
    """Plot KAMEL accuracy against the number of tools, one line per method, to `out` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for method in dict.fromkeys(r["method"] for r in results):
        points = sorted(
            (int(r["task"][6:]), r["metrics"]["accuracy"])
            for r in results
            if r["method"] == method and r["task"].startswith("kamel-")
        )
        if points:
            ax.plot(*zip(*points), marker="o", label=method)
    ax.set(xlabel="number of tools", ylabel="accuracy", title="KAMEL", ylim=(-0.02, 1.02), xticks=KAMEL_SIZES)
    ax.legend(fontsize="small")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
