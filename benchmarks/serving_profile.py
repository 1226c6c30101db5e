"""Where a served answer's CPU time goes: the server's batcher (no HTTP) answering FuncQA one-hop
questions one at a time and 8 at a time, each client sending its next question when answered, after
an untimed pass that encodes every tool's prompt once; CPU seconds spent encoding (prefill passes) and
in tool mode (tool prompts encoded, arguments written, tools run), and in decoding steps (backbone
passes over at most STEP_TOKENS new tokens a row: a word and its drafts, forced argument tokens), per
pass. The last column is the tokens per CPU second the pass would reach if its decoding steps cost
nothing, the most any way of sharing steps between rows can give. Prints one Markdown table.

    python benchmarks/serving_profile.py HEAD_DIR --questions 24
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from toolken import decoding, generation, llama, prefill
from toolken.batching import Batcher, Job
from toolken.generation import GenerationConfig, RowOptions
from toolken.head import ToolkenModel
from toolken_bench.toolsets import TOOLKENGPT_DIR

# a step with its drafts (`GenerationConfig.lookup_tokens`) or the argument tokens a grammar forced;
# a prompt, or a tool prompt's question after its cached demonstrations, is longer
STEP_TOKENS = 12


def timed(spent: dict[str, float], name: str, f: Callable) -> Callable:
    """`f`, adding its CPU seconds to `spent[name]` (the batcher's calls do not nest in each other)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start

    return wrapper


def timed_steps(spent: dict[str, float]) -> None:
    """Add the CPU seconds of every backbone pass over at most STEP_TOKENS new tokens a row to
    `spent["steps"]` (toolken's own Llama, the default model's)."""
    forward = llama.LlamaBase.forward
    step = timed(spent, "steps", forward)

    def wrapper(self: llama.LlamaBase, input_ids: Any, *args: Any, **kwargs: Any) -> Any:
        return (forward if input_ids.shape[1] > STEP_TOKENS else step)(self, input_ids, *args, **kwargs)

    llama.LlamaBase.forward = wrapper


def main(argv: list[str] | None = None) -> int:
    """Profile the two passes and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("head", help="a head trained on FuncQA (toolken train --tools funcqa ...)")
    p.add_argument("--questions", type=int, default=24)
    p.add_argument("--clients", type=int, default=8)
    a = p.parse_args(argv)
    model = ToolkenModel.from_pretrained(a.head)
    questions = [r["question"] for r in json.loads((TOOLKENGPT_DIR / "funcqa" / "funcqa_oh.json").read_text())]
    questions = questions[: a.questions]
    spent: dict[str, float] = {}
    decoding._prefill = timed(spent, "encoding", decoding._prefill)  # prompts, and tool prompts after their prefix
    prefill._prefill = timed(spent, "encoding", prefill._prefill)  # the prefixes shared by a batch or a tool
    generation.run_tools = timed(spent, "tool mode", generation.run_tools)
    timed_steps(spent)
    batcher = Batcher(model, GenerationConfig(max_new_tokens=48), max_batch=a.clients)

    def ask(q: str) -> Any:
        return batcher.submit(Job(model.prompt_text(q), RowOptions(max_new_tokens=48))).result()

    with ThreadPoolExecutor(a.clients) as pool:
        list(pool.map(ask, questions))  # untimed: every tool's prompt encoded once
    print("| clients | CPU s | completion tokens | calls | tok / CPU s | encoding | tool mode | decoding steps"
          " | mean batch | tok / CPU s, steps free |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    rates = []
    for n in (1, a.clients):
        spent.clear()
        batcher.sizes.clear()
        start = time.process_time()
        with ThreadPoolExecutor(n) as pool:
            gens = list(pool.map(ask, questions))
        cpu = time.process_time() - start
        tokens = sum(len(model.tokenizer(g.text, add_special_tokens=False).input_ids) for g in gens)
        calls = sum(len(g.calls) for g in gens)
        # encoding inside tool mode (tool prompts) counts in both columns
        shares = " | ".join(f"{spent.get(k, 0) / cpu:.0%}" for k in ("encoding", "tool mode", "steps"))
        mean = sum(batcher.sizes) / max(1, len(batcher.sizes))
        rates.append((tokens / cpu, tokens / (cpu - spent.get("steps", 0))))
        row = f"| {n} | {cpu:.1f} | {tokens} | {calls} | {rates[-1][0]:.2f} | {shares} | {mean:.1f}"
        print(f"{row} | {rates[-1][1]:.2f} |", flush=True)
    batcher.close()
    print(
        f"\n{a.clients} clients vs 1, tok / CPU s: {rates[1][0] / rates[0][0]:.2f}x; "
        f"at most {rates[1][1] / rates[0][0]:.2f}x with every decoding step free"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
