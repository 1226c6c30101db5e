"""Decoding: the fast path matches plain generate; batching changes nothing; tool mode runs tools;
tools called in words (`name(args)=`, the prompting baseline's way) run too."""

import json
import threading
from dataclasses import replace

import pytest
import torch
from conftest import arith_toolset, hf_generate, scripted_decode

from toolken import decoding
from toolken.config import Init
from toolken.execution import ToolCall
from toolken.generation import GenerationConfig, RowOptions, call_pattern, extract_answer, finish_call, generate
from toolken.head import ToolkenModel
from toolken.prefill import prefill_groups
from toolken.priors import special_prefix
from toolken.toolmode import close_paren, join_result, tool_prompt
from toolken.tools import Tool, by_name


def answer_tool() -> str:
    """Return the answer to everything."""
    return "42"


@pytest.fixture(params=["tiny_backbone", "tiny_gemma_backbone"])
def model(request):
    tools = [Tool.from_function(answer_tool), *arith_toolset().tools]
    return ToolkenModel.create(tools, init="description", backbone=request.getfixturevalue(request.param))


QUESTIONS = ["What is 2 plus 2?", "How many apples are left if 5 of 12 are eaten by the horse today?", "Why?"]


def test_no_toolken_greedy_equals_hf_generate(model):
    cfg = GenerationConfig(max_new_tokens=12, bias=-1e4, batch_size=1, stop_loops=False)
    for q in QUESTIONS:
        (g,) = generate(model, [q], cfg)
        ids = model.tokenizer(model.config.prompt.format(question=q), return_tensors="pt").input_ids
        ref = hf_generate(model.lm, ids, max_new_tokens=12, pad_token_id=model.tokenizer.pad_token_id)
        text = model.tokenizer.decode(ref[0, ids.shape[1] :], skip_special_tokens=True)
        cut = text.find("\n")
        assert g.text == (text if cut < 0 else text[:cut]) and not g.calls


def test_an_answer_that_repeats_itself_ends_there(model):
    from toolken.generation import _Stop

    loose = GenerationConfig(max_new_tokens=40, bias=-1e4, stop_loops=False)
    long = generate(model, QUESTIONS, loose)
    short = generate(model, QUESTIONS, replace(loose, stop_loops=True))
    cut = [(a.text, b.text) for a, b in zip(long, short) if a.text != b.text]
    assert cut  # the tiny random model loops
    for a, b in cut:
        # ended in its loop: the long text goes on with the run the short one ends repeating
        assert a.startswith(b) and any(b.endswith(b[-k:] * 4) and a[len(b) :].startswith(b[-k:]) for k in range(1, 31))
    stop = _Stop(["\n"], loops=True)
    assert stop(" I'm sorry, I'm sorry, I'm sorry, I'm sorry,") == len(" I'm sorry, I'm sorry, I'm sorry, I'm sorry,")
    assert stop(" 1. 1. 1. 1. 1. 1.") == len(" 1. 1. 1. 1. 1. 1.") and stop(" 1. 1. 1. 1.") is None
    assert stop(" 1,000,000,000,000 km") is None and stop(" ha ha ha") is None  # a big number, a short run
    assert _Stop(["\n"])(" 1. 1. 1. 1. 1. 1.") is None


def test_batched_equals_one_by_one(model):
    one = [generate(model, [q], GenerationConfig(max_new_tokens=10, batch_size=1))[0] for q in QUESTIONS]
    batched = generate(model, QUESTIONS, GenerationConfig(max_new_tokens=10, batch_size=3))
    assert [g.to_dict() for g in one] == [g.to_dict() for g in batched]


def test_forced_toolken_runs_tool_and_inserts_result(model):
    cfg = GenerationConfig(max_new_tokens=8, bias=1e4, allowed_tools=["answer_tool"], max_calls=1)
    (g,) = generate(model, ["What is the answer?"], cfg)
    assert g.calls[0].tool == "answer_tool" and g.calls[0].result == "42" and g.calls[0].error is None
    assert g.text.startswith(" 42")


