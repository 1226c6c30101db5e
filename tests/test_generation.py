"""Decoding: the fast path matches plain generate; batching changes nothing; tool mode runs tools."""

from dataclasses import replace

import pytest
import torch

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


def test_reused_caches_give_the_same_tokens(model, monkeypatch):
    # the fast path (shared few-shot prefix encoded once, a row's cache kept across tool calls, each
    # tool's prompt prefix encoded once) must write exactly what re-encoding from scratch writes
    from toolken import generation

    prefix = "Examples: the answer is found with a tool. " * 4
    prompts = [f"{prefix}Q: {q}\nA:" for q in QUESTIONS]
    real, reused = generation._prefill, []

    def recording(model, rows, caches, keep):
        reused.append([c is not None for c in caches])
        return real(model, rows, caches, keep)

    monkeypatch.setattr(generation, "_prefill", recording)
    for tools, calls in ((["answer_tool"], 3), (["sqrt"], 2)):  # without and with tool-mode arguments
        cfg = GenerationConfig(max_new_tokens=16, bias=1e4, allowed_tools=tools, max_calls=calls, batch_size=2)
        reused.clear()
        fast = generate(model, QUESTIONS, cfg, prompts=prompts)
        assert all(g.calls for g in fast)  # every row leaves for tool mode and comes back
        assert sum(all(r) for r in reused) >= 4  # the shared prefix, a row's own cache, a tool's prefix
        reused.clear()
        slow = generate(model, QUESTIONS, replace(cfg, reuse_kv=False), prompts=prompts)
        assert not any(any(r) for r in reused)
        assert [g.to_dict() for g in fast] == [g.to_dict() for g in slow]


def test_prefill_from_caches_matches_a_fresh_prefill(model):
    from toolken.generation import _prefill, shared_prefix_cache

    tok = model.tokenizer
    texts = ["Q: What is 2 plus 2?\nA: 4", "Q: Why is the sky blue at noon?\nA: light", "Q: Hi\nA:"]
    rows = [tok(t).input_ids for t in texts]
    caches = [None, None, None]
    _prefill(model, [r[:-2] for r in rows[:2]] + [rows[2]], caches, keep=True)  # caches of unequal lengths
    caches[2] = shared_prefix_cache(model, rows)  # "Q:" only
    assert [len(c.ids) for c in caches] == [len(rows[0]) - 3, len(rows[1]) - 3, 1]
    grown = [r + tok(" and more", add_special_tokens=False).input_ids for r in rows]
    fast, _, _ = _prefill(model, grown, list(caches), keep=False)
    fresh, _, _ = _prefill(model, grown, [None] * 3, keep=False)
    torch.testing.assert_close(fast.last_hidden_state[:, -1], fresh.last_hidden_state[:, -1], atol=1e-5, rtol=1e-4)
