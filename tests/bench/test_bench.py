"""The benchmark on the tiny model: every task x method through `toolken bench`, head reuse, `bench all`
and its report; scoring, GSM8K-XL questions, synthetic training data and the icl text calls."""

import json
import math
import os

import pytest
import torch

from toolken import baselines
from toolken.baselines import MATH_EXAMPLES, build_prompt, call_pattern, complete, finish_call, tool_list
from toolken.bench import (
    METHODS,
    REG_GRID,
    TASKS,
    TOOLKEN_METHODS,
    get_task,
    kamel_match,
    numeric_match,
    question_of,
    synthetic_word_problems,
)
from toolken.cli import main
from toolken.data import from_markup, read_records
from toolken.generation import Generation, GenerationConfig
from toolken.head import ToolkenModel
from toolken.tools import ToolCall, by_name
from toolken.toolsets import get_toolset

TRAIN_LIMIT = "20"  # quick heads: the tests check the plumbing, not accuracy


@pytest.fixture(autouse=True)
def one_thread():
    # the tiny model is too small for threads to pay off, and they contend with other jobs
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def bench(*args: str) -> int:
    return main(["bench", *args])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("task", TASKS)
def test_bench_every_task_and_method(task, method, tiny_model_dir, tmp_path, cache_dir):
    out, runs = tmp_path / "result.json", tmp_path / "runs"
    args = [task, "--method", method, "--model", str(tiny_model_dir), "--limit", "2", "--runs", str(runs)]
    args += ["--train-limit", TRAIN_LIMIT, "--out", str(out)]
    assert bench(*args) == 0
    result = json.loads(out.read_text())
    assert (result["task"], result["method"], result["n"]) == (task, method, 2)
    assert 0 <= result["metrics"]["accuracy"] <= 1
    assert len(out.with_suffix(".outputs.jsonl").read_text().splitlines()) == 2
    if method not in TOOLKEN_METHODS:
        assert result["head"] is None
        return
    assert result["head"]["reused"] is False
    folder = result["head"]["folder"]
    mtime = os.stat(os.path.join(folder, "toolken_head.safetensors")).st_mtime_ns
    assert bench(*args) == 0
    again = json.loads(out.read_text())
    assert again["head"] == {"folder": folder, "reused": True}
    assert os.stat(os.path.join(folder, "toolken_head.safetensors")).st_mtime_ns == mtime
    if task == "gsm8k-xl":
        assert "substitute" in again["settings"]["training_data"]
    chosen = again["settings"]["reg_chosen_on_validation"]
    if method.endswith("-reg"):  # lambda: the grid's value with the lowest validation loss
        assert chosen["grid"] == list(REG_GRID)
        assert again["settings"]["reg"] == REG_GRID[chosen["val_loss"].index(min(chosen["val_loss"]))]
    else:
        assert chosen is None and again["settings"]["reg"] == 0.0


@pytest.mark.parametrize("task", ["funcqa-mh", "kamel-30", "virtualhome-scene"])
def test_a_reused_head_can_run_its_tools(task, tiny_model_dir, tiny_backbone, tmp_path):
    from toolken.bench import train_or_load

    args = (get_task(task), "toolken-random", str(tiny_model_dir), tiny_backbone, tmp_path)
    fresh, folder, reused = train_or_load(*args, train_limit=int(TRAIN_LIMIT))
    again, same, reused_again = train_or_load(*args, train_limit=int(TRAIN_LIMIT))
    assert (reused, reused_again, same) == (False, True, folder)
    assert all(t.function is not None for t in again.tools)
    assert [t.name for t in again.tools] == [t.name for t in fresh.tools]
    # benchmark heads learn from exact float32 statistics whatever the CPU (never the "auto" bf16),
    # with their family's recipe (KAMEL: smaller steps for longer, every relation weighing alike)
    arguments = again.config.training["arguments"]
    assert arguments["cache_dtype"] == "float32"
    kamel = {"lr": 1e-3, "epochs": 30, "balance_tools": True}
    expected = kamel if task.startswith("kamel") else {"lr": 1e-2, "epochs": 10, "balance_tools": False}
    assert {k: arguments[k] for k in expected} == expected


