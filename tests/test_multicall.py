"""Several calls in one turn: synthesized questions asking for several things, tool mode shown the calls
made just before (so the next call writes the next thing asked), and repeats refused."""

import random
from functools import partial

from conftest import arith_toolset

from toolken import firing, toolmode, turns
from toolken.demonstrations import Call, Demo, add_demonstrations
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.synthesis import multi_call_records, synth
from toolken.tools import Tool, call_line, in_one_turn


def weather(city: str, unit: str = "celsius") -> str:
    """Get the weather in a city.

    Args:
        city: The city name.
        unit: The temperature unit.
    """
    return f"sunny in {city}"


def test_multi_call_records_ask_for_several_things_and_mark_every_result():
    tools = arith_toolset().tools
    records = multi_call_records(tools, 8, random.Random(0), "Q: {question}\nA:")
    assert len(records) >= len(tools) * 4
    for r in records:
        calls = r["calls"]
        assert 2 <= len(calls) <= 3 and r["text"].endswith("\n")
        assert all(a["end"] == b["start"] for a, b in zip(calls, calls[1:]))
        assert all(r["text"][c["start"] : c["end"]].startswith(" ") for c in calls)
        assert len({(c["tool"], c["arguments"]) for c in calls}) == len(calls)
    # some ask for one tool three times with one value changed, in one sentence ("... 3, 5 and 7 ...")
    assert any(len(r["calls"]) == 3 and len({c["tool"] for c in r["calls"]}) == 1 for r in records)


def test_synth_adds_multi_call_records_only_when_asked():
    tools = [Tool.from_function(weather)]
    plain = synth(tools, 8, seed=1)
    more = synth(tools, 8, seed=1, multi_calls=0.5)
    assert not any(len(r.get("calls", [])) > 1 for r in plain)
    assert sum(len(r.get("calls", [])) >= 2 for r in more) >= 2
    assert all("sunny in" in r["text"][c["start"] : c["end"]] for r in more for c in r.get("calls", []))


def test_in_one_turn_and_call_line():
    assert in_one_turn("") and in_one_turn(", ") and in_one_turn(" and ") and in_one_turn(". Also, ")
    assert not in_one_turn(" so the answer is")
    assert call_line("add", ' {"a": 1} ') == '\nCall: add({"a": 1})'


def test_demonstrations_show_the_call_made_just_before():
    tool = Tool.from_function(weather)
    text = "Q: weather in Oslo and Rome?\nA: sunny in Oslo sunny in Rome\n"
    a = text.index(" sunny in Oslo")
    b = text.index(" sunny in Rome")
    calls = [Call("weather", a, b, '{"city": "Oslo"}'), Call("weather", b, len(text) - 1, '{"city": "Rome"}')]
    demo = Demo(text, calls)
    alone = "Q: weather in Paris?\nA: sunny in Paris\n"
    other = Demo(alone, [Call("weather", alone.index(" sunny"), len(alone) - 1, '{"city": "Paris"}')])
    add_demonstrations([tool], [other, demo])
    shown = tool.demonstrations
    # the call after another comes first, its context ending with the earlier call
    assert shown[0]["arguments"] == '{"city": "Rome"}'
    assert shown[0]["context"].endswith('A: sunny in Oslo\nCall: weather({"city": "Oslo"})')
    assert any(d["arguments"] == '{"city": "Paris"}' and "Call:" not in d["context"] for d in shown)


def test_a_second_call_in_a_turn_sees_the_first_and_repeats_are_refused(tiny_backbone, monkeypatch):
    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    prompts = []

    def recording(tool, context, context_chars=700, as_json=False, earlier=""):
        prompts.append((tool.name, earlier))
        return original(tool, context, context_chars, as_json, earlier)

    original = toolmode.tool_prompt
    monkeypatch.setattr(toolmode, "tool_prompt", recording)
    # the toolken always wins: a row calls, calls again right after the result, ... until it repeats
    cfg = GenerationConfig(max_new_tokens=12, bias=1e4, allowed_tools=["sqrt"], max_calls=4, batch_size=1)
    questions = ["What are the square roots of 4, 9 and 16?", "Square roots of 25, 36, 49 and 64?"]
    gens = []
    for q in questions:
        prompts.clear()
        (g,) = generate(model, [q], cfg)
        gens.append(g)
        ran = [c for c in g.calls if c.error is None]
        assert prompts[0][1] == ""
        for k, (_, earlier) in enumerate(prompts[1 : len(ran) + 1], 1):
            # each later call is shown the calls of the turn before it
            assert earlier == "".join(call_line("sqrt", c.argument_text) for c in ran[:k])
        texts = [c.argument_text.strip() for c in ran]
        assert len(set(texts)) == len(texts)  # no call of the turn is run twice
        if len(g.calls) < 4:  # it stopped early: by repeating one of the turn's calls
            assert g.calls[-1].error == "an earlier call repeated; not run again"
    assert any(len([c for c in g.calls if c.error is None]) >= 2 for g in gens), [g.calls for g in gens]


