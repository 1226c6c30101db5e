"""The `toolken` command: train toolkens, answer questions with tool calls, list tool sets."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_USAGE = 2


class UserError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


def _load_functions(spec: str | None) -> dict[str, Callable[..., Any]]:
    """Callables from a Python file or importable module the user names explicitly (`--functions`)."""
    if not spec:
        return {}
    path = Path(spec)
    if path.suffix == ".py" and not path.is_file():
        raise UserError(f"--functions: {path} does not exist")
    try:
        if path.suffix == ".py":
            module_spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(spec)
    except Exception as e:  # noqa: BLE001 - the user's own code failing to import is a user error
        raise UserError(f"--functions {spec}: cannot import: {type(e).__name__}: {e}") from None
    return {k: v for k, v in vars(module).items() if callable(v) and not k.startswith("_")}


def _toolset(spec: str, functions: dict[str, Callable[..., Any]]):
    """A built-in tool set by name, or a JSON file of OpenAI/MCP tool specs."""
    from .tools import load_tool_specs
    from .toolsets import TOOLSET_NAMES, Toolset, get_toolset

    if spec in TOOLSET_NAMES:
        return get_toolset(spec)
    path = Path(spec)
    if not path.is_file():
        raise UserError(f"--tools {spec!r} is neither a built-in tool set ({', '.join(TOOLSET_NAMES)}) nor a file")
    try:
        tools = load_tool_specs(json.loads(path.read_text()), functions)
    except (ValueError, KeyError) as e:
        raise UserError(f"{path}: {e}") from None
    return Toolset(path.stem, tools)


def cmd_train(a: argparse.Namespace) -> None:
    """Train toolkens and save the head to --out."""
    from .data import add_demonstrations, load_demos
    from .head import ToolkenModel
    from .toolsets import TOOLSET_NAMES
    from .training import TrainingArguments, train

    toolset = _toolset(a.tools, _load_functions(a.functions))
    names = [t.name for t in toolset.tools]
    demos, skipped = load_demos(a.data, names, toolset.prompt, skip_bad=a.skip_bad, direct=toolset.direct)
    val_demos = None
    if a.val_data:
        val_demos, more = load_demos(a.val_data, names, toolset.prompt, skip_bad=a.skip_bad, direct=toolset.direct)
        skipped += more
    if skipped:
        print(f"skipped {len(skipped)} bad record(s); first: {skipped[0]}", file=sys.stderr)
    # a built-in set is passed by name so that a saved head re-binds its functions on load
    model = ToolkenModel.create(
        a.tools if a.tools in TOOLSET_NAMES else toolset, a.model, a.init, a.prior_source, a.seed
    )
    add_demonstrations(model.tools, demos)
    bias = a.bias if a.bias == "auto" else float(a.bias)
    args = TrainingArguments(
        epochs=a.epochs,
        lr=a.lr,
        batch_size=a.batch_size,
        reg=a.reg,
        val_fraction=a.val_fraction,
        seed=a.seed,
        bias=bias,
        cache_dtype=a.cache_dtype,
        balance_tools=a.balance_tools,
    )
    history = train(model, demos, args, val_demos=val_demos, output_dir=a.out, resume=a.resume)
    print(
        json.dumps(
            {
                "out": str(a.out),
                "tools": len(model.tools),
                "demos": len(demos),
                "skipped": len(skipped),
                "best_val_loss": round(history["best_val_loss"], 5),
                "bias": history["bias"],
                "val_firing": {k: round(v, 4) for k, v in history["val_firing"].items()},
            }
        )
    )


def cmd_run(a: argparse.Namespace) -> None:
    """Answer a question (or each stdin line) with the trained head, printing answer and calls."""
    from .generation import GenerationConfig
    from .head import ToolkenModel

    model = ToolkenModel.from_pretrained(a.head, a.model, _load_functions(a.functions) or None)
    cfg = GenerationConfig(max_new_tokens=a.max_new_tokens, bias=a.bias, tool_timeout=a.timeout, batch_size=1)
    questions = [a.question] if a.question is not None else None
    if questions is not None:
        _answer(model, questions, cfg, a.json)
        return
    for line in sys.stdin:  # one at a time, so each answer appears as soon as it is ready
        if line.strip():
            _answer(model, [line.strip()], cfg, a.json)


def _answer(model, questions: list[str], cfg, as_json: bool) -> None:
    from .generation import generate

    for g in generate(model, questions, cfg):
        if as_json:
            print(json.dumps(g.to_dict(), ensure_ascii=False), flush=True)
            continue
        for c in g.calls:
            shown = f"= {c.result}" if c.error is None else f"-> error: {c.error}"
            print(f"  [call] {c.tool}({c.argument_text or ''}) {shown}")
        print(g.answer, flush=True)


def cmd_tools(a: argparse.Namespace) -> None:
    """List the built-in tool sets, or the tools of one."""
    from .toolsets import TOOLSET_NAMES, get_toolset

    if a.toolset is None:
        for name in TOOLSET_NAMES:
            print(f"{name}: {len(get_toolset(name).tools)} tools")
        return
    for t in _toolset(a.toolset, {}).tools:
        print(f"{t.signature}: {t.description}")


def cmd_bench(a: argparse.Namespace) -> None:
    """Run one benchmark task with one method, or (`all`) the grid with a report; print/save results."""
    from .bench import METHODS, TASKS, run, run_all, save_result

    if a.task in ("toolsel", "awareness"):
        return _bench_selection(a)
    if a.holdout or a.distractors:
        raise UserError("--holdout and --distractors go with `toolken bench toolsel`")
    if a.task == "all":
        if a.data or a.out:
            raise UserError("`toolken bench all` takes --out-dir, not --data or --out")
        out_dir = a.out_dir or Path("bench")
        results = run_all(
            a.tasks or TASKS, a.methods or METHODS, out_dir, a.model, a.limit, a.runs, a.prior_source, a.train_limit
        )
        for r in results:
            print(json.dumps({"task": r["task"], "method": r["method"], "n": r["n"], "metrics": r["metrics"]}))
        print(f"report: {out_dir / 'report.md'}")
        return
    if a.tasks or a.methods or a.out_dir:
        raise UserError("--tasks, --methods and --out-dir go with `toolken bench all`")
    result = run(
        a.task, a.method, a.model, a.limit, a.data, a.runs, prior_source=a.prior_source, train_limit=a.train_limit
    )
    if a.out:
        save_result(result, a.out)
    summary = {k: v for k, v in result.items() if k != "outputs"}
    print(json.dumps(summary))


def _bench_selection(a: argparse.Namespace) -> None:
    """`toolken bench toolsel` / `toolken bench awareness`: print a Markdown table, save JSON (+ plot)."""
    from . import atomic
    from .bench import parse_method
    from .catalogs import SELECTION_DATA
    from .selection import SelectionArguments, plot_scaling, run_awareness, run_toolsel, toolsel_table

    init, regs = parse_method(a.method)
    # one head per run here: a -reg method takes the middle lambda of the grid
    args = SelectionArguments(a.model, init, regs[len(regs) // 2], a.limit, a.train_limit)
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
    """The argument parser of `toolken` and its subcommands."""
    p = argparse.ArgumentParser(
        prog="toolken", description="Teach a frozen causal LM to call tools through tool tokens."
    )
    p.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser(
        "train",
        help="train toolkens on demonstrations and save the head",
        description="Train one toolken per tool on a frozen LM and save the head (safetensors + JSON).",
    )
    t.add_argument(
        "--tools",
        required=True,
        help="built-in tool set (funcqa, gsm8k-xl, kamel, virtualhome) or a JSON file of OpenAI/MCP tool specs",
    )
    t.add_argument(
        "--data",
        required=True,
        help="demonstrations: JSON list or JSON lines (ToolkenGPT files, "
        "[[tool(args)=result]] markup, or text + character-offset calls)",
    )
    t.add_argument("--val-data", help="validation demonstrations (default: a seeded --val-fraction of --data)")
    t.add_argument("--out", required=True, type=Path, help="folder to write the trained head to")
    t.add_argument(
        "--init",
        choices=["random", "name", "description"],
        default="description",
        help="toolken initialisation: random (ToolkenGPT) or a prior from the tool's name/description "
        "(TokenLearning); default: description",
    )
    t.add_argument(
        "--prior-source",
        choices=["wordrows", "hidden"],
        default="wordrows",
        help="pool the prior from the LM's word rows (default) or its final hidden states",
    )
    t.add_argument("--reg", type=float, default=0.0, help="lambda of the ||W_tau - W_prior||^2 regularizer (0 = off)")
    t.add_argument("--model", help="local Hugging Face causal-LM folder (default: SmolLM2-135M-Instruct)")
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--lr", type=float, default=1e-2)
    t.add_argument("--batch-size", type=int, default=256, help="cached positions per optimizer step")
    t.add_argument("--val-fraction", type=float, default=0.1)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument(
        "--balance-tools",
        action="store_true",
        help="weigh every tool's calls alike in the loss (for data with many demos of some tools, few of others)",
    )
    t.add_argument(
        "--cache-dtype",
        choices=["auto", "float32", "bfloat16"],
        default="auto",
        help="precision of the one pass over the LM (auto: bfloat16 where the CPU/GPU has native bf16, about"
        " 2x faster training; else float32)",
    )
    t.add_argument(
        "--bias",
        default="auto",
        help="inference toolken logit bias, or 'auto' to choose it on the validation split (default)",
    )
    t.add_argument("--functions", help="Python file or module whose functions implement tools from a JSON file")
    t.add_argument("--skip-bad", action="store_true", help="skip malformed records instead of stopping")
    t.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    t.set_defaults(func=cmd_train)

    r = sub.add_parser(
        "run",
        help="answer questions with a trained head, calling tools",
        description="Answer QUESTION, or each line of stdin, printing the answer and the tool calls.",
    )
    r.add_argument("head", type=Path, help="folder written by `toolken train`")
    r.add_argument("question", nargs="?", help="the question (default: read questions line by line from stdin)")
    r.add_argument("--json", action="store_true", help='print {"answer", "text", "calls"} as one JSON object a line')
    r.add_argument("--bias", type=float, help="override the head's toolken logit bias")
    r.add_argument("--max-new-tokens", type=int, default=64)
    r.add_argument("--timeout", type=float, default=5.0, help="seconds a tool may run")
    r.add_argument("--model", help="backbone folder, if it moved since training")
    r.add_argument("--functions", help="Python file or module whose functions implement tools from a JSON file")
    r.set_defaults(func=cmd_run)

    b = sub.add_parser(
        "bench",
        help="run a benchmark task with one method, or all of them",
        description="Train (or reuse) a head for TASK with METHOD, answer its test questions, score them. "
        "`toolken bench all` runs every task x method on one loaded model and writes results.json, "
        "report.md, kamel_tools.png and per-question JSON lines to --out-dir.",
    )
    b.add_argument(
        "task",
        help="funcqa-oh, funcqa-mh, gsm8k-xl, kamel-30, kamel-60, kamel-100, kamel-234, virtualhome, "
        "virtualhome-scene, or all; "
        "toolsel (tool ranking vs BM25 / dense retrieval) or awareness (whether to use a tool)",
    )
    b.add_argument(
        "--method",
        default="toolken-description",
        help="toolken-random | toolken-name | toolken-description, optionally with -reg; "
        "or the prompting baselines cot | icl",
    )
    b.add_argument("--model", help="local Hugging Face causal-LM folder (default: SmolLM2-135M-Instruct)")
    b.add_argument("--limit", type=int, help="evaluate only the first N test records")
    b.add_argument("--data", help="another test file in the task's format; with toolsel: metatool, numpybank or kamel")
    b.add_argument("--out", type=Path, help="write the result JSON here (+ .outputs.jsonl per question)")
    b.add_argument("--runs", type=Path, default=Path("runs"), help="where trained heads are cached")
    b.add_argument("--prior-source", choices=["wordrows", "hidden"], default="wordrows")
    b.add_argument(
        "--train-limit", type=int, help="train heads on a seeded sample of at most N records (for quick runs)"
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
    b.add_argument("--tasks", nargs="+", help="with `all`: only these tasks")
    b.add_argument("--methods", nargs="+", help="with `all`: only these methods")
    b.add_argument("--out-dir", type=Path, help="with `all`: where to write the results (default: bench)")
    b.set_defaults(func=cmd_bench)

    ls = sub.add_parser(
        "tools",
        help="list built-in tool sets or the tools of one",
        description="List built-in tool sets, or the tools of TOOLSET (a name or a JSON file).",
    )
    ls.add_argument("toolset", nargs="?")
    ls.set_defaults(func=cmd_tools)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `toolken` console script."""
    a = build_parser().parse_args(argv)
    if a.debug:
        a.func(a)
        return 0
    from .data import DataError
    from .head import HeadLoadError

    try:
        a.func(a)
    except (UserError, DataError, HeadLoadError, OSError, KeyError, ValueError) as e:
        print(f"toolken: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("toolken: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
