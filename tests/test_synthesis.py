"""Synthesized demonstrations (`toolken synth`), schema-constrained tool mode and the call-ending rules,
on the tiny random model."""

import ipaddress
import json
import random
import re

import pytest
import torch
from conftest import add, arith_toolset, divide

from toolken import GenerationConfig, Tool, ToolkenModel, generate, synth
from toolken.backbone import load_backbone
from toolken.cli import main
from toolken.copying import copy_schema
from toolken.decoding import glue_tokens
from toolken.demonstrations import DataError, demos_from_records, from_markup, read_records
from toolken.drawing import draw_value
from toolken.gate import copyable
from toolken.negatives import near_misses, topic_of
from toolken.paraphrase import Paraphraser, keeps_values
from toolken.synthesis import no_tool_records
from toolken.toolsets import Toolset
from toolken.values import resources


def _flaky(x: float) -> float:
    """Fail on odd numbers.

    Args:
        x: A number.
    """
    if int(x) % 2:
        raise ValueError("odd")
    return x


def test_values_follow_the_schema():
    rng = random.Random(0)
    for _ in range(200):
        n, _ = draw_value("n", {"type": "integer", "minimum": 3, "maximum": 9}, rng)
        assert isinstance(n, int) and 3 <= n <= 9
        choice, spoken = draw_value("mode", {"type": "string", "enum": ["fast", "slow"]}, rng)
        assert choice in ("fast", "slow") and spoken == choice
        day, _ = draw_value("day", {"type": "string", "format": "date"}, rng)
        assert len(day) == 10 and day[4] == "-"
        at, spoken = draw_value("at", {"type": "string", "format": "time"}, rng)
        assert len(at) == 8 and at[2] == at[5] == ":" and (spoken == at or spoken[-2:] in ("AM", "PM"))
        at, spoken = draw_value("at", {"type": "string", "description": "The time, like 19:30."}, rng)
        assert len(at) == 5 and at[2] == ":" and (spoken == at or spoken[-2:] in ("AM", "PM"))  # a time, as laid out
        items, _ = draw_value("xs", {"type": "array", "items": {"type": "number"}}, rng)
        assert 2 <= len(items) <= 4 and all(isinstance(v, (int, float)) for v in items)
    city, _ = draw_value("city", {"type": "string", "description": "The city to look up."}, rng)
    assert city[0].isupper()
    from toolken.literals import literals_in

    for _ in range(20):  # a phone number as the question writes it, which copying reads back whole
        phone, spoken = draw_value("phone", {"type": "string", "description": "The number to text."}, rng)
        assert phone == spoken and literals_in("phone", f"Text {spoken} that I'm late.") == [phone]


def test_synth_calls_the_tools_for_real_results_and_adds_no_tool_questions():
    records = synth(arith_toolset().tools, per_tool=5, seed=3)
    calls = [r for r in records if "calls" in r]
    assert len(calls) == 5 * len(arith_toolset().tools)
    assert any("calls" not in r for r in records)  # questions that need no tool
    tools = {t.name: t for t in arith_toolset().tools}
    for r in calls:
        call = r["calls"][0]
        args = json.loads(call["arguments"])
        result = r["text"][call["start"] : call["end"]].strip()
        expected = tools[call["tool"]].function(**args)
        assert float(result) == pytest.approx(expected, rel=1e-5)  # the tool's own result, never invented
        assert r["text"].endswith(result + "\n")  # the answer ends right after the result
    demos, skipped = demos_from_records(records, arith_toolset())
    assert not skipped and len(demos) == len(records)


def test_failed_calls_are_dropped_not_invented():
    records = synth([Tool.from_function(_flaky)], per_tool=10, seed=0)
    for r in records:
        for c in r.get("calls", []):
            assert int(json.loads(c["arguments"])["x"]) % 2 == 0


def _never(x: float) -> float:
    """Always fail.

    Args:
        x: A number.
    """
    raise ValueError("never")


def test_a_tool_no_drawn_call_of_which_runs_is_warned_about():
    with pytest.warns(UserWarning, match="_never: no call drawn .*never.*errors it raised as results"):
        records = synth([Tool.from_function(_never), Tool.from_function(_flaky)], per_tool=3, seed=0)
    # a lookup that refuses every drawn value still shows when it is called: its error is the result
    never = [(r, c) for r in records for c in r.get("calls", []) if c["tool"] == "_never"]
    assert len(never) == 3 and all(r["text"][c["start"] : c["end"]].strip() == "_never raised ValueError: never"
                                   for r, c in never)  # fmt: skip
    # ... while a tool some calls of which run keeps only those
    flaky = [r["text"][c["start"] : c["end"]] for r in records for c in r.get("calls", []) if c["tool"] == "_flaky"]
    assert flaky and not any("raised" in t for t in flaky)


_PLANTS = {"lavender": 7.5, "olive tree": 89.0, "snake plant": 18.0}


def _plant_price(plant_name: str) -> float:
    """Price of a plant we sell.

    Args:
        plant_name: Common name of the plant.
    """
    if plant_name.lower() not in _PLANTS:
        raise ValueError(f"We don't carry {plant_name!r}. Plants: {', '.join(_PLANTS)}")
    return _PLANTS[plant_name.lower()]


def test_a_string_refused_by_an_error_listing_the_values_draws_from_them():
    records = synth([Tool.from_function(_plant_price)], per_tool=6, seed=0)
    drawn = [json.loads(c["arguments"])["plant_name"] for r in records for c in r.get("calls", [])]
    assert len(drawn) == 6 and set(drawn) <= set(_PLANTS) and len(set(drawn)) > 1  # each a real result


