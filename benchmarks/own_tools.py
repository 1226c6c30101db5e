"""A user's own tools, no demonstrations: `toolken synth` -> train -> questions written by a person.

Thirteen sets of tools and questions written by a person: `dev` (`benchmarks/own_tools/`: six everyday
tools in `tools.py`, specs in `tools.json`, 40 questions in `questions.jsonl`, 30 needing one tool and
10 none; read while developing), `heldout-2` (`benchmarks/own_tools/heldout-2/`: three other tools,
20 tool questions and 16 no-tool ones, written before the no-tool measures were built and never tuned
on), `heldout-3` (`benchmarks/own_tools/heldout-3/`: five more, a share price, a translation into
an enum of languages, a city's time, a loan's monthly payment and a word count; 24 tool questions
and 12 no-tool ones), `heldout-4` (`benchmarks/own_tools/heldout-4/`: an alarm at a time its
`pattern` fixes, a table booked for a date, a temperature between two enums of units, a prime test
and recipes for an ingredient; 19 tool questions and 12 no-tool ones), `heldout-5`
(`benchmarks/own_tools/heldout-5/`, OpenAI-format specs: the mean of a list of numbers, a bill split
with a boolean tip, a list of words sorted, a flight's duration, a parcel's shipping price; 21 tool
questions and 12 no-tool ones) and `heldout-6` (OpenAI-format specs: an e-mail, a to-do with a
priority, an age from a birth date, Roman numerals, a calendar event with a list of names; 21 tool
questions and 12 no-tool ones) and `heldout-7` (OpenAI-format specs: a tip on a bill, the days until
a date, a body mass index, a password with a boolean for symbols, a drive between two cities; 25 tool
questions and 12 no-tool ones), `heldout-8` (OpenAI-format specs: calories of an exercise from an enum,
a percentage change, a hex colour and a clock time by `pattern`, a packing list for a destination,
rhymes; 20 tool questions and 12 no-tool ones), `heldout-9` (MCP-format specs: a flight's status
and a ZIP code's city by `pattern`, the average of a list of grades, a reminder, dice with an enum of
sides; 16 tool questions and 12 no-tool ones), `heldout-10` (Python functions alone, no JSON: a
thermostat, lights by an `Enum` of rooms, music, a timer, weather alerts for a state code; 16 tool
questions and 12 no-tool ones), `heldout-11` (MCP-format specs: a currency conversion by
three-letter codes, a discount, restaurants by an enum of cuisines with an open-now boolean, a parcel
by a `pattern`ed tracking number, a sunrise time on an optional date, a number in words; 20 tool
questions and 12 no-tool ones), `heldout-12` (Python functions alone: an HTTP status code, a
movie's showtimes in a city, daily water for a weight with an optional boolean, Base64 of a text, a
country's next holiday, a team's last score; 18 tool questions and 12 no-tool ones) and
`heldout-13` (OpenAI-format specs: a flight between two cities on a date with optional passengers
and an enum of cabins, a text message to a phone number by `pattern`, recipes for a list of
ingredients, a song's lyrics with an optional artist, news headlines on a topic; 17 tool questions
and 12 no-tool ones); `heldout-14` to `heldout-29` are described in BENCHMARKS.md ("Your own
tools"). The first runs of heldout-3 to heldout-29 were read; see BENCHMARKS.md. The
head is trained only on synthesized demonstrations; the questions are never seen in training. Per
way of writing arguments (`schema`, `copy`, `text`: see `GenerationConfig.arguments`) it prints:
tool questions answered right through the right tool (the call's result equals the gold call's),
questions where the right tool was called at all, no-tool questions answered without a call, and
calls whose arguments were invalid.

    python benchmarks/own_tools.py [--set dev heldout-2 ... heldout-29] [--per-tool 40]
                                   [--model PATH] [--variants schema copy text]
                                   [--data synth +examples +paraphrase]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from toolken import GenerationConfig, ToolkenModel, TrainingArguments, generate, synth, train
from toolken.backbone import load_backbone
from toolken.cli import function_toolset, load_functions
from toolken.config import NEAR_MISS_SHARE
from toolken.demonstrations import add_demonstrations, demos_from_records, read_records
from toolken.execution import execute
from toolken.paraphrase import Paraphraser
from toolken.phrasings import load_examples
from toolken.tools import load_tool_specs
from toolken.toolsets import Toolset

HERE = Path(__file__).with_name("own_tools")
SETS = {"dev": HERE, **{f"heldout-{k}": HERE / f"heldout-{k}" for k in range(2, 30)}}


def load(name: str = "dev") -> tuple[Toolset, list[dict]]:
    """The tool set `name` bound to its functions, and its questions."""
    folder = SETS[name]
    questions = read_records(folder / "questions.jsonl")
    if not (folder / "tools.json").exists():  # the functions alone, as `--functions` without `--tools`
        return Toolset("own", function_toolset(str(folder / "tools.py")).tools), questions
    functions = load_functions(str(folder / "tools.py"))
    tools = load_tool_specs(json.loads((folder / "tools.json").read_text()), functions)
    return Toolset("own", tools), questions


def score(toolset: Toolset, questions: list[dict], gens: list) -> dict:
    """The benchmark's measures over answered `questions`."""
    by_name = {t.name: t for t in toolset.tools}
    right = called = quiet = invalid = 0
    for q, g in zip(questions, gens):
        invalid += sum(c.error is not None and "argument" in c.error for c in g.calls)
        if q["tool"] is None:
            quiet += not g.calls
            continue
        gold = execute(by_name[q["tool"]], q["arguments"])
        called += any(c.tool == q["tool"] for c in g.calls)
        right += bool(g.calls) and g.calls[0].tool == q["tool"] and g.calls[0].result == gold
    n_tool = sum(q["tool"] is not None for q in questions)
    return {
        "right": right / n_tool,
        "right_tool": called / n_tool,
        "quiet": quiet / (len(questions) - n_tool),
        "invalid_calls": invalid,
    }