def test_a_tool_whose_answers_end_with_its_result_ends_the_answer_there(model):
    by_name(model.tools)["answer_tool"].closes = True
    for batch in (1, 2):
        cfg = GenerationConfig(
            max_new_tokens=12, bias=1e4, allowed_tools=["answer_tool"], max_calls=1, batch_size=batch
        )
        done = generate(model, ["What is the answer?", "And again?"][:batch], cfg)
        assert all(g.text == " 42" and len(g.calls) == 1 for g in done)  # no word after the result
        # with calls left and a bias that wants a toolken, the answer still ends with the result
        again = generate(model, ["What is the answer?"], replace(cfg, max_calls=3))[0]
        assert again.text == " 42" and len(again.calls) == 1


def test_closes_answers_reads_what_follows_a_tools_last_call_of_a_turn():
    from toolken.demonstrations import Call, Demo, closes_answers

    def demo(text: str, *calls: tuple[str, str]) -> Demo:  # (tool, its result as the text writes it)
        return Demo(text, [Call(t, text.index(r), text.index(r) + len(r)) for t, r in calls])

    demos = [
        demo("Q: x\nA: 42\n", ("answer_tool", "42")),
        demo("Q: y\nA: 42 43\n", ("add", "42"), ("add", " 43")),  # the first call's turn goes on
        demo("Q: z\nA: 5 apples are left.\n", ("subtract", "5")),
    ]
    assert closes_answers(demos) == {"answer_tool": True, "add": True, "subtract": False}


def test_a_question_that_names_a_tool_raises_its_toolken_by_the_name_bias(model):
    cfg = GenerationConfig(max_new_tokens=8, bias=-1e4, max_calls=1, arguments="text", argument_tokens=4)
    questions = ["Please multiply 6 by 7.", "Is it raining?"]
    quiet = generate(model, questions, cfg)
    assert not quiet[0].calls and not quiet[1].calls  # the bias keeps every toolken down
    named = generate(model, questions, replace(cfg, name_bias=2e4))
    assert named[0].calls[0].tool == "multiply"  # "multiply" names it: +2e4 against the -1e4 bias
    assert not named[1].calls  # names no tool: as before
    batch_1 = [generate(model, [q], replace(cfg, name_bias=2e4, batch_size=1))[0] for q in questions]
    assert [g.to_dict() for g in batch_1] == [g.to_dict() for g in named]  # one row or several alike
    # a prompt that ends with a tool's result (a client resuming after its call) gets no name bias
    resumed = generate(model, questions[:1], replace(cfg, name_bias=2e4), options=[RowOptions(after_result=True)])
    assert not resumed[0].calls


def test_a_question_that_writes_a_tools_identifier_calls_it_first(model):
    from toolken.toolnames import writes_identifier

    assert writes_identifier("answer_tool", "Use the 'answer_tool' function.")
    assert not writes_identifier("answer_tool", "Use the answer tool.")  # words, not the identifier
    assert not writes_identifier("multiply", "Please multiply 6 by 7.")  # a plain word names nothing by chance
    assert not writes_identifier("answer_tool", "Call my.answer_tool_v2 now.")  # only the name whole
    cfg = GenerationConfig(max_new_tokens=8, bias=-8.0, max_calls=2, arguments="text", argument_tokens=4, name_bias=0)
    questions = ["Long story short, could you run answer_tool for me?", "Could you run the answer tool for me?"]
    quiet = generate(model, questions, replace(cfg, named_call_bias=0.0))
    assert not quiet[0].calls and not quiet[1].calls
    named = generate(model, questions, replace(cfg, named_call_bias=1e4))
    assert [c.tool for c in named[0].calls] == ["answer_tool"]  # the first call only: then it is spent
    assert not named[1].calls


def test_a_tool_that_keeps_the_past_is_called_with_the_last_day_of_a_date_written_without_its_year(tiny_backbone):
    import datetime

    def log_harvest(day: datetime.date) -> str:
        """Record a harvest in the garden journal.

        Args:
            day: Date of the harvest
        """
        return day.isoformat()

    model = ToolkenModel.create([Tool.from_function(log_harvest)], init=Init.RANDOM, backbone=tiny_backbone)
    cfg = GenerationConfig(max_new_tokens=4, bias=1e4, max_calls=1)
    (g,) = generate(model, ["Log the potatoes I dug up on September 3."], cfg)
    day = g.calls[0].arguments["day"]
    assert day[5:] == "09-03" and day <= datetime.date.today().isoformat(), g.calls  # not next September's