def test_bench_all_writes_report_results_and_plot(tiny_model_dir, tmp_path, cache_dir, capsys, monkeypatch):
    out = tmp_path / "all"
    args = ["all", "--limit", "1", "--tasks", "funcqa-oh", "kamel-30", "--methods", "cot", "toolken-random"]
    args += ["--model", str(tiny_model_dir), "--runs", str(tmp_path / "runs"), "--train-limit", TRAIN_LIMIT]
    assert bench(*args, "--out-dir", str(out)) == 0
    results = json.loads((out / "results.json").read_text())
    assert {(r["task"], r["method"]) for r in results} == {
        (t, m) for t in ("funcqa-oh", "kamel-30") for m in ("cot", "toolken-random")
    }
    report = (out / "report.md").read_text()
    assert "| kamel-30 |" in report and "toolken-random" in report and "seconds" in report
    assert (out / "kamel_tools.png").stat().st_size > 0
    assert (out / "kamel-30__cot.outputs.jsonl").is_file()
    assert "report:" in capsys.readouterr().out
    # a second run reads the finished pairs back instead of rerunning them
    (out / "kamel-30__cot.outputs.jsonl").unlink()
    monkeypatch.setattr("toolken.bench.run", lambda *a, **k: pytest.fail("reran a finished pair"))
    assert bench(*args, "--out-dir", str(out)) == 0
    assert json.loads((out / "results.json").read_text()) == results
    # other settings are a different run
    with pytest.raises(pytest.fail.Exception, match="reran"):
        bench(*args[:1], "--limit", "2", *args[3:], "--out-dir", str(out))
    # so is a result whose head is not the one the task trains now (other data, recipe or init)
    saved = json.loads((out / "kamel-30__toolken-random.json").read_text())
    saved["head"]["folder"] = saved["head"]["folder"][:-10] + "0123456789"
    (out / "kamel-30__toolken-random.json").write_text(json.dumps(saved))
    with pytest.raises(pytest.fail.Exception, match="reran"):
        bench(*args, "--out-dir", str(out))


def test_bench_usage_errors_exit_2(tmp_path):
    assert bench("funcqa-oh", "--tasks", "kamel-30") == 2
    assert bench("funcqa-oh", "--method", "nope", "--runs", str(tmp_path)) == 2
    assert bench("all", "--tasks", "nope", "--out-dir", str(tmp_path)) == 2


# ---------------------------------------------------------------- scoring and data


def test_numeric_match():
    assert numeric_match("32040", 32040.0)
    assert numeric_match("100.05", 100)  # within 0.1%
    assert not numeric_match("101", 100)
    assert numeric_match("0.394", 0.3936)  # equal after rounding to 2 decimals
    assert numeric_match("32.38", "32.38")
    assert not numeric_match("", 1) and not numeric_match("abc", 1) and not numeric_match("1", None)


def test_kamel_match():
    record = {"api": "P17", "answer": [{"chosen": "Japan", "alternative": ["Nippon"]}]}
    assert kamel_match(record, Generation("q", "It is in nippon.", "It is in nippon."))
    assert kamel_match(record, Generation("q", "x", "x", [ToolCall("P17", {"subject": "Kyoto"}, None, "err")]))
    assert not kamel_match(record, Generation("q", "France", "France", [ToolCall("P59", {}, "Orion")]))


def test_gsm8k_questions_use_the_enlarged_numbers():
    task = get_task("gsm8k-xl")
    records = read_records(task.test_file)
    first = question_of(task, records[0])
    assert first.startswith("Janet\u2019s ducks lay 4096 eggs per day") and "{v_" not in first
    assert all("{v_" not in question_of(task, r) for r in records)


