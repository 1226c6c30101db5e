"""`toolken bench ...`: the papers' benchmarks from the command line (registered with the `toolken`
command as the entry point `toolken.commands:bench`)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from toolken.cli import HelpFormatter, UserError, check_device, device_options

if TYPE_CHECKING:
    from .runner import BenchSettings

EXIT_USAGE = 2
EXTRA_MODULES = ("matplotlib", "scipy", "bm25s", "sentence_transformers")  # what the bench extra installs


def cmd_bench(a: argparse.Namespace) -> None:
    """Run one benchmark task with one method, or (`all`) the grid with a report; print/save results."""
    from .checkpoint import partial_file
    from .runner import run, run_all, save_result
    from .tasks import TASKS

    if a.task in ("toolsel", "awareness"):
        return _bench_selection(a)
    if a.task == "bfcl":
        return _bench_bfcl(a)
    if a.category or a.answers:
        raise UserError("--category and --answers go with `toolken bench bfcl`")
    check_device(a)
    if a.holdout or a.distractors:
        raise UserError("--holdout and --distractors go with `toolken bench toolsel`")
    if a.task == "all":
        if a.data or a.out:
            raise UserError("`toolken bench all` takes --out-dir, not --data or --out")
        out_dir = a.out_dir or Path("bench")
        results = run_all(a.tasks or TASKS, a.methods, out_dir, _settings(a, data=None))
        for r in results:
            print(json.dumps({"task": r["task"], "method": r["method"], "n": r["n"], "metrics": r["metrics"]}))
        print(f"report: {out_dir / 'report.md'}")
        return
    if a.tasks or a.methods or a.out_dir:
        raise UserError("--tasks, --methods and --out-dir go with `toolken bench all`")
    result = run(a.task, a.method, _settings(a, data=a.data), partial=partial_file(a.out) if a.out else None)
    if a.out:
        save_result(result, a.out)
        partial_file(a.out).unlink(missing_ok=True)
    summary = {k: v for k, v in result.items() if k != "outputs"}
    print(json.dumps(summary))


def _settings(a: argparse.Namespace, data: str | None) -> BenchSettings:
    """The run settings `toolken bench TASK|all` takes from its options (batch 8)."""
    from .runner import BenchSettings

    return BenchSettings(
        a.model,
        a.limit,
        data,
        a.runs,
        8,
        a.prior_source,
        a.train_limit,
        a.arguments,
        a.train_data,
        dtype=a.dtype,
        device=a.device,
        train_per_tool=a.train_per_tool,
        prompt_format=a.prompt_format,
    )


def _bench_bfcl(a: argparse.Namespace) -> None:
    """`toolken bench bfcl`: one BFCL category (or a user's --data/--answers files) with one method."""
    from .bfcl import CATEGORIES
    from .bfcl_methods import run
    from .checkpoint import partial_file
    from .runner import BenchSettings, save_result

    if a.tasks or a.methods or a.out_dir or a.holdout or a.distractors:
        raise UserError("`toolken bench bfcl` takes --category or --data/--answers, --method, --limit, --out")
    if bool(a.data) == bool(a.category) and not (a.data and a.category):
        raise UserError(f"`toolken bench bfcl` needs --category ({', '.join(CATEGORIES)}) or --data QUESTIONS.json")
    if a.data and not a.answers and a.category not in ("irrelevance", "live_irrelevance", "live_relevance"):
        raise UserError("`toolken bench bfcl --data` needs --answers ANSWERS.json (BFCL's possible_answer format)")
    method = "toolken" if a.method == "toolken-description" else a.method
    settings = BenchSettings(a.model, a.limit, a.data, a.runs, arguments=a.arguments, seed=a.seed)
    partial = partial_file(a.out) if a.out else None
    result = run(a.category or "custom", method, settings, None, a.data, a.answers, partial)
    if a.out:
        save_result(result, a.out)
        partial.unlink(missing_ok=True)
    print(json.dumps({k: v for k, v in result.items() if k != "outputs"}))


def _bench_selection(a: argparse.Namespace) -> None:
    """`toolken bench toolsel` / `toolken bench awareness`: print a Markdown table, save JSON (+ plot)."""
    from toolken import atomic

    from .catalogs import SELECTION_DATA
    from .runner import parse_method
    from .selection import SelectionArguments, plot_scaling, run_awareness, run_toolsel, toolsel_table

    init, regs, _ = parse_method(a.method)
    if a.device not in (None, "auto", "cpu"):
        raise UserError(f"`toolken bench {a.task}` runs on the CPU (its query states are scored in RAM): drop --device")
    # one head per run here: a -reg method takes the middle lambda of the grid
    args = SelectionArguments(a.model, init, regs[len(regs) // 2], a.limit, a.train_limit, dtype=a.dtype)
    if a.task == "awareness":
        if a.data or a.holdout or a.distractors:
            raise UserError("`toolken bench awareness` takes no --data, --holdout or --distractors")
        result = run_awareness(args)
        keys = ("precision", "recall", "f1", "accuracy", "right_tool", "false_call_rate")
        print("| " + " | ".join(keys) + " |\n" + "|---" * len(keys) + "|")
        print("| " + " | ".join(f"{result[k]:.3f}" for k in keys) + " |")
    else:
        if a.data not in SELECTION_DATA:
            raise UserError(f"`toolken bench toolsel` needs --data, one of {', '.join(SELECTION_DATA)}")
        result = run_toolsel(a.data, args, a.holdout, a.distractors)
        print(toolsel_table(result))
        if len(result["scaling"]) > 1:
            plot = a.out.with_suffix(".png") if a.out else a.runs / f"toolsel-{a.data}.png"
            plot_scaling(result, plot)
            print(f"plot: {plot}")
    if a.out:
        atomic.write_json(a.out, result)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `toolken bench`."""
    b = argparse.ArgumentParser(
        prog="toolken bench",
        formatter_class=HelpFormatter,
        description="Train (or reuse) a head for TASK with METHOD, answer its test questions, score them. "
        "`toolken bench all` runs every task x method on one loaded model and writes results.json, "
        "report.md, kamel_tools.png and per-question JSON lines to --out-dir.",
    )
    b.add_argument(
        "task",
        help="funcqa-oh, funcqa-mh, gsm8k-xl, kamel-30, kamel-60, kamel-100, kamel-234, virtualhome, "
        "virtualhome-scene, or all; bfcl (--category C or --data/--answers); "
        "toolsel (tool ranking vs BM25 / dense retrieval) or awareness (whether to use a tool)",
    )
    b.add_argument(
        "--method",
        default="toolken-description",
        help="toolken-<init> (random, name, description, centered-name, centered-description, state, "
        "prototype, prototype-name), optionally with -reg; toolken-tokenlearning (TokenLearning's own "
        "recipe); or the prompting baselines cot | icl; with bfcl: toolken | toolken-random | toolken-name | "
        "prompt | native",
    )
    b.add_argument("--model", help="gemma3-270m or a local Hugging Face model folder (default: SmolLM2-135M-Instruct)")
    b.add_argument("--limit", type=int, help="evaluate only the first N test records")
    b.add_argument("--data", help="another test file in the task's format; with toolsel: metatool, numpybank or kamel")
    b.add_argument("--out", type=Path, help="write the result JSON here (+ .outputs.jsonl per question)")
    b.add_argument("--runs", type=Path, default=Path("runs"), help="where trained heads are cached")
    b.add_argument("--prior-source", choices=["wordrows", "hidden"], default="wordrows", help="what priors pool")
    b.add_argument(
        "--train-limit", type=int, help="train heads on a seeded sample of at most N records (for quick runs)"
    )
    b.add_argument(
        "--train-per-tool",
        type=int,
        help="train heads on a seeded sample of at most N training records per tool (low-data curves)",
    )
    b.add_argument(
        "--holdout", type=float, default=0.0, help="with toolsel: share of tools trained on no data (zero-shot)"
    )
    b.add_argument(
        "--distractors",
        type=int,
        default=0,
        help="with toolsel: add up to N ToolBank tools, measure Recall@5 as they join",
    )
    b.add_argument(
        "--arguments",
        choices=["copy", "schema", "text"],
        default="copy",
        help="how toolken methods write tool arguments: copied values, schema grammar, or free text",
    )
    b.add_argument(
        "--train-data",
        choices=["file", "synth", "file+synth"],
        default="file",
        help="train toolken heads on the task's training file, only on `toolken synth` output from its tools, "
        "or on both (the file and 20 synthesized demonstrations per tool, validated on synthesized ones)",
    )
    b.add_argument("--category", help="with bfcl: the BFCL category (simple, multiple, parallel, ...)")
    b.add_argument("--answers", help="with bfcl --data: the answers file (BFCL's possible_answer format)")
    b.add_argument(
        "--seed",
        type=int,
        default=0,
        help="with bfcl: the seed of the synthesized data and the head (others to see what retraining moves)",
    )
    b.add_argument(
        "--prompt-format",
        choices=["plain", "chat"],
        default="plain",
        help="how toolken heads prompt: the task's Q:/A: template (the papers') or the model's chat template",
    )
    b.add_argument("--tasks", nargs="+", help="with `all`: only these tasks (bfcl-CATEGORY tasks are opt-in)")
    b.add_argument("--methods", nargs="+", help="with `all`: only these methods")
    b.add_argument("--out-dir", type=Path, help="with `all`: where to write the results (default: bench)")
    device_options(b)
    return b


def main(argv: list[str]) -> int:
    """Run `toolken bench` with `argv` (the arguments after `bench`); errors exit 2 in one line."""
    missing = [m for m in EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        print(
            f"toolken bench: needs the bench extra (missing {', '.join(missing)}): pip install 'toolken[bench]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    debug = "--debug" in argv
    a = build_parser().parse_args([x for x in argv if x != "--debug"])
    try:
        cmd_bench(a)
    except Exception as e:  # noqa: BLE001 - one line and exit 2, traceback with --debug
        if debug:
            raise
        print(f"toolken bench: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    return 0