def test_a_tool_of_choices_does_not_fire_on_a_word_an_offered_tool_shares(tiny_backbone):
    light = {"type": "string", "enum": ["full sun", "full shade"]}
    schema = {"type": "object", "properties": {"light": light}, "required": ["light"]}
    for_light = Tool(
        "plants_for_light", "Suggest plants that grow well in the given light.", schema, lambda light: light
    )
    beds = {"type": "object", "properties": {"beds": {"type": "integer"}}, "required": ["beds"]}  # no number: no call
    companions = Tool("companion_plants", "Check whether plants grow well together.", beds, lambda beds: "ok")
    model = ToolkenModel.create([for_light, companions], init=Init.RANDOM, backbone=tiny_backbone)
    cfg = GenerationConfig(max_new_tokens=4, bias=1e4, max_calls=1)
    (g,) = generate(model, ["Can I plant carrots next to onions?"], cfg)
    assert g.calls == []  # "plant" is the companion tool's word too
    (g,) = generate(model, ["Which plants grow in full shade?"], cfg)
    assert [c.arguments for c in g.calls] == [{"light": "full shade"}]


def test_failed_calls_become_errors_and_decoding_goes_on(model):
    # the random model writes nonsense arguments for sqrt: every call must fail cleanly
    cfg = GenerationConfig(
        max_new_tokens=20, bias=1e4, allowed_tools=["sqrt"], max_calls=3, argument_tokens=6, arguments="text"
    )
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
    from toolken import decoding

    prefix = "Examples: the answer is found with a tool. " * 4
    prompts = [f"{prefix}Q: {q}\nA:" for q in QUESTIONS]
    real, reused = decoding._prefill, []

    def recording(model, rows, caches, keep):
        reused.append([c is not None for c in caches])
        return real(model, rows, caches, keep)

    monkeypatch.setattr(decoding, "_prefill", recording)
    for tools, calls in ((["answer_tool"], 3), (["sqrt"], 2)):  # without and with tool-mode arguments
        # schema arguments: copying would keep sqrt from firing where a question writes no number
        cfg = GenerationConfig(
            max_new_tokens=16, bias=1e4, allowed_tools=tools, max_calls=calls, batch_size=2, arguments="schema"
        )
        reused.clear()
        fast = generate(model, QUESTIONS, cfg, prompts=prompts)
        assert all(g.calls for g in fast)  # every row leaves for tool mode and comes back
        assert sum(all(r) for r in reused) >= 4  # the shared prefix, a row's own cache, a tool's prefix
        reused.clear()
        slow = generate(model, QUESTIONS, replace(cfg, reuse_kv=False), prompts=prompts)
        assert not any(any(r) for r in reused)
        assert [g.to_dict() for g in fast] == [g.to_dict() for g in slow]


def test_a_stored_tool_prefix_is_read_back_and_answers_the_same(model, tmp_path):
    from toolken.prefill import shared_prefix_cache, stored_prefix_cache

    prompt = model.tokenizer("Examples of the tool: Q: 2 plus 2?\nCall: add(2, 2)\n").input_ids
    first = stored_prefix_cache(model, prompt, tmp_path)
    (stored,) = list(tmp_path.iterdir())
    again = stored_prefix_cache(model, prompt, tmp_path)  # read from the file, not encoded
    fresh = shared_prefix_cache(model, [prompt])
    assert again.ids == first.ids == fresh.ids
    for (k, v), (k2, v2) in zip(again.layers, fresh.layers):
        assert torch.equal(k, k2) and torch.equal(v, v2)
    stored.write_bytes(b"not safetensors")  # a broken file is encoded again and replaced
    assert stored_prefix_cache(model, prompt, tmp_path).ids == fresh.ids
    assert stored_prefix_cache(model, prompt, tmp_path / "missing" / "deeper").ids == fresh.ids
    other = model.tokenizer("Other examples: Q: 3 plus 3?\n").input_ids
    stored_prefix_cache(model, other, tmp_path)
    assert len(list(tmp_path.iterdir())) == 3  # one file per prompt (and the deeper folder)
    cfg = GenerationConfig(max_new_tokens=12, bias=1e4, allowed_tools=["sqrt"], max_calls=1, arguments="schema")
    plain = generate(model, QUESTIONS[:2], cfg)
    for _ in range(2):  # encoded and written, then read back
        kept = generate(model, QUESTIONS[:2], replace(cfg, prefix_cache=str(tmp_path / "tools")))
        assert [g.to_dict() for g in kept] == [g.to_dict() for g in plain]
    assert any((tmp_path / "tools").iterdir())


