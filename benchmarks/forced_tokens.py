"""Tool mode with and without forced tokens: the tokens an argument grammar leaves no choice about
(`{"`, a key, the rest of the only copyable value that starts so) joining the next backbone pass
instead of taking a decoding step each (`GenerationConfig.forced_tokens`). FuncQA one-hop answered
by a trained head both ways in one process, greedy, batch 8 then batch 1: accuracy, backbone passes
and CPU seconds spent in tool mode.

    python benchmarks/forced_tokens.py runs/funcqa [--limit 60] [--batches 8 1]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from toolken import generation
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken_bench.tasks import get_task, question_of, score, task_records


def measure(model: ToolkenModel, records: list[dict], questions: list[str], cfg: GenerationConfig) -> dict:
    """Answer `questions` with `cfg`; the accuracy, backbone passes and CPU seconds in tool mode."""
    base, passes, tool_cpu = model.lm.base_model, [0], [0.0]
    forward, run_tools = base.forward, generation.run_tools

    def counted(*a, **k):
        passes[0] += 1
        return forward(*a, **k)

    def timed(*a, **k):
        start = time.process_time()
        try:
            return run_tools(*a, **k)
        finally:
            tool_cpu[0] += time.process_time() - start

    base.forward, generation.run_tools = counted, timed
    start = time.process_time()
    try:
        gens = generate(model, questions, cfg)
    finally:
        base.forward, generation.run_tools = forward, run_tools
    task = get_task("funcqa-oh")
    return {
        "accuracy": sum(score(task, r, g) for r, g in zip(records, gens)) / len(gens),
        "calls": sum(len(g.calls) for g in gens),
        "passes": passes[0],
        "tool_mode_cpu_s": tool_cpu[0],
        "cpu_s": time.process_time() - start,
        "answers": [g.to_dict() for g in gens],
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("head", help="a head trained on FuncQA (e.g. the main job's runs/funcqa)")
    p.add_argument("--limit", type=int, default=60, help="the first N FuncQA one-hop questions")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--batches", type=int, nargs="+", default=[8, 1], help="batch sizes to measure")
    a = p.parse_args(argv)
    model = ToolkenModel.from_pretrained(a.head)
    task = get_task("funcqa-oh")
    model.bind({t.name: t.function for t in task.toolset.tools if t.function})  # a bench head binds none
    records = task_records(task, None, a.limit)
    questions = [question_of(task, r) for r in records]
    rows, results = [], {}
    for batch in a.batches:
        base = GenerationConfig(max_new_tokens=96, batch_size=batch, progress=False)
        off = measure(model, records, questions, replace(base, forced_tokens=False))
        on = measure(model, records, questions, replace(base, forced_tokens=True))
        same = sum(x == y for x, y in zip(off.pop("answers"), on.pop("answers")))
        results[f"batch{batch}"] = {"off": off, "on": on, "same_answers": same}
        for name, r in (("a step each", off), ("forced tokens (default)", on)):
            rows.append(
                f"| {batch} | {name} | {r['accuracy']:.3f} | {r['calls']} | {r['passes']} | "
                f"{r['tool_mode_cpu_s']:.1f} | {r['cpu_s']:.1f} |"
            )
        rows.append(f"| {batch} | ratio, same answers {same}/{len(questions)} | | | "
                    f"{off['passes'] / on['passes']:.2f}x | {off['tool_mode_cpu_s'] / on['tool_mode_cpu_s']:.2f}x | "
                    f"{off['cpu_s'] / on['cpu_s']:.2f}x |")  # fmt: skip
    print("| batch | tool mode | accuracy | calls | backbone passes | tool-mode CPU s | all CPU s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