def test_a_tool_learns_the_values_its_function_lists_and_tool_mode_copies_them_whole():
    tool = Tool.from_function(_plant_price)
    synth([tool], per_tool=2, seed=0)
    assert tool.parameters["properties"]["plant_name"]["examples"] == list(_PLANTS)
    assert Tool.from_dict(tool.to_dict()).parameters == tool.parameters  # saved with the head
    offered = copy_schema(tool.parameters, "Do you have Olive Trees or a snake plant?")["properties"]["plant_name"]
    assert offered["enum"] == ["olive tree", "snake plant"]  # as the function takes them, not "Olive" alone
    assert tool.parameters["properties"]["plant_name"]["x-listed"]  # the function's list: a question naming none
    assert not copyable(tool.parameters, [], "Do you sell garden gnomes?")  # is not this tool's


def _wrong_schema(x: float) -> float:
    """Called only with what its schema refuses.

    Args:
        x: A number.
    """
    return x


def test_a_tool_whose_schema_refuses_every_draw_gets_no_demonstrations():
    tool = Tool.from_function(_wrong_schema)
    tool.parameters["properties"]["x"].update(type="number", minimum=1, maximum=0)  # nothing fits
    with pytest.warns(UserWarning, match="_wrong_schema: no call drawn .*no demonstration"):
        records = synth([tool], per_tool=3, seed=0)
    assert not any(r.get("calls") for r in records)


def test_a_string_with_a_pattern_gets_values_the_pattern_matches():
    rng = random.Random(0)
    for pattern in (r"^[0-2][0-9]:[0-5][0-9]$", r"^[A-Z]{2}\d{4}$", r"^\w+$"):
        for _ in range(20):
            value, spoken = draw_value("code", {"type": "string", "pattern": pattern}, rng)
            assert re.search(pattern, value) and spoken == value and len(value) < 40
    value, _ = draw_value("code", {"type": "string", "pattern": r"^\pN{3}$"}, rng)  # RE2 syntax Python lacks
    assert isinstance(value, str)  # a pool value the call's validation refuses, not a crash


def test_a_pattern_draws_short_values_shaped_like_its_examples():
    rng = random.Random(0)
    loose = {"type": "string", "pattern": r"^[A-Z]+-[0-9]+$"}  # "+" is open: rstr alone draws up to 100 of each
    drawn = [draw_value("ticket_id", loose, rng)[0] for _ in range(30)]
    assert all(re.fullmatch(r"[A-Z]{1,6}-[0-9]{1,6}", v) for v in drawn) and len(set(drawn)) > 20
    shown = {**loose, "description": "The ticket key, e.g. PROJ-142."}
    drawn = [draw_value("ticket_id", shown, rng)[0] for _ in range(30)]
    assert all(re.fullmatch(r"[A-Z]{4}-\d{3}", v) for v in drawn) and "PROJ-142" in drawn and len(set(drawn)) > 5


def test_a_name_whose_examples_end_in_a_number_draws_one():
    rng = random.Random(0)
    sprint = {"type": "string", "description": "The sprint's name, such as Sprint 14."}
    drawn = [draw_value("sprint", sprint, rng)[0] for _ in range(30)]
    assert all(re.fullmatch(r"[A-Z]\w* \d\d", v) for v in drawn), drawn
    assert sum(v.startswith("Sprint ") for v in drawn) > 5 and len({v.split()[0] for v in drawn}) > 3


def test_synth_seed_and_split_change_the_data():
    tools = [Tool.from_function(add), Tool.from_function(divide)]
    a, b = synth(tools, 4, seed=0), synth(tools, 4, seed=1, split="validation")
    assert a == synth(tools, 4, seed=0)
    no_tool = {r["text"] for r in a if "calls" not in r} & {r["text"] for r in b if "calls" not in r}
    assert not no_tool  # train and validation never share a no-tool question


def test_synth_cli_and_train_with_synth(tmp_path, tiny_model_dir, cache_dir, user_files, capsys):
    out = tmp_path / "demos.jsonl"
    rc = main(["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions),
               "--per-tool", "4", "--out", str(out)])  # fmt: skip
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] == len(read_records(out)) and all(n == 4 for n in summary["per_tool"].values())
    rc = main(["train", "--tools", str(user_files.tools), "--functions", str(user_files.functions), "--synth", "4",
               "--model", str(tiny_model_dir), "--epochs", "2", "--out", str(tmp_path / "head")])  # fmt: skip
    assert rc == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["demos"] > 4
    record = json.loads((tmp_path / "head" / "training_record.json").read_text())
    assert record["arguments"]["bias"] == "eager"  # synthesized validation: the bias is chosen eagerly


def test_tools_from_python_functions_alone_train_and_run(tmp_path, tiny_model_dir, cache_dir, user_files, capsys):
    helper = "\n\ndef helper(x):\n    return x\n"  # no docstring: no tool, named on stderr
    user_files.functions.write_text(user_files.functions.read_text() + helper)
    rc = main(["tools", "--functions", str(user_files.functions)])
    out, err = capsys.readouterr()
    assert rc == 0 and "subtract(a, b)" in out and "helper" not in out and "helper is no tool" in err
    rc = main(["train", "--functions", str(user_files.functions), "--synth", "4", "--model", str(tiny_model_dir),
               "--epochs", "1", "--out", str(tmp_path / "head")])  # fmt: skip
    assert rc == 0
    names = [t["name"] for t in json.loads((tmp_path / "head" / "toolken_config.json").read_text())["tools"]]
    assert sorted(names) == ["add", "divide", "multiply", "sqrt", "subtract"]
    rc = main(["run", str(tmp_path / "head"), "--functions", str(user_files.functions), "What is 2 plus 3?"])
    assert rc == 0
    empty = tmp_path / "empty.py"
    empty.write_text("X = 1\n")
    assert main(["synth", "--functions", str(empty), "--out", str(tmp_path / "d.jsonl")]) == 2
    assert "no function with type hints" in capsys.readouterr().err