def test_prefill_from_caches_matches_a_fresh_prefill(model):
    from toolken.prefill import _prefill, shared_prefix_cache

    tok = model.tokenizer
    texts = ["Q: What is 2 plus 2?\nA: 4", "Q: Why is the sky blue at noon?\nA: light", "Q: Hi\nA:"]
    rows = [tok(t).input_ids for t in texts]
    caches = [None, None, None]
    _prefill(model, [r[:-2] for r in rows[:2]] + [rows[2]], caches, keep=True)  # caches of unequal lengths
    caches[2] = shared_prefix_cache(model, rows)  # "Q:" only, after <bos> where the tokenizer adds one
    assert [len(c.ids) for c in caches] == [len(rows[0]) - 3, len(rows[1]) - 3, 1 + special_prefix(tok)]
    grown = [r + tok(" and more", add_special_tokens=False).input_ids for r in rows]
    fast, _, _ = _prefill(model, grown, list(caches), keep=False)
    fresh, _, _ = _prefill(model, grown, [None] * 3, keep=False)
    torch.testing.assert_close(fast.last_hidden_state[:, -1], fresh.last_hidden_state[:, -1], atol=1e-5, rtol=1e-4)


def test_prefill_in_passes_writes_what_one_pass_writes(model, monkeypatch):
    # rows feeding 1 token beside a long new prompt are encoded in separate passes, then merged into
    # one batch: the same hidden states and the same greedy words as padding them all into one pass
    from toolken import decoding, prefill

    tok = model.tokenizer
    long_q = "Q: " + "how many apples and pears are left in the big basket today " * 4 + "?\nA:"
    rows = [tok(t).input_ids for t in ("Q: What is 2 plus 2?\nA: 4", long_q, "Q: Hi\nA:")]
    cfg = GenerationConfig(max_new_tokens=6, bias=-1e4, lookup_tokens=0)

    def run(one_pass: bool) -> tuple[torch.Tensor, list]:
        if one_pass:
            monkeypatch.setattr(prefill, "prefill_groups", lambda widths: [list(range(len(widths)))])
        pair = [None, None]
        prefill._prefill(model, [rows[0], rows[2]], pair, keep=True)
        caches = [pair[0], None, pair[1]]  # rows 0 and 2 feed 1 token, row 1 all of its own
        out, _, _ = prefill._prefill(model, rows, list(caches), keep=False)
        words = decoding.decode(model, rows, [6] * 3, [lambda text: None] * 3, cfg, caches=list(caches))
        return out.last_hidden_state[:, -1], words

    assert len(prefill.prefill_groups([1, len(rows[1]), 1])) == 2
    (h, words), (h_one, words_one) = run(False), run(True)
    torch.testing.assert_close(h, h_one, atol=1e-5, rtol=1e-4)
    assert words == words_one and all(len(w) == 6 for w, _ in words)


def test_prefill_groups():
    assert prefill_groups([1, 1, 120, 2, 1]) == [[0, 1, 4, 3], [2]]
    assert prefill_groups([10, 12, 11]) == [[0, 2, 1]]  # little padding: one pass
    assert prefill_groups([]) == []


def test_rows_that_fire_together_run_their_tools_at_once(tiny_backbone):
    # each call waits at a barrier for the other: run one after the other, both would time out
    barrier = threading.Barrier(2, timeout=10)

    def meet() -> str:
        """Wait for the other call."""
        barrier.wait()
        return "met"

    tool = Tool.from_function(meet)
    tool.isolation = "thread"  # the barrier is this process's
    model = ToolkenModel.create([tool], init="description", backbone=tiny_backbone)
    cfg = GenerationConfig(max_new_tokens=4, bias=1e4, max_calls=1, batch_size=2, tool_timeout=20)
    gens = generate(model, QUESTIONS[:2], cfg)
    assert [[(c.tool, c.result, c.error) for c in g.calls] for g in gens] == [[("meet", "met", None)]] * 2