def test_synthetic_word_problems_are_seeded_and_correct():
    problems = synthetic_word_problems(50, seed=3)
    assert problems == synthetic_word_problems(50, seed=3)
    tools = by_name(get_toolset("gsm8k-xl").tools)
    for record in problems:
        demo = from_markup(record["text"])
        assert demo.text.startswith("Q: ") and "\nA: " in demo.text and 1 <= len(demo.calls) <= 3
        for call in demo.calls:
            written = f"{call.tool}({call.arguments})="
            assert finish_call(written, tools)[0] == written + demo.text[call.start : call.end].strip()


# ---------------------------------------------------------------- icl text calls


def test_finish_call_appends_the_result():
    tools = by_name(get_toolset("gsm8k-xl").tools)
    text, call = finish_call("So 2+3 is add(2, 3)=", tools)
    assert text == "So 2+3 is add(2, 3)=5" and call.result == "5" and call.arguments == {"numbers": [2, 3]}
    assert finish_call("add(2, 3)=5 then", tools) == ("add(2, 3)=5 then", None)  # no call is due
    assert finish_call("power(2, 3)=", tools) == ("power(2, 3)=", None)  # not a tool of this set
    text, call = finish_call("divide(1, 0)=", tools)
    assert text == "divide(1, 0)=" and "division by zero" in call.error
    assert call_pattern(("P17", "P1701")).search('P1701("x")=').group(1) == "P1701"


def test_icl_examples_show_the_tools_true_results():
    tools = by_name(get_toolset("funcqa").tools)
    for example in MATH_EXAMPLES:
        for m in call_pattern(tuple(tools)).finditer(example.icl):
            extended, call = finish_call(example.icl[: m.end()], tools)
            assert call.error is None and example.icl.startswith(extended), extended


def test_icl_prompt_caps_the_tool_list():
    text, listed, described = tool_list(get_task("kamel-30").toolset.tools)
    assert listed == 30 and described
    tools = get_task("kamel-234").toolset.tools
    text, listed, described = tool_list(tools)
    assert not described and len(text) <= baselines.ICL_MAX_TOOL_CHARS and listed == 234
    assert len(tool_list(tools, 1000)[0]) <= 1000
    prompt = build_prompt("icl", get_task("kamel-234").toolset, "Who?")
    assert prompt.endswith("Question: Who?\nAnswer:") and 'P17("Kyoto")=Japan' in prompt
    assert "power(" not in build_prompt("icl", get_toolset("gsm8k-xl"), "q")  # only the set's tools


def test_complete_runs_calls_and_goes_on(tiny_backbone, monkeypatch):
    tok = tiny_backbone[1]
    script = iter(["So add(2, 3)= and more", " apples.\nQ: next"])

    def fake_decode(model, rows, max_new, stops, cfg, tool_mask=None, generator=None, caches=None):
        out = []
        for stop in stops:
            text = next(script)
            cut = stop(text)
            out.append((tok(text if cut is None else text[:cut], add_special_tokens=False).input_ids, None))
        return out

    monkeypatch.setattr(baselines, "decode", fake_decode)
    toolset = get_toolset("gsm8k-xl")
    model = ToolkenModel.create(toolset, init="random", backbone=tiny_backbone)
    [(text, calls)] = complete(model, ["Q: x\nA:"], toolset.tools, GenerationConfig())
    assert text == "So add(2, 3)=5 apples." and [c.result for c in calls] == ["5"]


def test_complete_in_batches_equals_one_by_one(tiny_backbone):
    toolset = get_toolset("gsm8k-xl")
    model = ToolkenModel.create(toolset, init="random", backbone=tiny_backbone)
    prompts = [build_prompt("icl", toolset, q) for q in ("How many?", "What is 3 plus 4 times 2?", "Why not?")]
    cfg = GenerationConfig(max_new_tokens=12, batch_size=2)
    one = [complete(model, [p], toolset.tools, GenerationConfig(max_new_tokens=12))[0] for p in prompts]
    assert complete(model, prompts, toolset.tools, cfg) == one