def test_train_warns_of_a_tool_whose_synthesized_calls_all_fail(tmp_path, tiny_model_dir, cache_dir, capsys):
    functions = tmp_path / "tools.py"
    functions.write_text(
        'def add(a: float, b: float) -> float:\n    """Add two numbers.\n\n    Args:\n        a: A number.\n'
        '        b: Another.\n    """\n    return a + b\n\n\n'
        'def distance(origin: str, destination: str) -> float:\n    """Driving distance between two cities.\n\n'
        '    Args:\n        origin: Where from.\n        destination: Where to.\n    """\n'
        "    raise ValueError(f'unknown route {origin} -> {destination}')\n"
    )
    with pytest.warns(UserWarning, match="tool distance: no call drawn .*unknown route"):  # why, in its own words
        rc = main(["train", "--functions", str(functions), "--synth", "3", "--model", str(tiny_model_dir),
                   "--epochs", "1", "--out", str(tmp_path / "head")])  # fmt: skip
    out = capsys.readouterr().out
    # its calls that raised are its demonstrations: the head still learns when to call it
    assert rc == 0 and json.loads(out.strip().splitlines()[-1])["tools_without_demonstrations"] == []


def test_synth_cli_near_miss_share(tmp_path, user_files, capsys):
    counts = []
    for share in ("0", "1"):
        rc = main(["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions),
                   "--per-tool", "4", "--near-miss", share, "--out", str(tmp_path / f"{share}.jsonl")])  # fmt: skip
        assert rc == 0
        counts.append(json.loads(capsys.readouterr().out)["no_tool"])
    assert counts[0] < counts[1]  # the user's tools have topics: near misses are added
    rc = main(["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions),
               "--near-miss", "-1", "--out", str(tmp_path / "x.jsonl")])  # fmt: skip
    assert rc == 2 and "--near-miss" in capsys.readouterr().err


def test_synth_refuses_tools_without_functions(tmp_path, user_files, capsys):
    rc = main(["synth", "--tools", str(user_files.tools), "--out", str(tmp_path / "d.jsonl")])
    assert rc == 2 and "no function" in capsys.readouterr().err


def test_markup_call_without_result_is_an_error():
    with pytest.raises(ValueError, match="no '=result"):
        from_markup("Q: hi\nA: [[add(1, 2)]] three\n")
    with pytest.raises(DataError, match="record 0"):
        demos_from_records([{"text": "Q: 1+2?\nA: [[add(1, 2)]]\n"}], arith_toolset())


def test_arguments_that_do_not_fit_the_schema_are_an_error():
    with pytest.raises(DataError, match="record 1.*subtract"):
        demos_from_records(
            [{"text": "Q: 1+2?\nA: [[add(1, 2)=3]]\n"}, {"text": "Q: ?\nA: [[subtract(x, 2)=1]]\n"}], arith_toolset()
        )


def _forced(model: ToolkenModel, bias: float = 50.0) -> ToolkenModel:
    model.config.bias = bias  # the toolken always wins the first step: tool mode is exercised
    return model


@pytest.mark.parametrize("mode", ["schema", "text"])
def test_schema_mode_writes_valid_json_arguments_in_a_batch(tiny_backbone, mode):
    toolset = Toolset("t", [Tool.from_function(divide)])
    model = _forced(ToolkenModel.create(toolset, init="random", backbone=tiny_backbone))
    gens = generate(model, ["a", "bb", "ccc"], GenerationConfig(arguments=mode, max_new_tokens=4, max_calls=1))
    if mode == "schema":
        for g in gens:  # a random model writes nonsense, but always a schema-valid object
            call = g.calls[0]
            args = json.loads(call.argument_text)
            assert set(args) == {"a", "b"} and all(isinstance(v, (int, float)) for v in args.values())
            assert call.error is None or "division by zero" in call.error


def _ping() -> str:
    """Answer pong."""
    return "pong"


def test_identical_call_twice_in_a_row_is_not_run_again(tiny_backbone):
    model = _forced(ToolkenModel.create([Tool.from_function(_ping, "ping")], init="random", backbone=tiny_backbone))
    g = generate(model, ["q"], GenerationConfig(max_new_tokens=10, max_calls=5))[0]
    # the forced toolken fires again at once; the repeat is refused and the row goes on in words
    assert [(c.result, c.error) for c in g.calls] == [
        ("pong", None),
        (None, "an earlier call repeated; not run again"),
    ]


def test_glue_tokens_are_those_that_start_with_a_letter_or_digit(tiny_backbone):
    lm, tok = tiny_backbone
    vocab = lm.get_output_embeddings().weight.shape[0]
    glue = glue_tokens(tok, vocab)
    words = tok.batch_decode([[i] for i in range(len(tok))])
    assert glue.dtype == torch.bool and glue.shape == (vocab,)
    assert all(bool(glue[i]) == w[:1].isalnum() for i, w in enumerate(words))


def test_a_rewrite_is_kept_only_when_it_keeps_every_value():
    q = "What is 12 times 7?"
    assert keeps_values(q, "Multiply 12 by 7, please.", ["12", "7"])
    assert not keeps_values(q, "Multiply 12 by something.", ["12", "7"])  # a value lost
    assert not keeps_values(q, "12 times 7 is 84.", ["12", "7"])  # the answer given away
    assert not keeps_values(q, q, ["12", "7"]) and not keeps_values(q, "", ["12", "7"])


class _Scripted(Paraphraser):
    def sample(self, questions):
        return [f"Tell me, {q.lower()}" if i % 2 else "nothing kept" for i, q in enumerate(questions)]