# ---------------------------------------------------------------- text calls


def test_finish_call_appends_the_result():
    tools, cfg = by_name(arith_toolset().tools), GenerationConfig()
    text, call = finish_call("So 2+3 is add(2, 3)=", tools, cfg)
    assert text == "So 2+3 is add(2, 3)=5" and call.result == "5" and call.arguments == {"numbers": [2, 3]}
    assert finish_call("add(2, 3)=5 then", tools, cfg) == ("add(2, 3)=5 then", None)  # no call is due
    assert finish_call("power(2, 3)=", tools, cfg) == ("power(2, 3)=", None)  # not a tool of this set
    assert finish_call("x.add(2, 3)=", tools, cfg) == ("x.add(2, 3)=", None)  # a method, not the tool
    text, call = finish_call("divide(1, 0)=", tools, cfg)
    assert text == "divide(1, 0)=" and "division by zero" in call.error
    assert call_pattern(("P17", "P1701")).search('P1701("x")=').group(1) == "P1701"


def _words_only(toolset, backbone) -> ToolkenModel:
    """A head with no toolkens in the tool set's format: the model calls tools only in words."""
    return ToolkenModel.create(replace(toolset, tools=[]), init=Init.RANDOM, backbone=backbone)


def test_text_calls_run_tools_and_decoding_goes_on(tiny_backbone, monkeypatch):
    toolset = arith_toolset()
    model = _words_only(toolset, tiny_backbone)
    scripted_decode(monkeypatch, tiny_backbone[1], ["So add(2, 3)= and more", " apples.\nQ: next"])
    (g,) = generate(model, ["x"], GenerationConfig(), prompts=["Q: x\nA:"], text_tools=toolset.tools)
    assert g.text == "So add(2, 3)=5 apples." and [c.result for c in g.calls] == ["5"]
    assert g.answer == "5"  # a number answer: the last numeric tool result


def test_text_calls_stop_at_max_calls_and_failures_append_nothing(tiny_backbone, monkeypatch):
    toolset = arith_toolset()
    model = _words_only(toolset, tiny_backbone)
    script = ["divide(1, 0)=", " so add(1, 1)=", " then add(2, 2)= done\nQ:"]
    scripted_decode(monkeypatch, tiny_backbone[1], script)
    cfg = GenerationConfig(max_calls=2)
    (g,) = generate(model, ["x"], cfg, prompts=["Q: x\nA:"], text_tools=toolset.tools)
    assert g.text == "divide(1, 0)= so add(1, 1)=2 then add(2, 2)= done"  # the third call is not run
    assert [(c.tool, c.result) for c in g.calls] == [("divide", None), ("add", "2")]
    assert "division by zero" in g.calls[0].error


def test_an_answer_that_starts_with_the_prompts_label_again_goes_on_past_its_first_word(tiny_backbone, monkeypatch):
    model = ToolkenModel.create(arith_toolset(), init=Init.RANDOM, backbone=tiny_backbone)
    assert model.answer_label == "A:"  # of "Q: {question}\nA:"
    script, seen = iter([" A: A: A: A:", " fine answer.\nQ: next"]), []

    def fake_decode(model, rows, max_new, stops, cfg, *args, after_result=None, **kwargs):
        seen.append(list(after_result))
        text = next(script)
        cut = stops[0](text)
        return [(tiny_backbone[1](text[:cut], add_special_tokens=False).input_ids, None)]

    monkeypatch.setattr("toolken.generation.decode", fake_decode)
    (g,) = generate(model, ["What should I eat?"], GenerationConfig())
    assert g.text == " A fine answer." and seen == [[0], [decoding.ECHO]]  # no second label, no ":" first
    blocked = decoding.after_result_mask(model, decoding.ECHO)
    texts = decoding.token_texts(model.tokenizer)
    assert blocked.any() and all(texts[i].startswith(":") for i in blocked.nonzero()[:, 0].tolist())


