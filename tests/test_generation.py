"""Decoding: the fast path matches plain generate; batching changes nothing; tool mode runs tools."""

import pytest

from toolken.generation import GenerationConfig, close_paren, extract_answer, generate, join_result, tool_prompt
from toolken.head import ToolkenModel
from toolken.tools import Tool, ToolCall


def answer_tool() -> str:
    """Return the answer to everything."""
    return "42"


@pytest.fixture
def model(tiny_backbone):
    tools = [Tool.from_function(answer_tool), *ToolkenModel.create("funcqa", backbone=tiny_backbone).tools]
    return ToolkenModel.create(tools, init="description", backbone=tiny_backbone)


QUESTIONS = ["What is 2 plus 2?", "How many apples are left if 5 of 12 are eaten by the horse today?", "Why?"]


def test_no_toolken_greedy_equals_hf_generate(model):
    cfg = GenerationConfig(max_new_tokens=12, bias=-1e4, batch_size=1)
    for q in QUESTIONS:
        (g,) = generate(model, [q], cfg)
        ids = model.tokenizer(model.config.prompt.format(question=q), return_tensors="pt").input_ids
        ref = model.lm.generate(ids, max_new_tokens=12, do_sample=False, pad_token_id=model.tokenizer.pad_token_id)
        text = model.tokenizer.decode(ref[0, ids.shape[1] :], skip_special_tokens=True)
        cut = text.find("\n")
        assert g.text == (text if cut < 0 else text[:cut]) and not g.calls


def test_batched_equals_one_by_one(model):
    one = [generate(model, [q], GenerationConfig(max_new_tokens=10, batch_size=1))[0] for q in QUESTIONS]
    batched = generate(model, QUESTIONS, GenerationConfig(max_new_tokens=10, batch_size=3))
    assert [g.to_dict() for g in one] == [g.to_dict() for g in batched]


def test_forced_toolken_runs_tool_and_inserts_result(model):
    cfg = GenerationConfig(max_new_tokens=8, bias=1e4, allowed_tools=["answer_tool"], max_calls=1)
    (g,) = generate(model, ["What is the answer?"], cfg)
    assert g.calls[0].tool == "answer_tool" and g.calls[0].result == "42" and g.calls[0].error is None
    assert g.text.startswith(" 42")


def test_failed_calls_become_errors_and_decoding_goes_on(model):
    # the random model writes nonsense arguments for sqrt: every call must fail cleanly
    cfg = GenerationConfig(max_new_tokens=20, bias=1e4, allowed_tools=["sqrt"], max_calls=3, argument_tokens=6)
    (g,) = generate(model, ["Root of what?"], cfg)
    assert 1 <= len(g.calls) <= 3
    for c in g.calls:
        assert c.tool == "sqrt" and (c.error is None) != (c.result is None)


def test_allowed_tools_can_change_after_each_call(model):
    seen = []

    def allowed(text: str) -> list[str]:
        seen.append(text)
        return ["answer_tool"] if "42" not in text else ["sqrt"]

    cfg = GenerationConfig(max_new_tokens=8, bias=1e4, allowed_tools=allowed, max_calls=2, argument_tokens=4)
    (g,) = generate(model, ["What is the answer?"], cfg)
    assert [c.tool for c in g.calls] == ["answer_tool", "sqrt"]
    assert seen[0].endswith("A:") and "42" in seen[1]


def test_allowed_tools_must_exist(model):
    with pytest.raises(KeyError):
        generate(model, ["q"], GenerationConfig(allowed_tools=["nope"]))


def test_sampling_is_seeded(model):
    cfg = GenerationConfig(max_new_tokens=10, do_sample=True, temperature=1.5, top_k=20, seed=3, bias=-1e4)
    a, b = generate(model, QUESTIONS, cfg), generate(model, QUESTIONS, cfg)
    assert [g.text for g in a] == [g.text for g in b]


def test_helpers():
    assert close_paren('"a)b", 2) rest') == 8
    assert close_paren("f(1), 2)") == 7
    assert close_paren("1, 2\nmore") == 4
    assert close_paren("1, 2") is None
    assert join_result("A:", "4") == " 4" and join_result("3+1=", "4") == "4" and join_result("x\n", "4") == "4"
    calls = [ToolCall("add", {}, "7"), ToolCall("add", {}, None, "boom")]
    assert extract_answer(" 7123", "number", calls) == "7"
    assert extract_answer("it is 1,234.5 units", "number") == "1234.5"
    assert extract_answer("  Paris \n", "text") == "Paris"
    tool = Tool.from_function(answer_tool)
    tool.demonstrations = [{"context": "Q: x?\nA:", "arguments": ""}]
    prompt = tool_prompt(tool, "Q: y?\nA:")
    assert prompt.endswith("Q: y?\nA:\nCall: answer_tool(") and "Return the answer" in prompt