def test_paraphrased_synth_rewrites_questions_but_keeps_calls_and_results(tiny_backbone, tiny_model_dir):
    plain = synth(arith_toolset().tools, per_tool=6, seed=1)
    para = synth(arith_toolset().tools, per_tool=6, seed=1, paraphraser=_Scripted(*tiny_backbone), paraphrase_share=1)
    rewritten = [r for r in para if "Tell me," in r["text"]]
    assert rewritten and len(rewritten) < len([r for r in para if "calls" in r])  # half are kept, as scripted
    assert sorted(c["arguments"] for r in para for c in r.get("calls", [])) == sorted(
        c["arguments"] for r in plain for c in r.get("calls", [])
    )
    demos_from_records(para, arith_toolset())  # offsets still point at the results
    with pytest.raises(TypeError, match="implementation='transformers'"):
        Paraphraser(*tiny_backbone).sample(["What is 2 plus 2?"])  # toolken's own Llama has no `generate`
    sampler = load_backbone(tiny_model_dir, implementation="transformers")
    real = synth(arith_toolset().tools, per_tool=2, seed=1, paraphraser=Paraphraser(*sampler))
    assert len([r for r in real if "calls" in r]) == 2 * len(arith_toolset().tools)


def test_no_tool_questions_leave_out_what_a_tool_is_for():
    weather = Tool("get_weather", "Get the current weather in a city.", {"type": "object", "properties": {}})
    kept = [r["text"] for r in synth([], seed=0)]
    with pytest.warns(UserWarning, match="tool w: no call"):  # str() answers "": no demonstration
        without = [r["text"] for r in synth([Tool("w", "d", {"type": "object"}, str)], seed=0)]
    assert any("weather" in t for t in kept) and len(without) == len(kept)
    quiet = no_tool_records("Q: {question}\nA:", "train", random.Random(0), [weather])
    assert quiet and not any("weather" in r["text"].lower() for r in quiet)


def test_copy_mode_does_not_fire_a_tool_whose_numbers_the_question_lacks(tiny_backbone):
    model = _forced(ToolkenModel.create([Tool.from_function(divide)], init="random", backbone=tiny_backbone))
    cfg = GenerationConfig(arguments="copy", max_new_tokens=4, max_calls=1)
    no_numbers, numbers = generate(model, ["a b", "8 and 2"], cfg)
    assert not no_numbers.calls and numbers.calls and numbers.calls[0].tool == "divide"
    forced = generate(model, ["a b"], GenerationConfig(arguments="schema", max_new_tokens=4, max_calls=1))[0]
    assert forced.calls  # writing to the schema alone, the forced toolken fires anyway


def _weather(city: str) -> str:
    """Get the current weather in a city.

    Args:
        city: The name of the city.
    """
    return f"sunny in {city}"


def test_near_misses_name_a_tools_topic_or_a_name_of_its_kind_without_a_call():
    weather = Tool.from_function(_weather)
    assert topic_of(weather) == "weather" and topic_of(Tool.from_function(add)) == ""
    misses = near_misses([weather], 6, random.Random(0))
    cities = resources()["pools"]["city"]
    assert any("weather" in q for q, _ in misses) and any(c in q for q, _ in misses for c in cities)
    records = synth([weather], per_tool=8, seed=0)
    quiet = {r["text"] for r in records if "calls" not in r}
    assert sum("weather" in t for t in quiet) >= 1  # near misses stay in though the topic filter drops shipped ones
    fewer = synth([weather], per_tool=8, seed=0, near_miss_share=0)
    assert len(fewer) < len(records) and not any("weather" in r["text"] for r in fewer if "calls" not in r)


def test_near_misses_say_a_day_where_a_tool_takes_a_date():
    from toolken.dates import dates_in

    planner = _spec("List the events in my calendar on a day.", {"day": {"type": "string", "format": "date"}})
    days = [q for q, _ in near_misses([planner], 8, random.Random(0)) if dates_in(q)]
    assert len(days) >= 4  # "Let's catch up tomorrow.": a day said, no calendar asked
    assert not any(dates_in(q) for q, _ in near_misses([Tool.from_function(_weather)], 8, random.Random(0)))


def test_copy_mode_does_not_fire_a_tool_whose_name_the_question_lacks(tiny_backbone):
    model = _forced(ToolkenModel.create([Tool.from_function(_weather)], init="random", backbone=tiny_backbone))
    cfg = GenerationConfig(arguments="copy", max_new_tokens=4, max_calls=1)
    haiku, oslo = generate(model, ["Write a haiku about autumn leaves.", "Is it cold in Oslo?"], cfg)
    assert not haiku.calls and oslo.calls and oslo.calls[0].arguments == {"city": "Oslo"}


def _spec(description: str, properties: dict) -> Tool:
    return Tool("t", description, {"type": "object", "properties": properties, "required": list(properties)})