def test_an_answer_ended_before_its_first_word_goes_on_once_in_words(tiny_backbone, monkeypatch):
    model = ToolkenModel.create(arith_toolset(), init=Init.RANDOM, backbone=tiny_backbone)
    script, seen, tools = iter([" ", " You are welcome.\nQ: next", ""]), [], []

    def fake_decode(model, rows, max_new, stops, cfg, tool_mask, *args, after_result=None, **kwargs):
        seen.append(list(after_result))
        tools.append(bool(tool_mask.any()))
        text = next(script)
        cut = stops[0](text)
        return [(tiny_backbone[1](text[:cut], add_special_tokens=False).input_ids, None)]

    monkeypatch.setattr("toolken.generation.decode", fake_decode)
    (g,) = generate(model, ["What is 2 plus 3?"], GenerationConfig())
    assert g.text == "  You are welcome." and seen == [[0], [decoding.SPEAK]] and tools == [True, False]
    blocked = decoding.after_result_mask(model, decoding.SPEAK)
    texts = decoding.token_texts(model.tokenizer)
    assert blocked[model.tokenizer.eos_token_id] and all(blocked[i] for i, t in enumerate(texts) if t.isspace())
    assert all(blocked[i] for i, t in enumerate(texts) if t.startswith("\n"))  # the plain format's stop
    words = [i for i, t in enumerate(texts) if t.strip() and not t.startswith("\n")]
    assert not any(blocked[i] for i in words if i != model.tokenizer.eos_token_id)
    script = iter([" ", ""])  # a second empty answer ends it: the row is not held forever
    seen.clear()
    (g,) = generate(model, ["Thanks a lot!"], GenerationConfig())
    assert g.text == " " and seen == [[0], [decoding.SPEAK]]
    script = iter([" "])  # as `lm.generate` leaves it, when asked
    seen.clear()
    (g,) = generate(model, ["Thanks a lot!"], GenerationConfig(no_empty_answer=False))
    assert g.text == " " and seen == [[0]]


def test_text_calls_in_batches_equal_one_by_one(tiny_backbone):
    toolset = arith_toolset()
    model = _words_only(toolset, tiny_backbone)
    shots = "Q: What is 2 plus 3?\nA: add(2, 3)=5\n\nQ: What is 6 times 7?\nA: multiply(6, 7)=42\n\n"
    questions = ("How many?", "What is 3 plus 4 times 2?", "Why not?")
    prompts = [f"{shots}Q: {q}\nA:" for q in questions]
    one = [
        generate(model, [q], GenerationConfig(max_new_tokens=12), prompts=[p], text_tools=toolset.tools)[0]
        for q, p in zip(questions, prompts)
    ]
    cfg = GenerationConfig(max_new_tokens=12, batch_size=2)
    batched = generate(model, list(questions), cfg, prompts=prompts, text_tools=toolset.tools)
    assert [g.to_dict() for g in batched] == [g.to_dict() for g in one]


def test_continuous_generation_answers_as_generate_does(model):
    from toolken.generation import Request, RowOptions, generate_continuous

    questions = QUESTIONS + ["What is the answer?", "Root of 16?", "Add 2 and 3."]
    options = [RowOptions(force=i % 2 == 0, max_new_tokens=6 + i) for i in range(len(questions))]
    cfg = GenerationConfig(max_new_tokens=12, bias=2.0, argument_tokens=6, batch_size=3)
    expected = [generate(model, [q], cfg, options=[o])[0].to_dict() for q, o in zip(questions, options)]
    prompts = [model.config.prompt.format(question=q) for q in questions]
    got, streamed = {}, {}

    class Trickle:  # one request joins per step, while the others decode
        def __init__(self):
            self.left = list(range(len(questions)))

        def waiting(self):
            return bool(self.left)

        def take(self, n):
            taken, self.left = self.left[: min(n, 1)], self.left[min(n, 1) :]
            return [
                Request(
                    prompts[i],
                    options[i],
                    lambda ids, i=i: streamed.__setitem__(i, ids),
                    lambda g, i=i: got.__setitem__(i, g.to_dict()),
                )
                for i in taken
            ]

    generate_continuous(model, Trickle(), cfg)
    assert [got[i] for i in range(len(questions))] == expected
    assert any(expected[i]["calls"] for i in range(len(questions)))  # tools ran while others decoded
    for i, ids in streamed.items():  # what was streamed is the start of the answer
        assert expected[i]["text"].startswith(model.tokenizer.decode(ids, skip_special_tokens=True))