def test_synth_cli_multi_calls(tmp_path, user_files, capsys):
    from toolken.cli import main
    from toolken.demonstrations import read_records

    out = tmp_path / "demos.jsonl"
    base = ["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions), "--per-tool", "6"]
    assert main([*base, "--multi-calls", "0.5", "--out", str(out)]) == 0
    assert any(len(r.get("calls", [])) >= 2 for r in read_records(out))
    capsys.readouterr()
    assert main([*base, "--multi-calls", "2", "--out", str(out)]) == 2
    assert "--multi-calls must be a share" in capsys.readouterr().err


def test_a_turn_goes_on_while_the_question_asks_for_more(tiny_backbone, monkeypatch):
    from toolken.generation import RowOptions

    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    asked = []

    def twice(model, rows, cfg):  # "again" after the first and second call, then the turn ends
        asked.append(len(rows))
        return [len(asked) <= 2] * len(rows)

    monkeypatch.setattr(turns, "calls_again", twice)
    monkeypatch.setattr(toolmode, "_repeats", lambda *a: None)  # the random model may write a value twice
    # the head never fires by itself (bias -1e4): only the forced first call and the calls tool mode adds
    cfg = GenerationConfig(max_new_tokens=16, bias=-1e4, allowed_tools=["sqrt"], max_calls=6, batch_size=1)
    q = ["What are the square roots of 4, 9 and 16?"]
    (g,) = generate(model, q, cfg, options=[RowOptions(force=True)])
    assert [c.tool for c in g.calls] == ["sqrt"] * 3 and asked[:3] == [1, 1, 1], (g.calls, asked)
    asked.clear()
    (g,) = generate(
        model, q, GenerationConfig(**{**cfg.__dict__, "calls_again": False}), options=[RowOptions(force=True)]
    )
    assert len(g.calls) == 1 and not asked


def test_a_turn_goes_on_only_to_values_the_question_writes_later():
    from toolken.copying import copy_schema
    from toolken.next_call import _written_at, next_call_schema

    schema = {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
    text = "Q: Roots of 16, 25 and 36?"
    # a number moving on takes the next one written, not any later one
    assert next_call_schema(copy_schema(schema, text), {"x": 16}, text)["properties"]["x"]["enum"] == [25]
    assert next_call_schema(copy_schema(schema, text), {"x": 25}, text)["properties"]["x"]["enum"] == [36]
    assert next_call_schema(copy_schema(schema, text), {"x": 36}, text) is None
    text = "Q: The value at 5% for 1,5 and 10 years."  # 5 was written before 1 too: still next after it
    assert next_call_schema(copy_schema(schema, text), {"x": 1}, text)["properties"]["x"]["enum"] == [5]
    two = {"type": "object", "properties": {"artist": {"type": "string"}, "minutes": {"type": "integer"}}}
    text = "Play Taylor Swift and Maroon 5 for 20 and 15 minutes respectively."
    # lists paired "respectively": each moves on to its own next item, together
    paired = next_call_schema(copy_schema(two, text), {"artist": "Taylor Swift", "minutes": 20}, text)["properties"]
    assert paired["artist"]["enum"] == ["Maroon 5"] and paired["minutes"]["enum"] == [15]
    text = "Play Taylor Swift and Maroon 5 for 20 and 15 minutes."
    variants = next_call_schema(copy_schema(two, text), {"artist": "Taylor Swift", "minutes": 20}, text)["anyOf"]
    # without it, one value moves on (the artist past "Taylor Swift", or the minutes to 15: "5" is Maroon 5's)
    artist_moves, minutes_move = (v["properties"] for v in variants)
    assert "Maroon 5" in artist_moves["artist"]["enum"] and "Swift" not in artist_moves["artist"]["enum"]
    assert artist_moves["minutes"]["enum"] == [20, 15] and minutes_move["minutes"]["enum"] == [15]
    assert minutes_move["artist"]["enum"][0] == "Taylor Swift"
    assert all(a[:1].isupper() for a in artist_moves["artist"]["enum"])  # a name moves on to a name only
    # values written again after all of the previous call's move on together, to the next tuple as
    # written in the previous call's order: pairs stay pairs
    sides = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    text = "Compute the hypotenuse for 3 and 4, 5 and 12, 8 and 15."
    pair = next_call_schema(copy_schema(sides, text), {"a": 3, "b": 4}, text)["properties"]
    assert (pair["a"]["enum"], pair["b"]["enum"]) == ([5], [12])
    pair = next_call_schema(copy_schema(sides, text), {"a": 5, "b": 12}, text)["properties"]
    assert (pair["a"]["enum"], pair["b"]["enum"]) == ([8], [15])
    # a value written more than once is placed nearest the call's values written once
    house = {"type": "object", "properties": {"rooms": {"type": "integer"}, "city": {"type": "string"}}}
    text = "Prices for 3 rooms in Paris, 2 rooms in Rome and 3 rooms in Oslo."
    assert next_call_schema(copy_schema(house, text), {"rooms": 3, "city": "Oslo"}, text) is None
    # a value written once for every call stays while the others move on together
    bmi = {
        "type": "object",
        "properties": {
            "weight": {"type": "integer"},
            "height": {"type": "integer"},
            "system": {"enum": ["metric", "imperial"]},
        },
        "required": ["weight", "height"],
    }
    text = "BMI for a person who weighs 75 kg and is 180 cm tall, then 60 kg and 165 cm. Use the metric system."
    moved = next_call_schema(copy_schema(bmi, text), {"weight": 75, "height": 180, "system": "metric"}, text)
    weights, heights = (moved["properties"][q]["enum"] for q in ("weight", "height"))
    assert (
        60 in weights and 75 not in weights and heights == [165] and moved["properties"]["system"]["enum"] == ["metric"]
    )
    # the turn goes on where the question lists another value right after the one the call took
    list_goes_on = turns.list_goes_on
    text = "Find the factorial of 5, 10 and 15."
    narrowed = copy_schema(schema, text)
    assert list_goes_on(narrowed, {"x": 5}, [], text) and list_goes_on(narrowed, {"x": 10}, [{"x": 5}], text)
    assert not list_goes_on(narrowed, {"x": 15}, [{"x": 5}, {"x": 10}], text)
    assert not list_goes_on(narrowed, {"x": 10}, [{"x": 5}, {"x": 10}, {"x": 15}], text)  # 15 was taken
    add = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}}
    text = "What is 5 and 3 added together?"
    assert not list_goes_on(copy_schema(add, text), {"a": 5, "b": 3}, [], text)  # 3 is the other operand
    city = {"type": "object", "properties": {"city": {"type": "string"}}}
    text = "Weather in Paris and Rome, please"
    assert list_goes_on(copy_schema(city, text), {"city": "Paris"}, [], text)
    assert not list_goes_on(copy_schema(city, text), {"city": "Rome"}, [{"city": "Paris"}], text)  # "please"
    # an item that starts with a value the call took is that value, not a next one ("lisinopril interact")
    pair = {"type": "object", "properties": {"drug_a": {"type": "string"}, "drug_b": {"type": "string"}}}
    text = "Do ibuprofen and lisinopril interact?"
    assert not list_goes_on(copy_schema(pair, text), {"drug_a": "ibuprofen", "drug_b": "lisinopril"}, [], text)
    text = "Tax at 5%, 7.5% and 10%"
    rate = {"type": "object", "properties": {"rate": {"type": "number"}}}  # a rate takes 5% as 0.05
    assert list_goes_on(copy_schema(rate, text), {"rate": 0.05}, [], text)
    percent = {"type": "object", "properties": {"tax_percent": {"type": "number"}}}
    assert list_goes_on(copy_schema(percent, text), {"tax_percent": 5}, [], text)
    # numbers that each carry the same unit are a list too; another unit or none after the next is not
    text = "Alimony for the next 10 years and 20 years."
    assert list_goes_on(copy_schema(schema, text), {"x": 10}, [], text)
    text = "A box of 10 kg and 5 m high."
    assert not list_goes_on(copy_schema(schema, text), {"x": 10}, [], text)
    # the words that led to a value, written again before the next ("the factorial of 5, the factorial of
    # 7"), a unit both carry ("a radius of 5cm, the second circle has a radius of 10cm"), parentheses
    text = "The factorial of 5, the factorial of 7, and the factorial of 9."
    assert next_call_schema(copy_schema(schema, text), {"x": 5}, text)["properties"]["x"]["enum"] == [7]
    text = "Circles: the first has a radius of 5cm, the second has a radius of 10cm."
    assert list_goes_on(copy_schema(schema, text), {"x": 5}, [], text)
    text = "The GCD of the pairs (45, 60) and (81, 27)?"
    assert list_goes_on(copy_schema(sides, text), {"a": 45, "b": 60}, [], text)
    assert next_call_schema(copy_schema(sides, text), {"a": 45, "b": 60}, text)["properties"]["a"]["enum"] == [81]
    # a value written twice goes on from where it is written as an item of a list
    years = {"type": "object", "properties": {"rate": {"type": "number"}, "years": {"type": "integer"}}}
    text = "At a rate of 5% for 1,5 and 10 years."
    assert list_goes_on(copy_schema(years, text), {"rate": 0.05, "years": 5}, [{"rate": 0.05, "years": 1}], text)
    # and is placed there, not in "5%", where the rate is written once
    assert _written_at({"rate": 0.05, "years": 5}, text) == {"rate": text.index("5%"), "years": text.index("5 and")}


