"""Does a decaying learning rate train better toolkens than a constant one? The FuncQA head of the
main job (`scripts/demo.sh`: name prior, lambda 1e-3, the full training file, 10 epochs at lr 1e-2;
the last 39 records validate, as in `benchmarks/speed.py`) and the random init, each trained with
`--lr-schedule constant` (ToolkenGPT's) and `cosine` (the default) from the same start. For each: the
kept epoch and its validation loss, how much the validation loss still moves over the last three
epochs, and which toolken wins at the answer's start (where FuncQA's one-call demonstrations call)
on the validation questions and on the training ones, all tools and `choose` alone (the tool the
constant rate mixes up with `permutate`).

    python benchmarks/lr_schedule.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from toolken.backbone import load_backbone
from toolken.config import LrSchedule, TrainingArguments
from toolken.demonstrations import Demo, add_demonstrations, load_demos
from toolken.head import ToolkenModel
from toolken.training import train
from toolken_bench.toolsets import get_toolset


@torch.no_grad()
def first_tool_right(model: ToolkenModel, demos: list[Demo], only: str | None = None) -> tuple[int, int]:
    """(right, asked): demos with a call (of `only`, if given) whose first tool has the highest
    toolken logit at the end of their prompt, where a one-call FuncQA answer calls."""
    names = [t.name for t in model.tools]
    right = asked = 0
    for d in demos:
        if not d.calls:
            continue
        tool = d.calls[0].tool
        if only and tool != only:
            continue
        prompt = d.text[: d.calls[0].start].rstrip()  # "Q: ...\nA:" and nothing after
        ids = model.tokenizer(prompt, return_tensors="pt").input_ids.to(model.device)
        h = model.lm.base_model(input_ids=ids).last_hidden_state[0, -1]
        right += names[int((model.head.weight @ h).argmax())] == tool
        asked += 1
    return right, asked


def main(argv: list[str] | None = None) -> int:
    """Train each init with each schedule and print one Markdown table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--inits", nargs="+", default=["name", "random"])
    a = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))  # the sibling speed.py, also when run through runpy
    from speed import FUNCQA, N_VAL

    lm, tok = load_backbone()
    toolset = get_toolset("funcqa")
    demos, _ = load_demos(FUNCQA / "train.json", toolset, skip_bad=True)
    train_demos, val_demos = demos[:-N_VAL], demos[-N_VAL:]
    print("| init | schedule | kept epoch | best val loss | val loss range, last 3 epochs | "
          "first tool right, validation | ... training | ... training, `choose` |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for init in a.inits:
        reg = 1e-3 if init != "random" else 0.0
        for schedule in (LrSchedule.CONSTANT, LrSchedule.COSINE):
            torch.manual_seed(0)
            model = ToolkenModel.create("funcqa", init=init, backbone=(lm, tok))
            add_demonstrations(model.tools, train_demos)
            args = TrainingArguments(epochs=a.epochs, reg=reg, lr_schedule=schedule)
            history = train(model, train_demos, args, val_demos=val_demos, progress=False)
            losses = [e["val_loss"] for e in history["epochs"]]
            kept = losses.index(min(losses)) + 1
            cells = [first_tool_right(model, val_demos), first_tool_right(model, train_demos)]
            cells.append(first_tool_right(model, train_demos, only="choose"))
            shown = " | ".join(f"{r}/{n}" for r, n in cells)
            print(f"| {init}{'-reg' if reg else ''} | {schedule} | {kept} | {min(losses):.4f} | "
                  f"{max(losses[-3:]) - min(losses[-3:]):.4f} | {shown} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