def test_grammar_writes_a_copied_number_longer_than_the_digit_cap(tiny_backbone):
    from toolken.grammar import grammars_for

    lm, tok = tiny_backbone
    vocab = lm.get_output_embeddings().weight.shape[0]
    third = {"type": "number", "enum": [0.3333333333333333]}
    schema = {"type": "object", "properties": {"x": third}, "required": ["x"]}
    state = grammars_for(tok, vocab).for_tool(Tool("third", "A third.", schema, lambda x: x))
    written = []
    for _ in range(80):  # flat logits: the grammar alone decides, and must reach the end of the value
        logits = torch.zeros(1, vocab)
        grammars_for(tok, vocab).mask(logits, [state])
        written.append(int(logits.argmax(-1)))
        if state.accept(written[-1]):
            break
    assert tok.decode(written) == '{"x": 0.3333333333333333}'


@pytest.mark.parametrize("backbone", ["tiny_backbone", "tiny_gemma_backbone"])
def test_token_texts_are_each_token_decoded_alone(backbone, request):
    from toolken.decoding import token_texts

    tok = request.getfixturevalue(backbone)[1]
    assert token_texts(tok) == [tok.decode([i]) for i in range(len(tok))]


ALL_FORCED = {"type": "object", "properties": {"x": {"type": "number", "enum": [1764]}}, "required": ["x"]}
TWO_CHOICES = {
    "type": "object",
    "properties": {"a": {"type": "integer", "enum": [12, 125, 4]}, "b": {"type": "string", "enum": ["left", "right"]}},
    "required": ["a", "b"],
}


def _grammar_rows(model, prompts, schemas, monkeypatch, jump=True):
    """Decode grammar rows together; returns their texts and ids and the backbone passes it took."""
    from toolken.decoding import decode
    from toolken.grammar import grammars_for

    compiled = grammars_for(model.tokenizer, model.vocab_size)
    states = [compiled.for_tool(Tool(f"t{i}", "d", s, lambda **k: 0)) for i, s in enumerate(schemas)]
    base, passes = model.lm.base_model, []
    monkeypatch.setattr(base, "forward", lambda *a, real=base.forward, **k: passes.append(1) or real(*a, **k))
    ids = [model.tokenizer(p).input_ids for p in prompts]
    outs = decode(model, ids, [48] * len(ids), [lambda t: None] * len(ids), GenerationConfig(forced_tokens=jump), None,
                  torch.Generator(), None, (compiled, states))  # fmt: skip
    monkeypatch.undo()
    return [model.tokenizer.decode(new) for new, _ in outs], [new for new, _ in outs], len(passes)


def test_what_a_grammar_forces_is_written_without_decoding_steps(model, monkeypatch):
    texts, _, passes = _grammar_rows(model, ["Call: t0("], [ALL_FORCED], monkeypatch)
    slow, _, slow_passes = _grammar_rows(model, ["Call: t0("], [ALL_FORCED], monkeypatch, jump=False)
    assert texts == slow == ['{"x": 1764}']
    assert passes == 1 < slow_passes  # the whole object is forced: the prompt's pass only


def test_forced_tokens_in_a_batch_write_what_each_row_writes_alone(model, monkeypatch):
    # rows feed different numbers of forced tokens in one pass (left-padded): each row's words and
    # hidden states must not depend on the others
    prompts, schemas = ["Call: t0(", "A longer prompt, so the rows differ.\nCall: t1("], [TWO_CHOICES, TWO_CHOICES]
    texts, ids, passes = _grammar_rows(model, prompts, schemas, monkeypatch)
    alone = [_grammar_rows(model, [p], [s], monkeypatch) for p, s in zip(prompts, schemas)]
    assert ids == [a[1][0] for a in alone]
    for t in texts:
        assert json.loads(t)["a"] in (12, 125, 4) and json.loads(t)["b"] in ("left", "right")
    assert passes < max(len(x) for x in ids)  # fewer passes than tokens written