def test_a_turns_first_call_takes_a_lists_first_item_and_its_first_requests_values():
    from toolken.copying import copy_schema
    from toolken.next_call import first_items, first_values

    def offered(schema: dict, text: str, narrow) -> dict:
        return {k: p.get("enum") for k, p in narrow(copy_schema(schema, text), text)["properties"].items()}

    where = {"type": "object", "properties": {"city": {"type": "string"}, "hours": {"type": "integer"}}}
    assert offered(where, "Temperature for 3 hours in Seattle and Los Angeles?", first_items)["city"] == ["Seattle"]
    one = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert offered(one, "The factorial of 5, 10 and 15.", first_items)["n"] == [5]
    # where another parameter is offered the list's items, they are the call's values, not a list
    route = {"type": "object", "properties": {"start": {"type": "string"}, "end": {"type": "string"}}}
    text = "Distance between New York and Washington DC"
    assert offered(route, text, first_items) == offered(route, text, lambda s, t: s)
    pair = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    assert offered(pair, "The GCD of 12 and 18", first_items) == {"a": [12, 18], "b": [12, 18]}
    # a place with its country is no list; a list of names ends with "and"
    place = {"type": "object", "properties": {"location": {"type": "string"}}}
    assert offered(place, "Weather in Tel Aviv, Israel", first_items)["location"] == ["Tel Aviv", "Israel"]
    country = {"type": "object", "properties": {"country": {"type": "string"}}}
    assert offered(country, "Weather in Tel Aviv, Israel", first_items)["country"] == ["Israel"]  # the country
    text = "Prices of Apple, Google and Microsoft"
    assert offered(country, text, first_items)["country"] == ["Apple"]
    text = "List cases against Dara Inc filed in 2019, Also list cases filed in the year 2018."
    request = turns.first_request(text)
    assert request == "List cases against Dara Inc filed in 2019"
    cases = {"type": "object", "properties": {"company": {"type": "string"}, "year": {"type": "integer"}}}
    narrowed = first_values(copy_schema(cases, text), request)["properties"]
    assert narrowed["year"]["enum"] == [2019] and "Dara Inc" in narrowed["company"]["enum"]
    assert turns.first_request("Book a flight to Tokyo and another flight to Sydney.") == "Book a flight to Tokyo"
    assert turns.first_request("What is the weather in Paris?") is None