def test_questions_put_values_where_the_description_names_them():
    from toolken.questions import asked, question, woven

    number = {"type": "number"}
    subtract = _spec("Subtract the second number from the first.", {"a": number, "b": number})
    assert woven(subtract, {"a": "12", "b": "7"}) == "subtract 7 from 12"  # by place: a is "the first"
    change = _spec("Percentage change from an old value to a new one.", {"old": number, "new": number})
    assert woven(change, {"old": "80", "new": "100"}) == "find the percentage change from 80 to 100"
    root = _spec("Take the square root of a number.", {"x": {"type": "number", "description": "A number."}})
    assert woven(root, {"x": "45"}) == "take the square root of 45"  # not "of a number of 45"
    lcm = _spec("Least common multiple of whole numbers.", {"numbers": {"type": "array", "items": number}})
    assert asked(lcm, {"numbers": "4 and 8"}) == "What is the least common multiple of 4 and 8"
    from toolken.descriptions import acts

    start_year = Tool("start_year", "gets the year when a TV show or a movie started airing", {"type": "object"})
    assert not acts(_spec("Add numbers.", {"a": number})) and not acts(start_year)  # they read, change nothing
    assert acts(Tool("add_task", "Add a task to my list.", {})) and acts(Tool("send_payment", "Money to a friend.", {}))
    assert not acts(Tool("print_size", "The largest print of a photo at a resolution.", {}))  # it names what it gives
    refund = Tool("refund_estimate", "How much will be refunded for an order, and when.", {})
    assert not acts(refund)  # a description that asks what it gives reads
    lock = _spec("Lock or unlock a door.", {"door": {"type": "string"}})
    assert question(lock, {"door": "front"}, "What {is} the {name} for {values}?").startswith("Can you lock")
    points = _spec("Find parcel drop-off points near a postcode.", {"postcode": {"type": "string"}})
    assert asked(points, {"postcode": "10115"}) == "What are the parcel drop-off points near 10115"
    weather = _spec("Get current weather for a city.", {"city": {"type": "string"}})
    assert asked(weather, {"city": "Lima"}) == "What is the current weather for Lima"
    tip = _spec("Work out the tip for a restaurant bill.", {"bill": number})
    assert woven(tip, {"bill": "64"}) == "work out the tip for a restaurant bill of 64"  # a bill keeps its noun
    burn = _spec("Estimate the calories burned by an exercise.", {"minutes": number, "weight_kg": number})
    assert woven(burn, {"minutes": "30", "weight_kg": "82"}).endswith("for 30 minutes with a weight of 82 kg")
    weather = _spec("This tool returns the weather in a city.", {"city": {"type": "string"}})
    assert woven(weather, {"city": "Paris"}) == "return the weather in Paris"  # the preamble dropped
    define = _spec("Look up the definition of an English word.", {"word": {"type": "string"}})
    assert woven(define, {"word": "balloon"}) == "look up the definition of balloon"  # a capitalised adjective too
    # a description's examples are no part of the words that name its value
    state = _spec("Get alerts.", {"state": {"type": "string", "description": "The state's code, such as TX."}})
    assert (
        question(state, {"state": "FL"}, "I need to {do}. {Args}.") == "I need to get alerts. The state's code is FL."
    )


def test_a_description_that_puts_a_question_indirectly_is_asked_directly():
    from toolken.questions import asked, question

    text = {"type": "string"}
    bin_ = _spec("Which recycling bin an item goes in.", {"item": text})
    assert asked(bin_, {"item": "a pizza box"}) == "Which recycling bin does a pizza box go in"
    assert question(bin_, {"item": "a pizza box"}, "Can you {do} for {args}?") == (
        "Can you find out which recycling bin an item goes in for item a pizza box?"  # not "Can you which ..."
    )
    language = _spec("Which language a piece of text is written in.", {"text": text})
    assert asked(language, {"text": "danke schön"}) == "Which language is danke schön written in"
    visa = _spec("Whether a traveller needs a visa for a country.", {"country": text})
    assert asked(visa, {"country": "Japan"}) == "Does a traveller need a visa for Japan"
    flight = _spec("How long a direct flight between two cities takes.", {"origin": text})
    assert asked(flight, {"origin": "Oslo"}).startswith("How long does a direct flight between two cities take")
    paint = _spec("How many liters of paint cover a wall area.", {"area": {"type": "number"}})
    assert asked(paint, {"area": "36"}).startswith("How many liters of paint cover a wall area")  # asked as it is


def test_questions_of_fact_need_a_tool_beside_one_that_looks_up_any_fact():
    import random

    from toolken.synthesis import answers_facts

    wiki = _spec("Get a short encyclopedia summary of a topic.", {"topic": {"type": "string"}})
    tip = _spec("Work out the tip for a restaurant bill.", {"bill": {"type": "number"}})
    assert answers_facts(wiki) and not answers_facts(tip)

    def asked(tools: list) -> set:
        records = no_tool_records("Q: {question}\nA:", "train", random.Random(0), tools)
        return {r["text"].split("\n")[0][3:] for r in records}

    plain, beside_wiki = asked([tip]), asked([wiki, tip])
    facts = {q for q in plain if q.startswith(("Who ", "Which "))}
    assert facts and not facts & beside_wiki  # "Who wrote Romeo and Juliet?" is the encyclopedia's
    assert {"Thanks!", "Tell me a joke."} & plain <= beside_wiki  # the rest still need no tool


def test_an_object_parameter_is_drawn_field_by_field():
    contact = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 1, "maximum": 99}},
        "required": ["name", "age"],
    }
    value, spoken = draw_value("contact", contact, random.Random(0))
    assert set(value) == {"name", "age"} and 1 <= value["age"] <= 99
    assert spoken.startswith(f"name {value['name']}, age ")
    assert draw_value("options", {"type": "object"}, random.Random(0)) == ({}, "{}")


def test_a_parameter_whose_examples_are_codes_draws_codes_like_them():
    from toolken.values import described_examples

    state = {"type": "string", "description": "The state's two-letter code, such as TX. Upper case."}
    assert described_examples(state) == ["TX"]  # up to the sentence's end
    kinds = {"type": "string", "description": "Type of species e.g birds, mammals etc. for detailed information."}
    assert described_examples(kinds) == ["birds", "mammals"]  # "e.g" without its dot; no "etc"
    rng = random.Random(0)
    drawn = [draw_value("state", state, rng)[0] for _ in range(40)]
    assert "TX" in drawn and all(re.fullmatch(r"[A-Z]{2}", v) for v in drawn) and len(set(drawn)) > 5
    # examples that are words are not drawn: in every demonstration they would be what fires the tool
    cell = {"type": "string", "description": "The part of the cell, e.g. mitochondria"}
    assert "mitochondria" not in {draw_value("cell_part", cell, rng)[0] for _ in range(30)}
    city = {"type": "string", "description": "The city and state, e.g. San Francisco, CA"}
    assert "CA" not in {draw_value("location", city, rng)[0] for _ in range(30)}