def test_a_pass_fed_forced_tokens_gives_the_hidden_states_of_encoding_the_text(model, monkeypatch):
    from toolken import decoding

    seen, real = [], decoding._logits
    monkeypatch.setattr(decoding, "_logits", lambda m, h, *a: seen.append(h[0].clone()) or real(m, h, *a))
    text = "A longer prompt, so the rows differ.\nCall: t1("
    prompt = model.tokenizer(text).input_ids
    _, (new,), _ = _grammar_rows(model, [text], [TWO_CHOICES], monkeypatch)
    with torch.no_grad():
        fresh = model.lm.base_model(input_ids=torch.tensor([prompt + new])).last_hidden_state[0]
    # each step's hidden state is the text's at the position of the last token fed
    at = [next(p for p in range(len(fresh)) if torch.allclose(h, fresh[p], atol=1e-4)) for h in seen]
    assert at == sorted(at) and at[0] >= len(prompt) - 1
    assert max(b - a for a, b in zip(at, at[1:])) > 1  # some pass fed several tokens


def test_forced_tokens_are_the_tokenizers_own_split_less_the_last(model):
    from toolken.grammar import grammars_for

    compiled = grammars_for(model.tokenizer, model.vocab_size)
    state = compiled.for_tool(Tool("t0", "d", ALL_FORCED, lambda **k: 0))
    text = state.matcher.find_jump_forward_string()
    assert text == '{"x": 1764}'  # the whole object is forced
    own = model.tokenizer(text, add_special_tokens=False).input_ids
    assert state.forced() == own[:-1] and not state.complete  # the last is left to the model
    assert state.accept(own[-1])  # ... and completes the object


def test_codes_a_description_shows_are_a_source_and_a_target_as_written(tiny_backbone):
    from toolken.grammar import grammars_for

    lm, tok = tiny_backbone
    vocab = lm.get_output_embeddings().weight.shape[0]
    zone = {"type": "string", "description": "A time zone, e.g. UTC or EST."}
    zones = {"from_zone": zone, "to_zone": zone}
    schema = {"type": "object", "properties": zones, "required": list(zones)}
    grammars = grammars_for(tok, vocab)
    tool = Tool("convert_timezone", "Convert a time between zones.", schema, lambda **k: k)
    grammars.for_tool(tool, copy_from="What is 14:30 UTC in PST?")
    compiled = [json.loads(s) for s in grammars._compiled]  # the schemas the grammar was compiled from
    props = next(s for s in compiled if "from_zone" in s.get("properties", {}))["properties"]
    assert props["from_zone"]["enum"] == ["UTC"] and props["to_zone"]["enum"] == ["PST"]


def test_a_copied_list_holds_no_more_items_than_the_numbers_written(tiny_backbone):
    from toolken.grammar import grammars_for

    lm, tok = tiny_backbone
    grammars = grammars_for(tok, lm.get_output_embeddings().weight.shape[0])
    scores = {"type": "array", "items": {"type": "number"}}
    schema = {"type": "object", "properties": {"scores": scores}, "required": ["scores"]}
    tool = Tool("grade_average", "Average of scores.", schema, lambda **k: k)
    grammars.for_tool(tool, copy_from="Is 87 percent good?")
    compiled = [json.loads(s) for s in grammars._compiled]  # the schemas compiled (shared with other tests)
    scores = next(s for s in compiled if "scores" in s.get("properties", {}))["properties"]["scores"]
    assert scores["maxItems"] == 1  # 87 or 0.87, one number written: never [87, 87]


def locate(ip: str, label: str) -> str:
    """Find where a server is.

    Args:
        ip: The server's IP address.
        label: Words to file it under.
    """
    return f"{label} at {ip}: Oslo"


def test_a_typed_value_calls_its_tool_once_not_again_after_the_call_took_it(tiny_backbone):
    model = ToolkenModel.create([Tool.from_function(locate), *arith_toolset().tools], backbone=tiny_backbone)
    cfg = GenerationConfig(max_new_tokens=16, bias=-1e4, max_calls=3, name_bias=0, typed_value_bias=2e4)
    (one,) = generate(model, ["Where is the shop server at 151.101.1.69 hosted?"], cfg)
    assert [c.tool for c in one.calls] == ["locate"] and one.calls[0].arguments["ip"] == "151.101.1.69"
    (two,) = generate(model, ["Where are the servers 151.101.1.69 and 8.8.8.8 hosted?"], cfg)
    assert [c.arguments["ip"] for c in two.calls][:2] == ["151.101.1.69", "8.8.8.8"]  # a value not yet taken: again