def test_calls_again_reads_the_question_of_the_row(tiny_backbone):
    from toolken.execution import ToolCall
    from toolken.generation import _Row

    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    tool = next(t for t in model.tools if t.name == "sqrt")
    rows = []
    for question, x in [("What are the roots of 16, 25 and 36?", 16), ("What is the root of 49 and 5?", 49)]:
        ids = toolmode.text_ids(model.tokenizer, model.prompt_text(question), True)
        row = _Row(ids=ids + toolmode.text_ids(model.tokenizer, " 4"), prompt_len=len(ids))
        call = ToolCall("sqrt", {"x": x}, "4", None, f'{{"x": {x}}}')
        row.calls, row.streak, row.streak_end = [call], [call], len(row.ids)
        rows.append((row, tool))
    assert turns.calls_again(model, rows, GenerationConfig()) == [True, True]
    assert turns.calls_again(model, rows, GenerationConfig(arguments="schema")) == [False, False]
    rows[0][0].streak[-1] = ToolCall("sqrt", {"x": 36}, "6", None, '{"x": 36}')
    assert turns.calls_again(model, rows[:1], GenerationConfig()) == [False]


def test_next_part_is_the_request_after_the_values_a_turn_took():
    from toolken.execution import ToolCall

    def call(**args):
        return ToolCall("t", args, "ok")

    q = "Find the GCD of 96 and 128. Also, find the LCM of 15 and 25."
    assert turns.next_part(q, [call(a=96, b=128)]) == "find the LCM of 15 and 25."
    assert turns.next_part(q, [call(a=96, b=128), call(a=15, b=25)]) is None  # both requests served
    assert turns.next_part(q, [call(flag=True)]) is None  # no value of the question: nothing to go by
    q = "Weather in Oslo, then convert 5 USD to EUR and also tell me the time in Rome"
    assert turns.next_part(q, [call(city="Oslo")]) == "convert 5 USD to EUR"
    assert turns.next_part(q, [call(city="Oslo"), call(amount=5)]) == "tell me the time in Rome"
    assert turns.next_part("What is 5 plus 3 and 2?", [call(a=5, b=3)]) is None  # "and" alone joins values
    assert turns.next_part("What is 5 plus 3 and 2?", [call(a=5, b=3)], plain_and=True) is None  # no word
    q = "Invest $2000 in Google and withdraw $1000 from Apple."
    assert turns.next_part(q, [call(company="Google", amount=2000)]) is None
    assert turns.next_part(q, [call(company="Google", amount=2000)], plain_and=True) == "withdraw $1000 from Apple."
    # sentences counted on start requests too
    q = "First, find the factorial of 7. Second, roll a die 5 times. After that, get the weather in Oslo."
    assert turns.next_part(q, [call(n=7)]) == "roll a die 5 times"
    assert turns.next_part(q, [call(n=7), call(n=5)]) == "get the weather in Oslo."
    # a request before the part the turn served, where none follows it
    q = "Calculate the factorial of 8 and generate the prime numbers from 1 to 50."
    assert turns.next_part(q, [call(start=1, end=50)]) is None
    assert turns.next_part(q, [call(start=1, end=50)], plain_and=True) == "Calculate the factorial of 8"
    assert turns.next_part(q, [call(start=1, end=50), call(n=8)], plain_and=True) is None
    q = "Book a flight to Boston and book a hotel in Boston for 4 nights."  # Boston: where the call's part has it
    assert turns.next_part(q, [call(city="Boston", nights=4)], plain_and=True) == "Book a flight to Boston"
    q = "Find the GCD of 96 and 128. Also, find the LCM of 15 and 25."
    assert turns.next_part(q, [call(a=15, b=25)]) == "Find the GCD of 96 and 128"
    # a request with a name of its own may call the tool just called again, its other values from the question
    assert turns._new_name("also for the same mass of Aluminium", [call(substance="water", mass=100)])
    assert not turns._new_name("also for the same mass of water", [call(substance="water", mass=100)])
    q = "Translate 'Goodbye' to French. In addition to that, get the time in London."
    assert turns.next_part(q, [call(text="Goodbye", to="French")]) == "get the time in London."
    # a list's items are not what a turn took its values from: "... the same time ..." after the list
    q = "Trucks take 23, 33, and 42 hours. If they start at the same time, when do they meet?"
    assert turns.next_part(q, [call(numbers=[23, 33, 42])]) is None
    q = "Return on $2000 with a gain of $500. Do the same for $5000 with a gain of $1000."
    assert turns.next_part(q, [call(a=2000, b=500)]) == "Do the same for $5000 with a gain of $1000."
    q = "A tree of depth 5 with gini, another with depth 10 and entropy."
    assert turns.next_part(q, [call(depth=5, criterion="gini")]) == "another with depth 10 and entropy."
    # a sentence about the next of several things, and one that starts "Finally"
    second = "The second triangle has a base of 18 m and a height of 24 m"
    last = "one with a base of 2 m and a height of 3 m."
    q = f"The first triangle has a base of 12 m and a height of 15 m. {second}. Finally, {last}"
    assert turns.next_part(q, [call(base=12, height=15)]) == second
    assert turns.next_part(q, [call(base=12, height=15), call(base=18, height=24)]) == last
    q = "It moves at 3 meters per second. How far does it go in 5 seconds?"  # "per second" is no second thing
    assert turns.next_part(q, [call(speed=3, time=5)]) is None and turns.next_part(q, [call(speed=3)]) is None
    q = "Check a loan of $500,000 from HSBC with income $100,000 and for Wells Fargo a loan of $700,000."
    assert (
        turns.next_part(q, [call(bank="HSBC", amount=500000, income=100000)]) == "for Wells Fargo a loan of $700,000."
    )
    q = "Find flights for Paris and for Rome."  # none after Rome: the one before it
    assert turns.next_part(q, [call(city="Rome")]) == "Find flights for Paris"
    assert turns.next_part(q, [call(city="Rome"), call(city="Paris")]) is None


