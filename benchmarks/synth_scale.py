"""Wall time of `toolken synth` + training for 5, 50 and 500 tools.

The tools are ToolBank's numpy, pandas and AWS functions (names and descriptions, from the bench
extra's data), each given one of a few everyday argument schemas and a deterministic function, since
ToolBank has no implementations. Per size it prints the demonstrations synthesized, the seconds of
synthesis (which calls every tool), of the one pass over the LM, of the epochs, and in all.

    python benchmarks/synth_scale.py [--sizes 5 50 500] [--per-tool 20] [--model PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time

from toolken import Tool, ToolkenModel, TrainingArguments, synth_demos, train
from toolken.backbone import load_backbone
from toolken_bench.catalogs import toolbank_tools

SCHEMAS = (  # argument shapes the tools take in turn
    {"type": "object", "properties": {"x": {"type": "number", "description": "The input value."}}, "required": ["x"]},
    {
        "type": "object",
        "properties": {
            "a": {"type": "number", "description": "The first number."},
            "b": {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many."},
        },
        "required": ["a", "b"],
    },  # fmt: skip
    {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The name of the item."},
            "mode": {"type": "string", "enum": ["fast", "exact"], "description": "How to compute it."},
        },
        "required": ["name"],
    },  # fmt: skip
)


def answer(**kwargs: object) -> str:
    """A deterministic stand-in result: a short hash of the arguments."""
    return hashlib.sha256(json.dumps(kwargs, sort_keys=True).encode()).hexdigest()[:8]


def catalog(n: int) -> list[Tool]:
    """`n` ToolBank tools, each with a schema of `SCHEMAS` and the stand-in function."""
    base = toolbank_tools("numpy") + toolbank_tools("pandas") + toolbank_tools("aws")
    if n > len(base):
        raise ValueError(f"ToolBank has {len(base)} tools, fewer than {n}")
    return [Tool(t.name, t.description[:200], SCHEMAS[i % len(SCHEMAS)], answer, title=t.title) for i, t in
            enumerate(base[:n])]  # fmt: skip


def measure(n: int, per_tool: int, backbone) -> dict:
    """Synthesize and train a head for `n` tools; the seconds of each step."""
    tools = catalog(n)
    start = time.perf_counter()
    demos = synth_demos(tools, per_tool)
    val = synth_demos(tools, max(3, per_tool // 4), seed=1, split="validation")
    synthesized = time.perf_counter()
    model = ToolkenModel.create(tools, init="description", backbone=backbone)
    history = train(model, demos, TrainingArguments(), val_demos=val, progress=False)
    done = time.perf_counter()
    epochs = history["epochs"][-1]["seconds"]
    return {"tools": n, "demos": len(demos) + len(val), "synth_s": synthesized - start,
            "lm_pass_s": done - synthesized - epochs, "epochs_s": epochs, "total_s": done - start}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 500], help="numbers of tools")
    p.add_argument("--per-tool", type=int, default=20, help="synthesized demonstrations per tool")
    p.add_argument("--model", help="backbone folder (default: SmolLM2-135M-Instruct)")
    a = p.parse_args(argv)
    backbone = load_backbone(a.model)
    print("| tools | demonstrations | synth s | LM pass s | epochs s | total s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in a.sizes:
        r = measure(n, a.per_tool, backbone)
        print(f"| {r['tools']} | {r['demos']} | {r['synth_s']:.1f} | {r['lm_pass_s']:.1f} | {r['epochs_s']:.1f} "
              f"| {r['total_s']:.1f} |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