def test_a_parameter_named_for_a_year_draws_calendar_years():
    rng = random.Random(0)
    for name, schema in [("year", {"type": "integer"}), ("startYear", {"type": "string"}), ("birth_year", {})]:
        for _ in range(20):
            value, said = draw_value(name, schema, rng)
            assert 1950 <= int(value) <= 2025 and said == str(value)  # "2016", never "2,016"
        assert isinstance(value, int) == (schema.get("type") == "integer")
    counts = [draw_value(n, {"type": "integer", "minimum": 1, "maximum": 12}, rng)[0] for n in ("year", "years")]
    assert all(1 <= c <= 12 for c in counts)  # bounds a year would break; a count of years
    assert {draw_value("compounds_per_year", {"type": "integer"}, rng)[0] for _ in range(20)} - set(range(1950, 2026))


def test_a_parameter_that_takes_a_file_path_draws_paths():
    rng = random.Random(0)
    path = {"type": "string", "description": "Path to the CSV file."}
    drawn = [draw_value("dataset_path", path, rng)[0] for _ in range(5)]
    assert all("/" in v or "." in v for v in drawn)  # "data/sales.csv", never "report"
    cert = {"type": "string", "description": "Path to the SSL client certificate file."}
    assert draw_value("cert", cert, rng)[0] in resources()["pools"]["file"]  # a file's name, by its description
    folder = {"type": "string", "description": "Folder to search in."}
    assert draw_value("folder", folder, rng)[0] in resources()["pools"]["folder"]  # "Documents/Invoices", not "lamp"


def test_a_currency_parameter_draws_real_codes_written_as_codes_or_names():
    from toolken.currencies import currencies, currencies_in

    rng = random.Random(0)
    schema = {"type": "string", "description": "The currency to convert to."}
    drawn = [draw_value("to_currency", schema, rng) for _ in range(40)]
    assert all(code in currencies() and currencies_in(said) == [code] for code, said in drawn)
    assert any(said == code for code, said in drawn) and any(said != code for code, said in drawn)


def test_host_names_and_ip_addresses_are_drawn_as_such():
    rng = random.Random(0)
    for _ in range(50):
        host, said = draw_value("domain", {"type": "string", "description": "A domain, such as example.com."}, rng)
        assert re.fullmatch(r"[a-z-]+\.[a-z]+", host) and said == host
        ip, _ = draw_value("ip", {"type": "string", "format": "ipv4"}, rng)
        assert ipaddress.ip_address(ip).version == 4
        any_ip, _ = draw_value("server_ip_address", {"type": "string"}, rng)
        ipaddress.ip_address(any_ip)  # v4 or v6, valid either way


def test_values_shaped_like_the_examples_are_drawn_in_that_shape():
    rng = random.Random(0)
    repo = {"type": "string", "description": "The repository as owner/name, such as torvalds/linux."}
    drawn = {draw_value("repo", repo, rng)[0] for _ in range(40)}
    assert "torvalds/linux" in drawn and len(drawn) > 10
    assert all(re.fullmatch(r"[a-z]+/[a-z]+", v) for v in drawn)
    version = {"type": "string", "description": "The release, e.g. v1.2.0"}
    assert all(re.fullmatch(r"[a-z]\d\.\d\.\d", draw_value("version", version, rng)[0]) for _ in range(20))


def test_codes_and_serials_shown_by_example_are_drawn_in_their_shape():
    rng = random.Random(0)
    order = {"type": "string", "description": "The order number, like ORD-1042."}
    drawn = {draw_value("order_id", order, rng)[0] for _ in range(30)}
    assert "ORD-1042" in drawn and len(drawn) > 5 and all(re.fullmatch(r"[A-Z]{3}-\d{4}", v) for v in drawn)
    parcel = {"type": "string", "description": "The carrier's tracking number, e.g. 1Z999AA10123456784."}
    assert all(re.fullmatch(r"\d[A-Z]\d{3}[A-Z]{2}\d{11}", draw_value("tracking", parcel, rng)[0]) for _ in range(10))


def test_a_thing_named_by_its_name_draws_from_the_things_pool_not_peoples():
    from toolken.values import pool_name

    assert pool_name("product", {"description": "The product name, for example a tea towel."}) == "product"
    assert pool_name("dish_name", {"description": "Name of the dish whose recipe is fetched."}) == "food"
    assert pool_name("name", {"description": "The name of the contact."}) == "person"
    assert pool_name("customer", {"description": "The customer's full name."}) == "person"
    # a subject the description calls a name or a title is one (KAMEL's `subject`: "the name"), not a topic
    assert pool_name("subject", {"description": "the name"}) == "person"
    assert pool_name("subject", {"description": "the title"}) == "title"
    assert pool_name("subject", {"description": "What the user will study."}) == "topic"


def _book(room: str, day: str) -> str:
    """Book a room.

    Args:
        room: The room's name.
        day: The day, as YYYY-MM-DD.
    """
    import datetime

    return f"{room} on {datetime.date.fromisoformat(day)}"


def _expense(amount: float, category: str) -> str:
    """File an expense.

    Args:
        amount: The amount in dollars.
        category: One of travel, meals or supplies.
    """
    if category not in ("travel", "meals", "supplies"):
        raise ValueError("category must be travel, meals or supplies")
    return f"{amount} for {category}"


def test_a_tool_that_checks_its_dates_or_listed_choices_still_gets_demonstrations():
    records = synth([Tool.from_function(_book), Tool.from_function(_expense)], per_tool=5, seed=0)
    calls = [c for r in records for c in r.get("calls", [])]
    days = [json.loads(c["arguments"])["day"] for c in calls if c["tool"] == "_book"]
    assert len(days) == 5 and all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in days)
    kinds = {json.loads(c["arguments"])["category"] for c in calls if c["tool"] == "_expense"}
    assert len(kinds) > 1 and kinds <= {"travel", "meals", "supplies"}