def test_a_later_request_is_called_with_a_tool_that_fits_it(tiny_backbone):
    from toolken.execution import ToolCall
    from toolken.generation import RowOptions, _Row

    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    question = "What is the square root of 16? Also, what is 7 times 8?"
    may_fire = partial(firing.may_fire, model, GenerationConfig())

    def row(allowed=None, asked=question, first=None):
        first = first or ToolCall("sqrt", {"x": 16}, "4")
        ids = toolmode.text_ids(model.tokenizer, model.prompt_text(asked), True)
        r = _Row(ids=ids + toolmode.text_ids(model.tokenizer, f" {first.result}"), prompt_len=len(ids), budget=10)
        r.options = RowOptions(allowed=allowed)
        r.calls = r.streak = [first]
        return r

    sqrt = next(t for t in model.tools if t.name == "sqrt")
    ((r, tool),) = turns.next_parts(model, GenerationConfig(), [(row(), sqrt)], may_fire)
    # the later request alone is read: a tool whose required values it writes (7 and 8; add takes two
    # numbers too), never one it does not fit; its values will be copied from it
    assert tool.name in {"add", "subtract", "multiply", "divide", "sqrt"}
    assert r.part == "what is 7 times 8?"
    ((r, tool),) = turns.next_parts(model, GenerationConfig(), [(row(["sqrt"]), sqrt)], may_fire)
    assert (tool.name, r.part) == ("sqrt", "what is 7 times 8?")  # only the tools the row may fire
    # the tool just called, for a request that lacks some of its values, copies from the whole question
    # as a next item ("then repeat with 9": 12 / 9)
    divide = next(t for t in model.tools if t.name == "divide")
    first = ToolCall("divide", {"a": 12, "b": 4}, "3")
    again = row(["divide"], "What is 12 divided by 4? Then repeat with 9.", first)
    ((r, tool),) = turns.next_parts(model, GenerationConfig(), [(again, divide)], may_fire)
    assert (tool.name, r.part) == ("divide", None)
    assert turns.next_parts(model, GenerationConfig(calls_again=False), [(row(), sqrt)], may_fire) == []
    assert turns.next_parts(model, GenerationConfig(arguments="schema"), [(row(), sqrt)], may_fire) == []
    r = row()
    r.calls = r.streak = [ToolCall("sqrt", {"x": 16}, "4"), ToolCall("multiply", {"a": 7, "b": 8}, "56")]
    assert turns.next_parts(model, GenerationConfig(), [(r, sqrt)], may_fire) == []  # every request answered
    # a request with no value of its own calls a tool it names that the turn has not called, copying
    # from the whole question; one that names none gets no call
    named = row(None, "What is 12 divided by 4? Also, multiply the numbers.", first)
    ((r, tool),) = turns.next_parts(model, GenerationConfig(), [(named, divide)], may_fire)
    assert (tool.name, r.part) == ("multiply", None)
    vague = row(None, "What is 12 divided by 4? Also, explain the answer.", first)
    assert turns.next_parts(model, GenerationConfig(), [(vague, divide)], may_fire) == []


