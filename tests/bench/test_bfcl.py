"""BFCL: schema conversion, scoring with bfcl_eval's own checker, call parsing, and `toolken bench bfcl`
on the tiny model (`--limit 2`) for each category family, a user's own files, `native` and `bench all`."""

import json
import shutil

import pytest
from conftest import dies_at_chunk

from toolken.cli import main
from toolken.execution import ToolCall
from toolken.generation import Generation
from toolken.tools import Tool
from toolken_bench import bfcl
from toolken_bench.bfcl import Question, category_files, json_schema, load_questions, score
from toolken_bench.bfcl_methods import bfcl_tools, methods_for, parse_calls, synth_data, toolken_calls
from toolken_bench.runner import BenchSettings, run_all

BFCL_PARAMS = {
    "type": "dict",
    "properties": {
        "ratio": {"type": "float", "description": "a ratio"},
        "point": {"type": "tuple", "items": {"type": "integer"}},
        "anything": {"type": "any"},
        "options": {
            "type": "dict",
            "properties": {
                "deep": {"type": "array", "items": {"type": "dict", "properties": {"x": {"type": "float"}}}}
            },
            "required": ["deep", "not_declared"],
        },
        "flag": {"type": "boolean", "optional": True, "default": False},
    },
    "required": ["ratio", "point"],
}


def test_json_schema_converts_bfcl_types_nested():
    schema = json_schema(BFCL_PARAMS)
    props = schema["properties"]
    assert schema["type"] == "object" and schema["required"] == ["ratio", "point"]
    assert props["ratio"] == {"description": "a ratio", "type": "number"}
    assert props["point"] == {"type": "array", "items": {"type": "integer"}}
    assert props["anything"] == {"type": "string"}  # the checker reads "any" as str
    assert props["options"]["required"] == ["deep"]  # undeclared names dropped
    assert props["options"]["properties"]["deep"]["items"]["properties"]["x"]["type"] == "number"
    assert props["flag"] == {"default": False, "type": "boolean"}  # BFCL's `optional` is not JSON Schema
    Tool("t", "d", schema)  # a valid parameter schema for the library
    with pytest.raises(ValueError, match="unknown BFCL type"):
        json_schema({"type": "frobnicate"})


def test_every_shipped_function_converts():
    for category in ("simple", "live_multiple", "live_irrelevance"):
        questions = load_questions(*category_files(category), need_answers=False)
        assert len(bfcl_tools(questions).tools) > 10


def _first(category):
    questions, answers = category_files(category)
    return load_questions(questions, answers, limit=1)[0]


def test_checker_scores_right_one_and_wrong_zero():
    q = _first("simple")  # calculate_triangle_area, base 10, height 5
    assert score("simple", q, [{"calculate_triangle_area": {"base": 10, "height": 5}}])["correct"]
    assert score("simple", q, [{"calculate_triangle_area": {"base": 10, "height": 5, "unit": "units"}}])["correct"]
    wrong = score("simple", q, [{"calculate_triangle_area": {"base": 11, "height": 5}}])
    assert not wrong["correct"] and wrong["error"].startswith("value_error")
    assert not score("simple", q, [])["correct"]
    assert not score("simple", q, [{"calculate_triangle_area": {"base": "10", "height": 5}}])["correct"]


def test_checker_parallel_in_any_order_and_abstention_rules():
    q = _first("parallel")
    calls = [
        {name: {k: v[0] for k, v in args.items() if v[0] != ""}} for g in q.ground_truth for name, args in g.items()
    ]
    assert score("parallel", q, calls)["correct"]
    assert score("parallel", q, calls[::-1])["correct"]
    assert not score("parallel", q, calls[:1])["correct"]
    irrelevant = Question("x", "hi", q.functions)
    assert score("irrelevance", irrelevant, [])["correct"] and not score("irrelevance", irrelevant, calls)["correct"]
    assert (
        score("live_relevance", irrelevant, calls)["correct"] and not score("live_relevance", irrelevant, [])["correct"]
    )
    none_fits = Question("y", "hi", q.functions, ground_truth=[])  # a user's file: an answer of no call
    assert score("custom", none_fits, [])["correct"] and not score("custom", none_fits, calls)["correct"]


