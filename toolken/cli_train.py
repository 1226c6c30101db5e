"""`toolken train` and `toolken synth`: their options (the training ones from `TrainingArguments`'
fields and help) and what they do."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
from pathlib import Path

from .cli import UserError, check_device, device_options, quiet_transformers


def _training_arguments(a: argparse.Namespace):
    from .config import BIAS_CHOICES, TrainingArguments

    values = {f.name: getattr(a, f.name) for f in dataclasses.fields(TrainingArguments) if hasattr(a, f.name)}
    if values.get("bias") is None:  # validation synthesized like the training data: see TrainingArguments.bias
        values["bias"] = "eager" if a.synth and not a.val_data else "auto"
    if values.get("bias") not in (None, *BIAS_CHOICES):
        try:
            values["bias"] = float(values["bias"])
        except ValueError:
            raise UserError(f"--bias must be 'auto', 'eager' or a number, got {values['bias']!r}") from None
    try:
        return TrainingArguments(**values)
    except ValueError as e:
        raise UserError(f"--{str(e).replace('_', '-')}") from None


def cmd_train(a: argparse.Namespace) -> None:
    """Train toolkens and save the head to --out."""
    from .atomic import OutputLock
    from .cli_mcp import command_toolset
    from .demonstrations import add_demonstrations
    from .distributed import rank_and_world
    from .head import ToolkenModel
    from .toolsets import toolset_names
    from .training import train

    args = _training_arguments(a)  # bad numbers fail before anything is loaded
    check_device(a)
    quiet_transformers()
    toolset = command_toolset(a)
    if not a.data and not a.synth:
        raise UserError("toolken train needs --data, --synth N, or both")
    lead = rank_and_world()[0] == 0  # under torchrun, only rank 0 writes --out and reports
    # a second `train` into the same --out fails here, not after the LM pass
    with OutputLock(a.out) if lead else contextlib.nullcontext():
        # a registered set is passed by name so that a saved head re-binds its functions on load
        named = a.tools if a.tools in toolset_names() else toolset
        model = ToolkenModel.create(
            named,
            a.model,
            a.init,
            a.prior_source,
            a.seed,
            dtype=a.dtype,
            device=a.device,
            prompt_format=a.prompt_format,
        )
        toolset.tools = model.tools  # synthesis teaches the head's own tools what values they take (`learn_values`)
        demos, val_demos, skipped = _training_demos(a, toolset, model.lm_and_tokenizer())
        if skipped and lead:
            print(f"skipped {len(skipped)} bad record(s); first: {skipped[0]}", file=sys.stderr)
        add_demonstrations(model.tools, demos)
        try:
            history = train(model, demos, args, val_demos=val_demos, output_dir=a.out, resume=a.resume)
        except KeyboardInterrupt:
            raise UserError(f"interrupted: the best head so far is in {a.out}; continue with --resume") from None
    if history is None:  # this rank cached its shard; rank 0 trains and reports
        return
    called = {c.tool for d in demos for c in d.calls}
    summary = {
        "out": str(a.out),
        "tools": len(model.tools),
        "demos": len(demos),
        "skipped": len(skipped),
        # a tool no demonstration calls (its synthesized calls all failed): the head never learns to call it
        "tools_without_demonstrations": sorted({t.name for t in model.tools} - called),
        "best_val_loss": round(history["best_val_loss"], 5),
        "bias": history["bias"],
        "val_firing": {k: round(v, 4) for k, v in history["val_firing"].items()},
    }
    print(json.dumps(summary))


def _training_demos(a: argparse.Namespace, toolset, backbone) -> tuple[list, list | None, list[str]]:
    """The demonstrations of `toolken train`: --data, --synth N per tool, or both; validation from
    --val-data, else (with --synth) synthesized with another seed."""
    from .demonstrations import demos_from_records, load_demos
    from .synthesis import synth

    demos, val_demos, skipped = [], None, []
    if a.data:
        demos, skipped = load_demos(a.data, toolset, skip_bad=a.skip_bad)
    extras = _synth_extras(a, toolset, backbone) if a.synth else {}
    if a.synth:
        made = synth(toolset.tools, a.synth, a.seed, toolset.prompt, **extras)
        demos += demos_from_records(made, toolset, "synthesized demonstrations")[0]
    if a.val_data:
        val_demos, more = load_demos(a.val_data, toolset, skip_bad=a.skip_bad)
        skipped += more
    elif a.synth:
        extras = {k: v for k, v in extras.items() if not k.startswith("paraphrase")}  # validation: as synthesized
        made = synth(toolset.tools, max(3, a.synth // 4), a.seed + 1, toolset.prompt, split="validation", **extras)
        val_demos = demos_from_records(made, toolset, "synthesized validation demonstrations")[0]
    return demos, val_demos, skipped


def cmd_synth(a: argparse.Namespace) -> None:
    """Write demonstrations synthesized from the tools' specs (and real calls) to --out."""
    from . import atomic
    from .cli_mcp import command_toolset
    from .synthesis import synth

    if a.per_tool < 1:
        raise UserError(f"--per-tool must be at least 1, got {a.per_tool}")
    toolset = command_toolset(a)
    missing = [t.name for t in toolset.tools if t.function is None]
    if missing:
        raise UserError(f"synth calls every tool for its results: no function for {', '.join(missing[:5])}")
    backbone = None
    if a.paraphrase:
        from .backbone import Implementation, load_backbone

        check_device(a)  # rewrites are sampled with transformers' `generate`
        backbone = load_backbone(a.model, a.dtype, a.device, Implementation.TRANSFORMERS)
    extras = _synth_extras(a, toolset, backbone)
    records = synth(toolset.tools, a.per_tool, a.seed, toolset.prompt, split=a.split, **extras)
    atomic.write_text(a.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    counts = {t.name: sum(c["tool"] == t.name for r in records for c in r.get("calls", [])) for t in toolset.tools}
    no_tool = sum("calls" not in r for r in records)
    print(json.dumps({"out": str(a.out), "records": len(records), "no_tool": no_tool, "per_tool": counts}))


def _synth_extras(a: argparse.Namespace, toolset, backbone) -> dict:
    """`synth`'s keyword arguments from --examples and --paraphrase (the backbone rewrites questions)."""
    from .paraphrase import Paraphraser
    from .phrasings import load_examples

    if not 0 <= a.paraphrase <= 1:
        raise UserError(f"--paraphrase must be a share between 0 and 1, got {a.paraphrase}")
    if not 0 <= a.near_miss <= 4:
        raise UserError(f"--near-miss must be between 0 and 4 questions per demonstration, got {a.near_miss}")
    if not 0 <= a.multi_calls <= 1:
        raise UserError(f"--multi-calls must be a share between 0 and 1, got {a.multi_calls}")
    extras: dict = {"examples": load_examples(a.examples, toolset.tools) if a.examples else None}
    extras.update(near_miss_share=a.near_miss, multi_calls=a.multi_calls)
    if a.paraphrase:
        lm, tokenizer = backbone
        extras.update(paraphraser=Paraphraser(lm, tokenizer, seed=a.seed))
        extras.update(paraphrase_share=a.paraphrase)
    return extras


def _synth_options(p: argparse.ArgumentParser) -> None:
    """The options `synth` and `train --synth` share."""
    from .config import NEAR_MISS_SHARE

    p.add_argument("--examples", help='JSON lines {"tool", "question"}: your own phrasings, values found in them')
    p.add_argument(
        "--paraphrase", type=float, default=0.0, help="share of tool questions the backbone rewrites (0 = none)"
    )
    p.add_argument(
        "--near-miss",
        type=float,
        default=NEAR_MISS_SHARE,
        help="near-miss no-tool questions (a tool's topic, a name of its kind) per demonstration of each tool",
    )
    p.add_argument(
        "--multi-calls",
        type=float,
        default=0.0,
        help="per tool, this share of --per-tool (--synth) more questions asking for two or three calls at once",
    )


def _train_options(t: argparse.ArgumentParser) -> None:
    """Options of `toolken train` taken from `TrainingArguments`' fields and their help."""
    from .config import TrainingArguments

    for f in dataclasses.fields(TrainingArguments):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            t.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default, help=f.metadata["help"])
        elif f.name == "cache_dtype":
            t.add_argument(flag, choices=["auto", "float32", "bfloat16"], default=f.default, help=f.metadata["help"])
        else:
            kind = {"int": int, "float": float}.get(f.type, str)
            default = None if f.name == "bias" else f.default  # None: auto, or eager with --synth alone
            t.add_argument(flag, type=kind, default=default, help=f.metadata["help"])