def test_a_place_with_its_country_is_no_list():
    from toolken.copying import copy_schema

    city = {"type": "object", "properties": {"city": {"type": "string"}}}

    def goes_on(text, value, used=()):
        return turns.list_goes_on(copy_schema(city, text), {"city": value}, list(used), text)

    assert not goes_on("Weather in Tel Aviv, Israel, please.", "Tel Aviv")
    assert not goes_on("An Uber from Berkeley, CA, USA, and I can wait 600 seconds.", "Berkeley")
    assert not goes_on("I am in Riga, Latvia, Can you tell me the temperature?", "Riga")
    assert goes_on("Weather in Paris, Rome and Berlin", "Paris")
    assert goes_on("Weather in Paris, Rome and Berlin", "Rome", [{"city": "Paris"}])
    assert goes_on("Is it warmer in Oslo or Madrid?", "Oslo")
    assert not goes_on("Weather at Mariposa, CA, and make sure it is in Celsius?", "Mariposa")
    assert not goes_on("A trip to New York, NY in December and will stay for 5 days", "New York")


def test_a_next_tuple_goes_on_with_the_same_tool_unless_another_is_named_before_it():
    from toolken.copying import copy_schema

    tools = list(arith_toolset().tools)
    subtract = next(t for t in tools if t.name == "subtract")
    text = "Take 3 from 10. On the other hand, take 20 from 44."
    copied = copy_schema(subtract.parameters, text)
    assert turns._tuple_next(copied, {"a": 10, "b": 3}, text, tools, subtract)
    assert not turns._tuple_next(copied, {"a": 44, "b": 20}, text, tools, subtract)  # nothing after
    text = "Take 3 from 10, and divide 20 by 4."  # the words between name another tool: its own request
    assert not turns._tuple_next(copy_schema(subtract.parameters, text), {"a": 10, "b": 3}, text, tools, subtract)
    text = "Take 3 from 10. Also take 20 from 44."  # a request of its own: left to `next_parts`
    assert not turns._tuple_next(copy_schema(subtract.parameters, text), {"a": 10, "b": 3}, text, tools, subtract)