def test_every_call_of_a_turn_is_returned_and_scored():
    q = _first("parallel")
    bt = bfcl_tools([q])
    (name,) = bt.original
    wanted = [{k: v[0] for k, v in args.items() if v[0] != ""} for g in q.ground_truth for args in g.values()]
    ran = [ToolCall(name, args, "ok", None, json.dumps(args)) for args in wanted]
    failed = ToolCall(name, None, None, "an earlier call repeated; not run again")
    gen = Generation(q.text, " ok ok", "", [*ran, failed])
    calls = toolken_calls(gen, bt)
    assert calls == [{bt.original[name]: args} for args in wanted] and len(calls) >= 2
    assert score("parallel", q, calls)["correct"] and not score("parallel", q, calls[:1])["correct"]


def test_parse_calls():
    assert parse_calls('[{"name": "f", "arguments": {"a": 1}}, {"name": "g", "arguments": "{\\"b\\": 2}"}]') == [
        {"f": {"a": 1}},
        {"g": {"b": 2}},
    ]
    assert parse_calls('Sure: {"f": {"a": 1}} done') == [{"f": {"a": 1}}]
    text = (
        '<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call><tool_call>{"name": "f", "arguments": {"a": 2}}'
    )
    assert parse_calls(text) == [{"f": {"a": 1}}, {"f": {"a": 2}}]
    assert parse_calls("[]") == [] and parse_calls("no call [here") == [] and parse_calls("[1, 2]") == []


def test_tools_are_distinct_per_spec_and_allowed_per_question():
    f = {"name": "get.x", "description": "d", "parameters": {"type": "dict", "properties": {"a": {"type": "float"}}}}
    g = {**f, "parameters": {"type": "dict", "properties": {"b": {"type": "integer"}}}}
    bt = bfcl_tools([Question("1", "q", [f]), Question("2", "q", [g, f])])
    assert [t.name for t in bt.tools] == ["get.x", "get.x-2"]
    assert bt.original == {"get.x": "get.x", "get.x-2": "get.x"} and bt.allowed == [["get.x"], ["get.x-2", "get.x"]]
    records = [r for r in synth_data(bt.tools, 0, "train", 4) if len(r.calls) == 2]
    assert records and all(r.text.endswith(" ok ok\n") for r in records)
    assert all(r.text[c.start : c.end] == " ok" for r in records for c in r.calls)


def bench(*args):
    return main(["bench", "bfcl", *args])


@pytest.mark.parametrize("category", ["simple", "parallel", "irrelevance", "live_relevance"])
@pytest.mark.parametrize("method", ["toolken", "prompt"])
def test_bench_bfcl_tiny(category, method, tiny_model_dir, tmp_path, cache_dir):
    out = tmp_path / "r.json"
    args = ["--category", category, "--method", method, "--model", str(tiny_model_dir), "--limit", "2"]
    assert bench(*args, "--runs", str(tmp_path / "runs"), "--out", str(out)) == 0
    result = json.loads(out.read_text())
    assert (result["task"], result["method"], result["n"]) == (f"bfcl-{category}", method, 2)
    assert 0 <= result["metrics"]["accuracy"] <= 1
    outputs = [json.loads(line) for line in out.with_suffix(".outputs.jsonl").read_text().splitlines()]
    assert len(outputs) == 2 and all(o["correct"] == (o["error"] is None) for o in outputs)
    if method == "toolken":
        assert result["head"]["toolkens"] >= 1 and "synth" in result["settings"]["training_data"]


def test_bench_bfcl_seed_trains_another_head(tiny_model_dir, tmp_path, cache_dir):
    args = ["--category", "simple", "--method", "toolken", "--model", str(tiny_model_dir), "--limit", "2"]
    results = []
    for seed in ("0", "1"):
        out = tmp_path / f"r{seed}.json"
        assert bench(*args, "--runs", str(tmp_path / "runs"), "--out", str(out), "--seed", seed) == 0
        results.append(json.loads(out.read_text()))
    assert [r["settings"]["seed"] for r in results] == [0, 1]
    assert results[0]["head"]["folder"] != results[1]["head"]["folder"]  # not the cached head of seed 0