def test_ordering_table_checks_the_papers_claim():
    from toolken.bench import ORDERING, ordering_table

    def result(task, method, acc):
        return {"task": task, "method": method, "metrics": {"accuracy": acc}}

    results = [result("a", m, v) for m, v in zip(ORDERING, (0.6, 0.5, 0.5, 0.1))]
    results += [result("b", m, v) for m, v in zip(ORDERING, (0.2, 0.5, 0.4, 0.1))]
    results += [result("c", m, v) for m, v in zip(ORDERING, (0.6, 0.5, 0.4, 0.1))]
    results.append(result("d", "cot", 0.3))  # incomplete: no row
    lines = ordering_table(results).splitlines()
    assert lines[2].startswith("| a | 0.600 |") and lines[2].endswith("| tied |")
    assert lines[3].startswith("| b |") and lines[3].endswith("| no |")
    assert lines[4].endswith("| yes |") and len(lines) == 5


def test_virtualhome_heads_never_train_or_validate_on_the_test_plans():
    from toolken.bench import _training_records, task_records

    task = get_task("virtualhome")
    training = [r["text"] for r in _training_records(task)]
    assert task.n_val is None and len(training) == 200  # validation: a seeded 10% of these
    questions = [question_of(task, r) for r in task_records(task)]
    assert len(questions) == 47
    assert not any(t.startswith(q) for q in questions for t in training)


def test_a_head_is_retrained_when_its_training_data_or_split_changes(tiny_model_dir, tiny_backbone, tmp_path):
    from toolken.bench import train_or_load

    task = get_task("kamel-30")
    args = ("toolken-random", str(tiny_model_dir), tiny_backbone, tmp_path)
    _, first, _ = train_or_load(task, *args, train_limit=int(TRAIN_LIMIT))
    task.n_val = 5  # another validation split
    _, second, reused = train_or_load(task, *args, train_limit=int(TRAIN_LIMIT))
    assert second != first and not reused


def test_kamel_validates_on_held_out_records_in_the_form_of_a_test_question():
    from toolken.bench import _split, _training_records
    from toolken.data import kamel_question_only
    from toolken.training import split_demos

    task = get_task("kamel-30")
    records = list({r["text"]: r for r in _training_records(task)}.values())
    train_records, val_records = _split(task, records, seed=0)
    assert len(val_records) == math.ceil(len(records) / 10)
    _, val_idx = split_demos(len(records), 0.1, 0)
    held_out = {r["text"] for i in val_idx for r in (records[i], kamel_question_only(records[i])) if r}
    assert {r["text"] for r in val_records} <= held_out
    assert not held_out & {r["text"] for r in train_records}  # no held-out record trains, in either form
    short = [r for r in val_records if r not in records]  # cut to their opening question
    assert len(short) > len(val_records) / 2 and all(r["text"].count("?") == 1 for r in short)
    assert len(train_records) > len(records) - len(val_records)  # the training records also in short form


def test_every_kamel_relation_also_trains_on_questions_in_its_docs_words():
    from toolken.bench import DOC_EXAMPLES, _kamel_doc_demos, _split, _training_records, task_demos
    from toolken.data import DOC_QUESTIONS

    task = get_task("kamel-30")
    train_records, val_records = _split(task, _training_records(task), seed=0)
    doc = _kamel_doc_demos(task, train_records)
    demos, val = task_demos(task)
    assert demos[-len(doc) :] == doc and val[0].text  # the training demos end with them
    by_tool = {t.name: [d for d in doc if d.calls[0].tool == t.name] for t in task.toolset.tools}
    assert all(len(DOC_QUESTIONS) <= len(ds) <= DOC_EXAMPLES * len(DOC_QUESTIONS) for ds in by_tool.values())
    # active_industries has one synthetic sentence; it is still asked about in its own words
    assert by_tool["P452"][0].text.startswith("Question: What is the active industries of ")
    # the subjects come from the training records, never from the validation split
    trained = "".join(r["call"][0] for r in train_records)
    assert all(json.loads(d.calls[0].arguments) in trained for d in doc)