def add_train_parsers(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    """The `train` and `synth` subcommands' parsers."""
    from .cli_mcp import add_mcp_option
    from .config import DEFAULT_PROMPT_FORMAT, Init, PriorSource, PromptFormat

    t = sub.add_parser("train", help="train toolkens on demonstrations and save the head", formatter_class=fmt)
    t.add_argument("--tools", help="a registered tool set (toolken tools) or a JSON file of OpenAI/MCP specs")
    t.add_argument("--data", help="demonstrations: JSON list or lines ([[tool(args)=result]] markup or offsets)")
    t.add_argument("--synth", type=int, default=0, help="also synthesize N demonstrations per tool (toolken synth)")
    t.add_argument("--val-data", help="validation demonstrations (default: a seeded --val-fraction of --data)")
    t.add_argument("--out", required=True, type=Path, help="folder to write the trained head to")
    t.add_argument(
        "--init",
        choices=list(Init),
        default=Init.CENTERED_NAME,
        help="random (ToolkenGPT) or a prior (TokenLearning's and ours; BENCHMARKS.md compares them)",
    )
    t.add_argument(
        "--prior-source", choices=list(PriorSource), default=PriorSource.WORDROWS, help="what the prior pools"
    )
    t.add_argument("--model", help="gemma3-270m or a local Hugging Face model folder (default: SmolLM2-135M-Instruct)")
    t.add_argument(
        "--prompt-format",
        choices=list(PromptFormat),
        help=f"chat: the model's chat template; plain: the tool set's Q:/A: template (default: "
        f"{DEFAULT_PROMPT_FORMAT}, plain for a model without a chat template)",
    )
    t.add_argument(
        "--functions",
        help="Python file or module defining the functions of tools from a JSON file (without --tools: the tools "
        "its type-hinted, documented functions make)",
    )
    t.add_argument("--skip-bad", action="store_true", help="skip malformed records instead of stopping")
    t.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    _synth_options(t)
    add_mcp_option(t)
    device_options(t)
    _train_options(t)
    t.set_defaults(func=cmd_train)

    sy = sub.add_parser("synth", help="synthesize demonstrations from tool specs and real calls", formatter_class=fmt)
    sy.add_argument("--tools", help="registered tool set or OpenAI/MCP JSON")
    sy.add_argument(
        "--functions",
        help="Python file or module defining the tools' functions (without --tools: the tools its type-hinted, "
        "documented functions make)",
    )
    sy.add_argument("--per-tool", type=int, default=20, help="demonstrations per tool")
    sy.add_argument("--seed", type=int, default=0, help="seed of the values, phrasings and order")
    sy.add_argument("--split", choices=["train", "validation"], default="train", help="which no-tool questions")
    sy.add_argument("--model", help="backbone folder for --paraphrase (default: SmolLM2-135M-Instruct)")
    _synth_options(sy)
    device_options(sy)
    sy.add_argument("--out", required=True, type=Path, help="JSON-lines file to write")
    add_mcp_option(sy)
    sy.set_defaults(func=cmd_synth)