def test_bench_bfcl_own_files(tiny_model_dir, tmp_path, cache_dir):
    spec = {
        "name": "convert_units",
        "description": "Convert a value from one unit to another.",
        "parameters": {
            "type": "dict",
            "properties": {"value": {"type": "float"}, "unit": {"type": "string", "enum": ["km", "mi"]}},
            "required": ["value", "unit"],
        },
    }
    questions = [
        {"id": f"mine_{i}", "question": [[{"role": "user", "content": f"Convert {v} km"}]], "function": [spec]}
        for i, v in enumerate((3, 7))
    ]
    answers = [
        {"id": f"mine_{i}", "ground_truth": [{"convert_units": {"value": [v], "unit": ["km"]}}]}
        for i, v in enumerate((3, 7))
    ]
    qf, af = tmp_path / "q.json", tmp_path / "a.json"
    qf.write_text("\n".join(map(json.dumps, questions)))
    af.write_text("\n".join(map(json.dumps, answers)))
    out = tmp_path / "r.json"
    args = ["--data", str(qf), "--answers", str(af), "--model", str(tiny_model_dir), "--runs", str(tmp_path / "runs")]
    assert bench(*args, "--out", str(out)) == 0
    result = json.loads(out.read_text())
    assert result["task"] == "bfcl-custom" and result["n"] == 2 and "(simple)" in result["settings"]["checker"]
    af.write_text(json.dumps(answers[0]))  # an answer missing: one clear line, exit 2
    assert bench(*args) == 2
    assert bench("--data", str(qf), "--model", str(tiny_model_dir)) == 2  # no answers file


def test_native_needs_a_template_that_renders_tools(tiny_model_dir, tmp_path, cache_dir, capsys):
    args = ["--category", "simple", "--method", "native", "--model", str(tiny_model_dir), "--limit", "2"]
    assert bench(*args) == 2
    assert "does not render tools" in capsys.readouterr().err
    folder = tmp_path / "with_tools"
    shutil.copytree(tiny_model_dir, folder)
    template = (
        "{% for t in tools %}{{ t.function.name }} {% endfor %}{% for m in messages %}{{ m.content }}{% endfor %}"
    )
    (folder / "chat_template.jinja").write_text(template)
    out = tmp_path / "r.json"
    args = ["--category", "simple", "--method", "native", "--model", str(folder), "--limit", "2", "--out", str(out)]
    assert bench(*args) == 0
    assert json.loads(out.read_text())["n"] == 2


def test_bench_all_runs_bfcl_when_asked(tiny_model_dir, tmp_path, cache_dir):
    settings = BenchSettings(str(tiny_model_dir), 2, runs=tmp_path / "runs")
    results = run_all(["bfcl-irrelevance"], None, tmp_path / "out", settings)
    assert [r["method"] for r in results] == ["toolken", "prompt"]
    assert "bfcl-irrelevance" in (tmp_path / "out" / "report.md").read_text()
    again = run_all(["bfcl-irrelevance"], None, tmp_path / "out", settings)  # read back, not rerun
    assert [r["seconds"] for r in again] == [r["seconds"] for r in results]
    with pytest.raises(KeyError, match="unknown BFCL category"):
        run_all(["bfcl-nope"], None, tmp_path / "out", settings)
    assert methods_for(["toolken", "cot"], None) == ["toolken"]
    assert bfcl.CATEGORIES["simple"] == "simple_python"


@pytest.mark.parametrize("method", ["toolken", "prompt"])
def test_a_killed_bfcl_run_resumes_from_its_saved_answers(method, tiny_model_dir, tmp_path, cache_dir, monkeypatch):
    from toolken_bench import bfcl_methods, checkpoint
    from toolken_bench.runner import BenchSettings

    monkeypatch.setattr(checkpoint, "CHUNK", 2)
    settings = BenchSettings(str(tiny_model_dir), 5, runs=tmp_path / "runs")
    partial, real = tmp_path / "r.partial.jsonl", bfcl_methods.generate
    asked = dies_at_chunk(bfcl_methods, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        bfcl_methods.run("simple", method, settings, partial=partial)
    asked.clear()
    resumed = bfcl_methods.run("simple", method, settings, partial=partial)
    assert sum(asked) == 1  # only the fifth question is answered again
    monkeypatch.setattr(bfcl_methods, "generate", real)
    fresh = bfcl_methods.run("simple", method, settings)
    assert [o["calls"] for o in resumed["outputs"]] == [o["calls"] for o in fresh["outputs"]]
    assert resumed["metrics"] == fresh["metrics"]


def test_call_values_take_the_types_their_function_declares():
    from toolken_bench.bfcl import as_declared

    spec = {
        "type": "dict",
        "properties": {
            "numbers": {"type": "array", "items": {"type": "float"}},
            "count": {"type": "integer"},
            "point": {"type": "dict", "properties": {"x": {"type": "float"}}},
        },
    }
    got = as_declared({"numbers": [12, 15.5], "count": 3, "point": {"x": 2}, "flag": True}, spec)
    assert got == {"numbers": [12.0, 15.5], "count": 3, "point": {"x": 2.0}, "flag": True}
    assert isinstance(got["numbers"][0], float) and isinstance(got["count"], int)
