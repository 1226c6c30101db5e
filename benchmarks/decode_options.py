"""Batch-1 decoding options that were tried for the 2x-over-`lm.generate` target and not kept, measured
side by side in one run against eager `lm.generate` (greedy, dynamic KV cache) on the same prompts:

    python benchmarks/decode_options.py --json benchmarks/results-decode-options.json

(1) toolken's default path (prompt-lookup drafts, `GenerationConfig.lookup_tokens`) eager, then with
`torch.compile(dynamic=True)` of every decoder layer, or of only each layer's MLP and norms (the
parts that never see the KV cache);
(2) the CPU cost of one backbone pass feeding 1 to 12 tokens after a cached prompt, and from it the
speed-up over one token a pass that each draft length would give on greedy texts of other FuncQA
questions than the ones timed (fixed lengths 1-11, and a length that grows while drafts are taken
whole). Toolkens cannot fire (bias -1e4) and no stop string ends an answer, as in `speed.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from toolken.backbone import load_backbone
from toolken.decoding import lookup_draft
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel

sys.path.insert(0, str(Path(__file__).parent))
from speed import FUNCQA, bench_pass_cost  # noqa: E402

MAX_NEW = 48


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def timed_paths(model: ToolkenModel, questions: Sequence[str]) -> dict[str, float]:
    """Tokens per CPU second of eager `lm.generate` (transformers' model of the same weights) over ours,
    eager and under each compile."""
    lm, tok = load_backbone(implementation="transformers")[0], model.tokenizer
    cfg = GenerationConfig(max_new_tokens=MAX_NEW, bias=-1e4, batch_size=1, stop_loops=False)

    def hf() -> None:
        for q in questions:
            ids = tok(model.prompt_text(q), return_tensors="pt").input_ids
            lm.generate(ids, max_new_tokens=MAX_NEW, do_sample=False, pad_token_id=tok.pad_token_id)

    def ours() -> None:
        for q in questions:
            generate(model, [q], cfg)

    hf()  # warm-up
    out = {"hf_cpu_s": _cpu(hf), "ours_cpu_s": _cpu(ours)}
    for name, parts in [
        ("mlp_norms", lambda layer: [layer.mlp, layer.input_layernorm, layer.post_attention_layernorm]),
        ("layers", lambda layer: [layer]),
    ]:
        for layer in model.lm.model.layers:
            for module in parts(layer):
                module.compile(dynamic=True)
        out[f"{name}_warmup_cpu_s"] = _cpu(ours)
        out[f"{name}_cpu_s"] = _cpu(ours)
        for layer in model.lm.model.layers:  # back to eager for the next option
            for module in parts(layer):
                module._compiled_call_impl = None
        torch._dynamo.reset()
    return out


def simulate_drafts(cost_ms: dict[int, float], texts: list[tuple[int, list[int]]]) -> dict[str, float]:
    """Speed-up over one token a pass of each drafting policy on greedy `texts` (prompt length, ids),
    from the measured pass costs: a pass feeds the last token and the draft, and yields the tokens
    the draft got right plus one."""

    def run(policy: Callable[[dict], int]) -> float:
        cost = tokens = 0.0
        for prompt_len, ids in texts:
            i, state = prompt_len + 1, {}
            while i < len(ids):
                draft = lookup_draft(ids[:i], policy(state))
                taken = next((j for j, d in enumerate(draft) if i + j >= len(ids) or ids[i + j] != d), len(draft))
                state = {"whole": bool(draft) and taken == len(draft), "k": len(draft)}
                cost += cost_ms[1 + len(draft)]
                tokens += min(taken + 1, len(ids) - i)
                i += taken + 1
        return tokens * cost_ms[1] / cost

    out = {f"fixed_{k}": run(lambda s, k=k: k) for k in (1, 2, 3, 4, 6, 8, 11)}
    out["growing"] = run(lambda s: min(11, 2 * s["k"]) if s.get("whole") else 2)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, default=4, help="FuncQA one-hop questions timed")
    p.add_argument("--simulated", type=int, default=20, help="FuncQA questions to simulate drafts on")
    p.add_argument("--json", type=Path, help="also write the measurements to this JSON file")
    a = p.parse_args(argv)
    lm, tok = load_backbone()
    model = ToolkenModel.create("funcqa", backbone=(lm, tok), prompt_format="plain")
    model.config.stop = []  # decode to MAX_NEW like lm.generate does
    questions = [r["question"] for r in json.loads((FUNCQA / "funcqa_oh.json").read_text())]
    timed = timed_paths(model, questions[: a.questions])
    cost = {int(n): ms for n, ms in bench_pass_cost(model, questions[0], sizes=tuple(range(1, 13))).items()}
    cfg = GenerationConfig(max_new_tokens=MAX_NEW, bias=-1e4, batch_size=1, stop_loops=False)
    others = questions[10 : 10 + a.simulated]
    texts = [(len(tok(model.prompt_text(q)).input_ids), tok(model.prompt_text(q) + g.text).input_ids)
             for q, g in zip(others, generate(model, others, cfg))]  # fmt: skip
    sim = simulate_drafts(cost, texts)
    print("| decoding at batch 1 | vs eager `lm.generate`, by CPU time |\n| --- | --- |")
    ours = timed["hf_cpu_s"] / timed["ours_cpu_s"]
    print(f"| toolken, prompt-lookup drafts of {GenerationConfig.lookup_tokens} (default), eager | {ours:.2f}x |")
    for name, what in [("mlp_norms", "each layer's MLP and norms"), ("layers", "every decoder layer")]:
        print(f"| the same, `torch.compile(dynamic=True)` of {what} | {timed['hf_cpu_s'] / timed[f'{name}_cpu_s']:.2f}x"
              f" (first run, compiling: {timed[f'{name}_warmup_cpu_s']:.0f} CPU s) |")  # fmt: skip
    print("\n| draft policy (simulated) | speed-up over one token a pass |\n| --- | --- |")
    for name, x in sim.items():
        print(f"| {name.replace('_', ' ')} | {x:.2f}x |")
    print("\npass CPU ms by tokens fed: " + ", ".join(f"{n}: {ms:.0f}" for n, ms in cost.items()))
    if a.json:
        a.json.write_text(json.dumps({"timed": timed, "pass_cpu_ms": cost, "simulated": sim}, indent=1))
    return 0


if __name__ == "__main__":
    torch.set_grad_enabled(False)
    raise SystemExit(main())