def test_subsets_script_splits_a_runs_accuracy(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    correct = [True, False, True, True, False]  # first 2: 1 of 2; the rest: 2 of 3
    lines = [json.dumps({"question": f"q{i}", "correct": c}) for i, c in enumerate(correct)]
    (tmp_path / "kamel-30__toolken-name.outputs.jsonl").write_text("\n".join(lines) + "\n")
    script = Path(__file__).parent.parent / "benchmarks" / "subsets.py"
    args = [sys.executable, str(script), str(tmp_path), "--task", "kamel-30", "--first", "2"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    assert "| toolken-name | 0.500 (n=2) | 0.667 (n=3) | 0.600 (n=5) |" in out
    assert "toolken-random" not in out  # only the methods the run has


def test_paired_script_tests_each_step_of_the_ordering(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    def write(method, correct, task="kamel-30"):
        lines = [json.dumps({"question": f"q{i}", "correct": c}) for i, c in enumerate(correct)]
        (tmp_path / f"{task}__{method}.outputs.jsonl").write_text("\n".join(lines) + "\n")

    write("toolken-description-reg", [True] * 7 + [False])  # 6 right where random is wrong, 1 vice versa
    write("toolken-random", [True, False, False, False, False, False, False, True])
    write("icl", [True] + [False] * 7)
    script = Path(__file__).parent.parent / "benchmarks" / "paired.py"
    run = [sys.executable, str(script), str(tmp_path)]
    out = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    # exact McNemar: 6 vs 1 discordant, two-sided binomial p = 16/128
    assert "| kamel-30 | toolken-description-reg vs toolken-random | 8 | 6 | 1 | +0.625 | 0.125 |" in out
    assert "| kamel-30 | toolken-random vs icl | 8 | 1 | 0 | +0.125 | 1 |" in out
    assert "icl vs cot" not in out  # only the pairs the run has
    write("cot", [False] * 3)  # a run over other questions is an error, not a row
    bad = subprocess.run(run, capture_output=True, text=True)
    assert bad.returncode == 2 and "same questions" in bad.stderr


def _script(name: str):
    """Import a script of benchmarks/ as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_head_geometry_of_rows_and_priors():
    import math

    import torch

    geometry = _script("head_geometry").geometry
    w = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # pair cosines 0, .707, .707
    g = geometry(w, 2 * w)
    assert g["toolken_mean"] == pytest.approx(math.sqrt(2) / 3)
    assert g["toolken_nearest"] == pytest.approx(1 / math.sqrt(2))
    assert g["prior_mean"] == pytest.approx(g["toolken_mean"]) and g["to_prior"] == pytest.approx(1.0)
    assert g["prior_norm"] == pytest.approx(2 * g["toolken_norm"])
    random = geometry(w, torch.zeros_like(w))  # a random head's prior is zero: no direction to compare
    assert math.isnan(random["to_prior"]) and math.isnan(random["prior_mean"]) and random["prior_norm"] == 0


def test_head_geometry_reads_the_cached_heads(tiny_model_dir, tiny_backbone, tmp_path, capsys):
    from toolken.bench import train_or_load

    train_or_load(
        get_task("kamel-30"), "toolken-name", str(tiny_model_dir), tiny_backbone, tmp_path, train_limit=int(TRAIN_LIMIT)
    )
    args = ["--tasks", "kamel-30", "--methods", "toolken-name", "toolken-random", "--runs", str(tmp_path)]
    assert _script("head_geometry").main([*args, "--model", str(tiny_model_dir), "--train-limit", TRAIN_LIMIT]) == 0
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if line.startswith("| kamel-30 | toolken-name |"))
    assert row.split("|")[4].strip() != "- / -"  # a name prior has a direction, unlike a random head's
    assert "no cached head for kamel-30 x toolken-random" in err  # never trains one