def test_a_question_of_several_requests_answered_in_words_calls_for_its_first_request(tiny_backbone):
    from toolken.generation import _Row

    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    may_fire = partial(firing.may_fire, model, GenerationConfig())

    def row(asked):  # a row that wrote words at once, no call
        ids = toolmode.text_ids(model.tokenizer, model.prompt_text(asked), True)
        return _Row(ids=ids + toolmode.text_ids(model.tokenizer, " Sure, let me see."), prompt_len=len(ids), budget=10)

    two = "Could you help me? What is the square root of 16? Also, what is 7 times 8?"
    # the first request read alone: with every toolken winning, a tool whose required values it gives
    # (one number: only `sqrt` of the arithmetic tools), copied from that request
    ((r, tool, part),) = turns.first_parts(model, GenerationConfig(bias=1e4), [row(two)], may_fire)
    assert (tool.name, part) == ("sqrt", "Could you help me? What is the square root of 16")
    assert turns.first_parts(model, GenerationConfig(bias=-1e4), [row(two)], may_fire) == []  # words win
    one = "What is the square root of 16?"  # a single request: the head's answer stands
    assert turns.first_parts(model, GenerationConfig(bias=1e4), [row(one)], may_fire) == []
    for cfg in (GenerationConfig(bias=1e4, calls_again=False), GenerationConfig(bias=1e4, arguments="schema")):
        assert turns.first_parts(model, cfg, [row(two)], may_fire) == []


def test_words_written_at_once_give_way_to_a_first_requests_call(tiny_backbone, monkeypatch):
    from toolken import generation

    model = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    sqrt = next(t for t in model.tools if t.name == "sqrt")
    seen = []

    def first(model, cfg, rows, may_fire):  # the first request fires sqrt, once
        seen.append(len(rows))
        return [(r, sqrt, "What is the square root of 16?") for r in rows] if len(seen) == 1 else []

    monkeypatch.setattr(generation, "first_parts", first)
    cfg = GenerationConfig(max_new_tokens=12, bias=-1e4, allowed_tools=["sqrt"], batch_size=1, calls_again=False)
    (g,) = generate(model, ["What is the square root of 16? Also, what is 7 times 8?"], cfg)
    # the words first written are dropped: the answer opens with the call's result, copied from the request
    assert [(c.tool, c.arguments) for c in g.calls] == [("sqrt", {"x": 16})]
    assert g.text.startswith(" 4"), g.text
    assert seen[0] == 1