ELEMENTS = {"Fe": "iron", "Na": "sodium"}


def _element(symbol: str) -> str:
    """Look up a chemical element: name, atomic number and mass.

    Args:
        symbol: Chemical symbol of the element, e.g. Fe or Na.
    """
    return ELEMENTS[symbol]


def test_a_tool_that_refuses_drawn_names_takes_its_described_examples():
    records = synth([Tool.from_function(_element)], per_tool=5, seed=0)
    calls = [c for r in records for c in r.get("calls", [])]
    assert len(calls) == 5 and {json.loads(c["arguments"])["symbol"] for c in calls} <= set(ELEMENTS)
    # what follows the description's colon lists what comes back: no part of the request
    asked = [r["text"] for r in records if r.get("calls")]
    assert all("atomic number" not in a.split("\nA:")[0] for a in asked)


def test_values_of_several_ways_are_drawn_one_way_and_only_valid_calls_are_demonstrations():
    refund = Tool(
        name="refund",
        description="Refund a payment.",
        parameters={"type": "object", "required": ["amount"], "properties": {
            "amount": {"oneOf": [{"type": "number", "minimum": 1}, {"type": "string", "const": "all"}]},
            "note": {"type": "string", "maxLength": 3}}},
        function=lambda amount, note="": f"refunded {amount}",
    )  # fmt: skip
    calls = [json.loads(c["arguments"]) for r in synth([refund], per_tool=8, seed=0) for c in r.get("calls", [])]
    amounts = [c["amount"] for c in calls]
    assert len(calls) == 8 and "all" in amounts and any(isinstance(a, (int, float)) for a in amounts)
    assert all(len(c.get("note", "")) <= 3 for c in calls)  # a drawn note too long for its schema: no demonstration


def test_a_tool_that_takes_nothing_is_asked_in_several_forms():
    clock = Tool(name="current_time", description="Tell the current time.", parameters={"type": "object"},
                 function=lambda: "14:05")  # fmt: skip
    asked = {r["text"].split("\nA:")[0] for r in synth([clock], per_tool=10, seed=0) if r.get("calls")}
    assert len(asked) >= 4 and "Q: What is the current time?" in asked  # not "Tell the current time." ten times


def test_medicines_are_no_peoples_names():
    from toolken.values import names_a_thing, pool_name

    assert pool_name("drug", {"description": "Name of the medicine."}) == "medicine"
    assert not names_a_thing("drug", {"type": "string", "description": "Name of the medicine."})


def test_a_tool_named_by_a_verb_is_asked_for_by_its_noun():
    from toolken.questions import question

    weather = Tool(name="get_weather", description="Get the weather in a city.",
                   parameters={"type": "object", "properties": {"city": {"type": "string"}}})  # fmt: skip
    assert question(weather, {"city": "Paris"}, "What is the {name} for {values}?") == "What is the weather for Paris?"
    define = Tool(name="define", description="Give the dictionary definition of a word.",
                  parameters={"type": "object", "properties": {"word": {"type": "string"}}})  # fmt: skip
    asked = question(define, {"word": "balloon"}, "What is the {name} for {values}?")
    assert "the define" not in asked and "balloon" in asked  # not "What is the define for balloon?"


def test_a_request_is_the_users_own_and_some_dates_are_said_from_today():
    from toolken.dates import dates_in
    from toolken.drawn import SAID_DAYS, drawn_date
    from toolken.questions import woven

    add_event = _spec("Add an event to the user's calendar.", {"title": {"type": "string"}})
    assert woven(add_event, {"title": "Yoga"}).startswith("add an event to my calendar")
    rng = random.Random(0)
    drawn = [drawn_date(rng, "%Y-%m-%d") for _ in range(200)]
    said = [(value, spoken) for value, spoken in drawn if spoken in SAID_DAYS]
    assert 20 <= len(said) <= 80  # "tomorrow", "next Friday": about a quarter
    assert all(dates_in(spoken) == [value] for value, spoken in said)  # read back as copying reads them
    assert all(dates_in(spoken) == [value] for value, spoken in drawn)


def test_a_listing_is_asked_what_they_are():
    from toolken.questions import asked, question

    events = _spec("List the events on the user's calendar for one day.", {"date": {"type": "string"}})
    events.name = "list_events"
    assert asked(events, {"date": "tomorrow"}).startswith("What are the events on my calendar")
    form = "What {is} the {name} for {values}?"
    assert question(events, {"date": "Friday"}, form) == "What are the events for Friday?"
    status = _spec("Get the status of an order.", {"order": {"type": "string"}})
    status.name = "order_status"
    assert question(status, {"order": "A1"}, form) == "What is the status for A1?"


def _to_hex(number: str) -> str:
    """Write a decimal number in hexadecimal.

    Args:
        number: The number as written in decimal.
    """
    return hex(int(number))


def test_a_tool_that_refuses_drawn_words_for_a_number_gets_digits():
    records = synth([Tool.from_function(_to_hex)], per_tool=5, seed=0)
    numbers = [json.loads(c["arguments"])["number"] for r in records for c in r.get("calls", [])]
    assert len(numbers) == 5 and all(n.isdigit() for n in numbers)


