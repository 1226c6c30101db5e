"""Prompt-lookup decoding (greedy, batch 1) writes exactly the tokens of the one-token-a-pass
reference, whether its drafts are right, wrong or absent, with tool calls and stops in between."""

import copy

import pytest
import torch
from conftest import arith_toolset

from toolken import decoding
from toolken.decoding import lookup_draft
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.tools import Tool

QUESTIONS = ["What is 2 plus 2? What is 2 plus 2? What is", "What is 12 times 7?", "Why is the sky blue?"]


def answer_tool() -> str:
    """Return the answer to everything."""
    return "42"


@pytest.fixture(scope="module")
def sharp_backbone(tiny_backbone):
    """The tiny backbone with its weights (not its norms) scaled by 4: the random model's greedy text
    then depends on its context, so a KV cache holding rejected drafts changes it."""
    lm, tokenizer = tiny_backbone
    lm = copy.deepcopy(lm)
    with torch.no_grad():
        for name, weight in lm.named_parameters():
            if "norm" not in name:
                weight.mul_(4)
    return lm, tokenizer


@pytest.fixture
def model(sharp_backbone):
    tools = [Tool.from_function(answer_tool), *arith_toolset().tools]
    return ToolkenModel.create(tools, init="description", backbone=sharp_backbone)


def test_lookup_draft():
    assert lookup_draft([1, 2, 3, 9, 1, 2, 3, 7, 1, 2, 3], 2) == [7, 1]  # the latest occurrence
    assert lookup_draft([5, 2, 3, 8, 4, 3], 3) == [8, 4, 3]  # down to one token
    assert lookup_draft([1, 2, 3], 4) == [] and lookup_draft([1], 4) == []


def _run(model, q, bias, lookup, max_new=24):
    cfg = GenerationConfig(max_new_tokens=max_new, bias=bias, batch_size=1, lookup_tokens=lookup)
    return generate(model, [q], cfg)[0].to_dict()


@pytest.mark.parametrize("bias", [-1e4, 0.0, 3.0])
def test_lookup_equals_one_token_passes(model, bias):
    for q in QUESTIONS:
        assert _run(model, q, bias, 8) == _run(model, q, bias, 0)


def test_right_and_wrong_drafts_change_nothing(model, monkeypatch):
    passes, oracle_running = [], [False]
    forward = model.lm.base_model.forward

    def counted(*args, **kwargs):
        passes.append(not oracle_running[0])
        return forward(*args, **kwargs)

    def oracle(ids, k):
        oracle_running[0] = True
        try:
            return _oracle(model, ids, k)
        finally:
            oracle_running[0] = False

    monkeypatch.setattr(model.lm.base_model, "forward", counted)
    runs = [(q, bias) for q in QUESTIONS for bias in (-1e4, 3.0)]
    reference = {run: _run(model, *run, 0) for run in runs}
    assert any(r["calls"] for r in reference.values())  # tool mode and KV extension are exercised
    words_only = [run for run in runs if run[1] < 0]
    passes[:] = []
    for run in words_only:
        _run(model, *run, 0)
    one_token_passes, passes[:] = sum(passes), []
    # a draft that guesses the reference's own next words is always accepted: several tokens a pass
    monkeypatch.setattr(decoding, "lookup_draft", oracle)
    for run in words_only:
        assert _run(model, *run, 8) == reference[run]
    assert sum(passes) < one_token_passes / 2
    for run in runs:
        assert _run(model, *run, 8) == reference[run]
    # drafts that are always wrong are cut from the cache every time
    monkeypatch.setattr(decoding, "lookup_draft", lambda ids, k: [7] * k)
    for run in runs:
        assert _run(model, *run, 8) == reference[run]


def _oracle(model, ids, k):
    """The greedy next `k` words after `ids` (one token a pass, toolkens off)."""
    cfg = GenerationConfig(max_new_tokens=k, bias=-1e4, batch_size=1, lookup_tokens=0)
    new, _ = decoding.decode(model, [list(ids)], [k], [lambda text: None], cfg)[0]
    return new