def run(
    variants: list[str],
    per_tool: int,
    backbone,
    seed: int = 0,
    data: str = "synth",
    name: str = "dev",
    near_miss: float = NEAR_MISS_SHARE,
) -> list[dict]:
    """Synthesize and train once, then answer with each way of writing arguments in `variants`. `data`:
    "synth" alone, "+examples" (examples.jsonl: three phrasings per tool written apart from the
    questions) or "+paraphrase" (half the questions rewritten by the backbone)."""
    toolset, questions = load(name)
    start = time.perf_counter()
    extras: dict = {"near_miss_share": near_miss}
    if data == "+examples":
        extras["examples"] = load_examples(HERE / "examples.jsonl", toolset.tools)
    elif data == "+paraphrase":
        extras["paraphraser"] = Paraphraser(*backbone, seed=seed)
    records = synth(toolset.tools, per_tool, seed, toolset.prompt, **extras)
    extras.pop("paraphraser", None)  # validation: the plain synthesized form
    val = synth(toolset.tools, max(3, per_tool // 4), seed + 1, toolset.prompt, split="validation", **extras)
    demos = demos_from_records(records, toolset, "synth")[0]
    model = ToolkenModel.create(toolset, backbone=backbone)
    add_demonstrations(model.tools, demos)
    val_demos = demos_from_records(val, toolset, "synth")[0]
    train(model, demos, TrainingArguments(bias="eager"), val_demos=val_demos, progress=False)  # as train --synth
    trained = time.perf_counter() - start
    results = []
    for variant in variants:
        gens = generate(model, [q["question"] for q in questions], GenerationConfig(arguments=variant))
        answers = [{"question": q["question"], **g.to_dict()} for q, g in zip(questions, gens)]
        results.append({"set": name, "variant": variant, "data": data, "per_tool": per_tool, "near_miss": near_miss,
                        **score(toolset, questions, gens), "train_s": trained, "answers": answers})  # fmt: skip
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", nargs="+", default=["dev"], choices=list(SETS), help="tool and question sets")
    p.add_argument("--per-tool", type=int, nargs="+", default=[40], help="synthesized demonstrations per tool")
    p.add_argument("--variants", nargs="+", default=["schema", "copy", "text"], choices=["schema", "copy", "text"])
    p.add_argument(
        "--data",
        nargs="+",
        default=["synth"],
        choices=["synth", "+examples", "+paraphrase"],
        help="training data: synthesized alone, with the user's phrasings, or partly rephrased",
    )
    p.add_argument(
        "--near-miss", type=float, nargs="+", default=[NEAR_MISS_SHARE], help="near misses per tool question"
    )
    p.add_argument("--model", help="backbone folder (default: SmolLM2-135M-Instruct)")
    p.add_argument("--out", type=Path, help="write the results, answers included, as JSON")
    a = p.parse_args(argv)
    # the paraphraser samples with transformers' `generate`; the hidden states are the same either way
    backbone = load_backbone(a.model, implementation="transformers" if "+paraphrase" in a.data else "auto")
    results = [
        r
        for s in a.set
        for d in a.data
        for n in a.per_tool
        for m in a.near_miss
        for r in run(a.variants, n, backbone, data=d, name=s, near_miss=m)
    ]
    print("| set | data | near misses | arguments | per tool | right | right tool | no-tool quiet | invalid calls "
          "| synth+train s |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['set']} | {r['data']} | {r['near_miss']} | {r['variant']} | {r['per_tool']} | {r['right']:.2f} "
              f"| {r['right_tool']:.2f} | {r['quiet']:.2f} | {r['invalid_calls']} | {r['train_s']:.1f} |")  # fmt: skip
    if a.out:
        a.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
