"""Toolkens a request does not offer lend their logits to offered twins: `toolken.twins`."""

import pytest
import torch

from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.tools import Tool
from toolken.twins import lend, tool_words, twins_of


def _tool(name: str, description: str) -> Tool:
    return Tool(name, description, {"type": "object", "properties": {}}, lambda: "42")


TOOLS = [
    _tool("math.gcd", "The greatest common divisor of two numbers."),
    _tool("number_theory.gcd", "Greatest common divisor of two integers."),
    _tool("math.gcd_of_numbers", "The greatest common divisor of numbers."),
    _tool("get_weather", "The weather in a city today."),
]


class _Owner:
    pass


def test_twins_share_most_words_of_their_names_and_descriptions():
    assert tool_words(TOOLS[0]) == {"math", "gcd", "greatest", "common", "divisor", "two", "number"}
    twins = twins_of(TOOLS, 0.5, _Owner())
    pairs = {(int(a), int(b)) for a, b in zip(twins.lender, twins.borrower)}
    assert (1, 0) in pairs and (0, 1) in pairs and not any(3 in p for p in pairs)  # the weather is no twin
    assert twins_of(TOOLS[3:], 0.5, _Owner()) is None  # one tool: no pairs


def test_a_toolken_not_offered_lends_its_logit_to_the_offered_twin_most_like_it():
    twins = twins_of(TOOLS, 0.5, _Owner())
    logits = torch.tensor([[1.0, 9.0, 2.0, 3.0]] * 3)
    offered = torch.tensor([[True, False, True, True], [True, True, True, True], [False, False, False, True]])
    out = lend(logits, ~offered, offered, twins)
    assert out[0].tolist() == [9.0, 9.0, 2.0, 3.0]  # number_theory.gcd lends to math.gcd, its closest offered
    assert out[1].tolist() == logits[1].tolist()  # all offered: nothing lent
    assert out[2].tolist() == logits[2].tolist()  # no offered twin: the weather borrows nothing


@pytest.mark.parametrize("overlap, fires", [(0.5, True), (None, False)])
def test_an_offered_tool_fires_where_its_twin_would_have(tiny_backbone, overlap, fires):
    model = ToolkenModel.create(TOOLS, init="random", backbone=tiny_backbone)
    ids = model.tokenizer(model.prompt_text("gcd of 12 and 18?"), return_tensors="pt").input_ids
    with torch.no_grad():
        h = model.lm.base_model(input_ids=ids).last_hidden_state[0, -1]
        model.head.weight.zero_()
        model.head.weight[1] = 1e3 * h / h.square().sum()  # number_theory.gcd wins by far
        model.head.weight[0] = -model.head.weight[1]
    cfg = GenerationConfig(max_new_tokens=4, bias=0.0, allowed_tools=["math.gcd", "get_weather"], max_calls=1,
                           twin_overlap=overlap, name_bias=0.0)  # fmt: skip
    (g,) = generate(model, ["gcd of 12 and 18?"], cfg)
    assert [c.tool for c in g.calls] == (["math.gcd"] if fires else [])