def test_a_title_of_a_book_film_or_song_is_drawn_from_such_works():
    from toolken.values import pool_name, value_pool

    pools = resources()["pools"]
    assert value_pool("title", {"description": "The book's title."}) == pools["book"]
    assert value_pool("movie", {"description": "Which film to play."}) == pools["film"]
    assert value_pool("title", {"description": "Title of the song to play."}) == pools["song"]
    assert value_pool("title", {"description": "The note's title."}) == pools["title"]  # not a work
    assert value_pool("room", {"description": "The room to book."}) != pools["book"]  # "book" as a deed
    assert value_pool("acronym", {"description": "The acronym to expand."}) == pools["acronym"]
    assert value_pool("author", {"description": "The author, if known."}) == pools["person"]  # not "by garden"
    full = {draw_value("name", {"type": "string", "description": "The colleague's full name"}, random.Random(k))[0]
            for k in range(5)}  # fmt: skip
    assert all(first in pools["person"] and last in pools["surname"] for first, last in (n.split() for n in full))
    assert pool_name("artist", {"description": "Who sings it."}) == "thing"  # read back as any text: "Maroon 5"
    assert value_pool("artist", {"description": "Who sings it."}) == pools["person"]


def test_a_word_is_asked_what_it_means_and_an_acronym_what_it_stands_for():
    from toolken.questions import asked

    define = _spec("Give the dictionary definition of an English word.", {"word": {"type": "string"}})
    assert asked(define, {"word": "ephemeral"}) == "What does ephemeral mean"
    expand = _spec("Expand an abbreviation.", {"abbreviation": {"type": "string"}})
    assert asked(expand, {"abbreviation": "NASA"}) == "What does NASA stand for"
    translate = _spec("Translate an English word into another language.", {"word": {}, "language": {}})
    assert asked(translate, {"word": "apple", "language": "french"}) == "How do you say apple in French"
    assert not asked(translate, {"word": "apple", "language": "fr"}).startswith("How do you say")  # a code
    schema = _spec("Get the definition of a database table.", {"table": {"type": "string"}})
    assert "mean" not in asked(schema, {"table": "users"})  # a definition, but of no word


def test_a_lookup_of_some_thing_is_requested_not_asked_what_it_is():
    from toolken.questions import asked, terse

    book = _spec("Look up a book in the catalogue.", {"title": {"type": "string"}})
    book.name = "find_book"
    assert asked(book, {"title": "Emma"}).startswith("Can you look up")  # not "What is a book ..."
    assert terse(book, {"title": "Emma"}) == "find book Emma"  # not "book Emma", a booking
    weather = _spec("Get the weather in a city.", {"city": {"type": "string"}})
    weather.name = "get_weather"
    assert asked(weather, {"city": "Paris"}).startswith("What is the weather in Paris")
    assert terse(weather, {"city": "Paris"}) == "weather Paris"


def test_beside_a_dictionary_tool_questions_of_what_words_mean_are_no_longer_no_tool():
    define = _spec("Give the dictionary definition of an English word.", {"word": {"type": "string"}})
    plain = [r["text"] for r in no_tool_records("Q: {question}\nA:", "train", random.Random(0))]
    kept = [r["text"] for r in no_tool_records("Q: {question}\nA:", "train", random.Random(0), [define])]
    dropped = set(plain) - set(kept)
    asks_a_word = r"mean|stand for|What is an? \w+\?|synonym|opposite|plural|[Dd]efine"
    assert dropped and all(re.search(asks_a_word, t) for t in dropped)
    assert len(kept) > 5 * len(dropped)  # the others stay


def test_closing_opening_and_filing_act():
    from toolken.descriptions import acts
    from toolken.tools import Tool

    assert acts(Tool("close_ticket", "Close a ticket with a resolution note.", {}))
    assert acts(Tool("file_claim", "File a claim.", {})) and acts(Tool("open_ticket", "Open a ticket.", {}))
    assert not acts(Tool("dns_lookup", "Resolve a host name to its IP addresses.", {}))  # a lookup


def test_a_boolean_is_asked_by_its_words_and_read_back_as_drawn():
    from toolken.questions import question
    from toolken.switches import said_boolean, switch_said

    for name in ("include_symbols", "show_hidden", "overwrite", "case_sensitive"):
        for value in (True, False):
            assert said_boolean(name, f"List them {switch_said(name, value)}.") is value
    props = {"length": {"type": "integer"}, "include_symbols": {"type": "boolean", "description": "Use symbols."}}
    tool = Tool("make_password", "Generate a random password.", {"type": "object", "properties": props})
    spoken = {"length": "12", "include_symbols": "no"}
    assert "without symbols" in question(tool, spoken, "{Woven}.")  # not a bare "no"
    assert "use symbols is no" in question(tool, spoken, "I need to {do}. {Args}.")


def test_a_team_or_a_league_is_drawn_from_their_names():
    from toolken.values import value_pool

    pools = resources()["pools"]
    assert value_pool("team", {"type": "string", "description": "Name of the team."}) == pools["team"]
    assert value_pool("home_team_name", {"type": "string"}) == pools["team"]
    assert value_pool("league", {"type": "string", "description": "The team's league."}) == pools["league"]
    assert value_pool("team_size", {"type": "string"}) != pools["team"]


def test_a_date_whose_layout_only_the_description_names_is_drawn_as_one():
    rng = random.Random(0)
    date = {"type": "string", "description": "Match date as YYYY-MM-DD."}
    drawn = [draw_value("date", date, rng)[0] for _ in range(5)]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in drawn)  # "2026-03-14", never "garden"


def _stylist_slots(stylist: str) -> list:
    """Free slots of a stylist.

    Args:
        stylist: Preferred stylist first name.
    """
    if stylist not in ("Ana", "Priya", "any"):
        raise ValueError(f"Unknown stylist '{stylist}'. Stylists: Ana, Priya (or 'any')")
    return ["10:00"]


def test_a_listed_value_is_learned_without_the_brackets_around_it():
    tool = Tool.from_function(_stylist_slots)
    synth([tool], per_tool=2, seed=0)
    assert tool.parameters["properties"]["stylist"]["examples"] == ["Ana", "Priya", "any"]
