"""The benchmark on the tiny model: every task x method through `toolken bench`, head reuse, `bench all`
and its report; scoring, GSM8K-XL questions, synthetic training data and the icl text calls."""

import gzip
import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from conftest import dies_at_chunk, scripted_decode

from toolken.cli import main
from toolken.config import Init
from toolken.demonstrations import from_markup, read_records
from toolken.execution import ToolCall
from toolken.generation import Generation, GenerationConfig, call_pattern, finish_call, generate
from toolken.head import ToolkenModel
from toolken.tools import by_name
from toolken_bench import baselines
from toolken_bench.baselines import MATH_EXAMPLES, build_prompt, tool_list
from toolken_bench.runner import METHODS, REG_GRID, TOOLKEN_METHODS, BenchSettings, train_or_load
from toolken_bench.tasks import (
    TASKS,
    get_task,
    kamel_match,
    numeric_match,
    question_of,
    synthetic_word_problems,
)
from toolken_bench.toolsets import get_toolset

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"

TRAIN_LIMIT = "20"  # quick heads: the tests check the plumbing, not accuracy


def bench(*args: str) -> int:
    return main(["bench", *args])


# every task runs the papers' methods; the further inits run on two tasks (tests/bench/test_priors_bench.py)
PAPER_METHODS = [m for m in METHODS if m not in TOOLKEN_METHODS or m.split("-")[1] in ("random", "name", "description")]


@pytest.mark.parametrize("method", PAPER_METHODS)
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
    cfg = BenchSettings(str(tiny_model_dir), runs=tmp_path, train_limit=int(TRAIN_LIMIT))
    fresh, folder, reused = train_or_load(get_task(task), "toolken-random", cfg, tiny_backbone)
    again, same, reused_again = train_or_load(get_task(task), "toolken-random", cfg, tiny_backbone)
    assert (reused, reused_again, same) == (False, True, folder)
    assert all(t.function is not None for t in again.tools)
    assert [t.name for t in again.tools] == [t.name for t in fresh.tools]
    # benchmark heads learn from exact float32 statistics whatever the CPU (never the "auto" bf16),
    # with their family's recipe (KAMEL: smaller steps for longer, every relation weighing alike)
    arguments = again.training.arguments
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
    monkeypatch.setattr("toolken_bench.runner.run", lambda *a, **k: pytest.fail("reran a finished pair"))
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
    tools, cfg = by_name(get_toolset("gsm8k-xl").tools), GenerationConfig()
    for record in problems:
        demo = from_markup(record["text"])
        assert demo.text.startswith("Q: ") and "\nA: " in demo.text and 1 <= len(demo.calls) <= 3
        for call in demo.calls:
            written = f"{call.tool}({call.arguments})="
            assert finish_call(written, tools, cfg)[0] == written + demo.text[call.start : call.end].strip()


# ---------------------------------------------------------------- icl text calls


def test_finish_call_appends_the_result():
    tools, cfg = by_name(get_toolset("gsm8k-xl").tools), GenerationConfig()
    text, call = finish_call("So 2+3 is add(2, 3)=", tools, cfg)
    assert text == "So 2+3 is add(2, 3)=5" and call.result == "5" and call.arguments == {"numbers": [2, 3]}
    assert finish_call("add(2, 3)=5 then", tools, cfg) == ("add(2, 3)=5 then", None)  # no call is due
    assert finish_call("power(2, 3)=", tools, cfg) == ("power(2, 3)=", None)  # not a tool of this set
    text, call = finish_call("divide(1, 0)=", tools, cfg)
    assert text == "divide(1, 0)=" and "division by zero" in call.error
    assert call_pattern(("P17", "P1701")).search('P1701("x")=').group(1) == "P1701"


def test_icl_examples_show_the_tools_true_results():
    tools = by_name(get_toolset("funcqa").tools)
    for example in MATH_EXAMPLES:
        for m in call_pattern(tuple(tools)).finditer(example.icl):
            extended, call = finish_call(example.icl[: m.end()], tools, GenerationConfig())
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


def _icl_head(toolset, backbone) -> ToolkenModel:
    """The icl baseline's model: no toolkens, the tool set's format (as `baselines.answer` builds it)."""
    return ToolkenModel.create(replace(toolset, tools=[]), init=Init.RANDOM, backbone=backbone)


def test_icl_text_calls_run_tools_and_go_on(tiny_backbone, monkeypatch):
    scripted_decode(monkeypatch, tiny_backbone[1], ["So add(2, 3)= and more", " apples.\nQ: next"])
    toolset = get_toolset("gsm8k-xl")
    model = _icl_head(toolset, tiny_backbone)
    [g] = generate(model, ["x"], GenerationConfig(), prompts=["Q: x\nA:"], text_tools=toolset.tools)
    assert g.text == "So add(2, 3)=5 apples." and [c.result for c in g.calls] == ["5"]


def test_icl_in_batches_equals_one_by_one(tiny_backbone):
    toolset = get_toolset("gsm8k-xl")
    model = _icl_head(toolset, tiny_backbone)
    questions = ["How many?", "What is 3 plus 4 times 2?", "Why not?"]
    prompts = [build_prompt("icl", toolset, q) for q in questions]
    cfg = GenerationConfig(max_new_tokens=12, batch_size=2)
    one = [
        generate(model, [q], GenerationConfig(max_new_tokens=12), prompts=[p], text_tools=toolset.tools)[0]
        for q, p in zip(questions, prompts)
    ]
    batched = generate(model, questions, cfg, prompts=prompts, text_tools=toolset.tools)
    assert [g.to_dict() for g in batched] == [g.to_dict() for g in one]


def test_baseline_answers_run_icl_calls_and_read_the_answer_off_the_text(tiny_backbone, monkeypatch):
    seen = {}

    def fake_generate(model, questions, cfg, prompts=None, text_tools=()):
        seen.update(tools=[t.name for t in text_tools], prompt=prompts[0], n_toolkens=len(model.tools))
        calls = [ToolCall("add", {"numbers": [2, 3]}, "5")]
        return [Generation(q, "add(2, 3)=5 so 7", "5", calls) for q in questions]

    monkeypatch.setattr(baselines, "generate", fake_generate)
    toolset = get_toolset("gsm8k-xl")
    gens, settings = baselines.answer("icl", toolset, ["What is 3 plus 4?"], tiny_backbone)
    assert seen["tools"] == toolset.tool_names and seen["n_toolkens"] == 0
    assert seen["prompt"] == build_prompt("icl", toolset, "What is 3 plus 4?")
    assert gens[0].answer == "7" and settings["tools_listed"] == 4  # the text's last number, not the call's
    baselines.answer("cot", toolset, ["q"], tiny_backbone)
    assert seen["tools"] == []  # cot calls nothing


def test_ordering_table_checks_the_papers_claim():
    from toolken_bench.report import ORDERING, ordering_table

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
    from toolken_bench.tasks import _training_records, task_records

    task = get_task("virtualhome")
    training = [r["text"] for r in _training_records(task)]
    assert task.n_val is None and len(training) == 200  # validation: a seeded 10% of these
    questions = [question_of(task, r) for r in task_records(task)]
    assert len(questions) == 47
    assert not any(t.startswith(q) for q in questions for t in training)


def test_a_head_is_retrained_when_its_training_data_or_split_changes(tiny_model_dir, tiny_backbone, tmp_path):
    task = get_task("kamel-30")
    cfg = BenchSettings(str(tiny_model_dir), runs=tmp_path, train_limit=int(TRAIN_LIMIT))
    _, first, _ = train_or_load(task, "toolken-random", cfg, tiny_backbone)
    task.n_val = 5  # another validation split
    _, second, reused = train_or_load(task, "toolken-random", cfg, tiny_backbone)
    assert second != first and not reused


def test_kamel_validates_on_held_out_records_in_the_form_of_a_test_question():
    from toolken.training import split_demos
    from toolken_bench.records import kamel_question_only
    from toolken_bench.tasks import _split, _training_records

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
    from toolken_bench.tasks import DOC_EXAMPLES, DOC_QUESTIONS, _kamel_doc_demos, _split, _training_records, task_demos

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


def _write_outputs(folder: Path, task: str, method: str, correct: list[bool], gzipped: bool = False) -> Path:
    """Per-question outputs of a run, as `bench all` writes them (or gzipped, as BENCHMARKS keeps them)."""
    text = "".join(json.dumps({"question": f"q{i}", "correct": c}) + "\n" for i, c in enumerate(correct))
    path = folder / f"{task}__{method}.outputs.jsonl"
    if gzipped:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def _script(name: str):
    """Import a script of benchmarks/ as a module."""
    import importlib.util

    path = BENCHMARKS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_script(capsys, name: str, *args) -> tuple[int, str, str]:
    """Run a script's `main` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = _script(name).main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("gzipped", [False, True])
def test_subsets_script_splits_a_runs_accuracy(tmp_path, gzipped, capsys):
    correct = [True, False, True, True, False]  # first 2: 1 of 2; the rest: 2 of 3
    _write_outputs(tmp_path, "kamel-30", "toolken-name", correct, gzipped)
    code, out, _ = _run_script(capsys, "subsets", tmp_path, "--task", "kamel-30", "--first", "2")
    assert code == 0 and "| toolken-name | 0.500 (n=2) | 0.667 (n=3) | 0.600 (n=5) |" in out
    assert "toolken-random" not in out  # only the methods the run has


def test_subsets_script_prefers_the_plain_outputs(tmp_path, capsys):
    _write_outputs(tmp_path, "kamel-30", "icl", [True, True], gzipped=True)
    _write_outputs(tmp_path, "kamel-30", "icl", [False, True])
    _, out, _ = _run_script(capsys, "subsets", tmp_path, "--task", "kamel-30", "--first", "1")
    assert "| icl | 0.000 (n=1) | 1.000 (n=1) | 0.500 (n=2) |" in out


@pytest.mark.parametrize("gzipped", [False, True])
def test_paired_script_tests_each_step_of_the_ordering(tmp_path, gzipped, capsys):
    def write(method, correct, task="kamel-30"):
        _write_outputs(tmp_path, task, method, correct, gzipped)

    write("toolken-description-reg", [True] * 7 + [False])  # 6 right where random is wrong, 1 vice versa
    write("toolken-random", [True, False, False, False, False, False, False, True])
    _write_outputs(tmp_path, "kamel-30", "icl", [True] + [False] * 7, gzipped=not gzipped)  # plain and gz mix
    code, out, _ = _run_script(capsys, "paired", tmp_path)
    assert code == 0
    # exact McNemar: 6 vs 1 discordant, two-sided binomial p = 16/128
    assert "| kamel-30 | toolken-description-reg vs toolken-random | 8 | 6 | 1 | +0.625 | 0.125 |" in out
    assert "| kamel-30 | toolken-random vs icl | 8 | 1 | 0 | +0.125 | 1 |" in out
    assert "icl vs cot" not in out  # only the pairs the run has
    write("cot", [False] * 3)  # a run over other questions is an error, not a row
    code, _, err = _run_script(capsys, "paired", tmp_path)
    assert code == 2 and "same questions" in err


def test_paired_script_prefers_the_plain_outputs(tmp_path, capsys):
    _write_outputs(tmp_path, "kamel-30", "icl", [True, True])
    _write_outputs(tmp_path, "kamel-30", "cot", [False, False, False], gzipped=True)  # another run's leftover
    _write_outputs(tmp_path, "kamel-30", "cot", [True, False])
    code, out, _ = _run_script(capsys, "paired", tmp_path)
    assert code == 0 and "| kamel-30 | icl vs cot | 2 | 1 | 0 | +0.500 | 1 |" in out


def test_the_committed_gzipped_results_read_back(capsys):
    run = BENCHMARKS / "results-bench" / "kamel-full"
    if not any(run.glob("*.outputs.jsonl.gz")):
        pytest.skip("no gzipped per-question outputs in benchmarks/results-bench")
    code, out, _ = _run_script(capsys, "paired", run)
    assert code == 0 and "| kamel-30 | toolken-description-reg vs toolken-random | 500 |" in out
    code, out, _ = _run_script(capsys, "subsets", run, "--task", "kamel-30", "--first", "100")
    assert code == 0 and "| cot | " in out and "(n=500) |" in out


HELP_DRIVER = """
import runpy, sys
for path in sys.argv[1:]:
    sys.argv = [path, "--help"]
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        print(f"{path} exit {e.code}")
"""


def test_every_benchmark_script_runs_with_help():
    scripts = sorted(BENCHMARKS.glob("*.py"))
    assert {p.stem for p in scripts} >= {"head_geometry", "paired", "recipe", "robustness", "speed", "subsets"}
    command = [sys.executable, "-c", HELP_DRIVER, *map(str, scripts)]
    r = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    for path in scripts:
        assert f"{path} exit 0" in r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
    assert r.stdout.count("usage: ") == len(scripts)


def test_head_geometry_of_rows_and_priors():
    import math

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
    cfg = BenchSettings(str(tiny_model_dir), runs=tmp_path, train_limit=int(TRAIN_LIMIT))
    train_or_load(get_task("kamel-30"), "toolken-name", cfg, tiny_backbone)
    args = ["--tasks", "kamel-30", "--methods", "toolken-name", "toolken-random", "--runs", str(tmp_path)]
    assert _script("head_geometry").main([*args, "--model", str(tiny_model_dir), "--train-limit", TRAIN_LIMIT]) == 0
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if line.startswith("| kamel-30 | toolken-name |"))
    assert row.split("|")[4].strip() != "- / -"  # a name prior has a direction, unlike a random head's
    assert "no cached head for kamel-30 x toolken-random" in err  # never trains one


def test_bench_takes_device_and_dtype(tiny_model_dir, tmp_path, cache_dir, capsys):
    out = tmp_path / "result.json"
    args = ["funcqa-oh", "--method", "toolken-random", "--model", str(tiny_model_dir), "--limit", "1"]
    args += ["--runs", str(tmp_path / "runs"), "--train-limit", TRAIN_LIMIT, "--out", str(out)]
    assert bench(*args, "--device", "cpu", "--dtype", "bfloat16") == 0
    assert json.loads(out.read_text())["n"] == 1
    capsys.readouterr()
    assert bench("toolsel", "--data", "metatool", "--device", "mps") == 2
    assert "runs on the CPU" in capsys.readouterr().err
    if not torch.cuda.is_available():
        assert bench(*args, "--device", "cuda") == 2
        assert "--device" in capsys.readouterr().err


def test_backbones_script_puts_runs_side_by_side(tmp_path, capsys):
    for label, accuracy in (("a", 0.25), ("b", 0.5)):
        (tmp_path / label).mkdir()
        result = {"task": "kamel-30", "method": "icl", "n": 4, "metrics": {"accuracy": accuracy}}
        (tmp_path / label / "kamel-30__icl.json").write_text(json.dumps(result))
    (tmp_path / "b" / "kamel-30__cot.json").write_text(json.dumps({"n": 2, "metrics": {"accuracy": 1.0}}))
    code, out, _ = _run_script(capsys, "backbones", f"A={tmp_path / 'a'}", f"B={tmp_path / 'b'}", "--task", "kamel-30")
    assert code == 0 and "| kamel-30 | icl | 0.250 (n=4) | 0.500 (n=4) |" in out
    assert "| kamel-30 | cot | - | 1.000 (n=2) |" in out and "toolken-random" not in out
    assert _run_script(capsys, "backbones", "nofolder", "--task", "kamel-30")[0] == 2
    # one backbone's results in several folders: the first that holds a pair
    code, out, _ = _run_script(capsys, "backbones", f"AB={tmp_path / 'a'},{tmp_path / 'b'}", "--task", "kamel-30")
    assert "| kamel-30 | icl | 0.250 (n=4) |" in out and "| kamel-30 | cot | 1.000 (n=2) |" in out


@pytest.mark.parametrize("method", ["toolken-random", "icl"])
def test_a_run_killed_part_way_resumes_from_its_saved_answers(
    method, tiny_model_dir, tiny_backbone, tmp_path, monkeypatch
):
    from toolken_bench import checkpoint, runner

    monkeypatch.setattr(checkpoint, "CHUNK", 2)
    cfg = BenchSettings(str(tiny_model_dir), limit=5, runs=tmp_path / "runs", train_limit=int(TRAIN_LIMIT))
    partial = tmp_path / "r.partial.jsonl"
    module = runner if method.startswith("toolken") else baselines
    real = module.generate
    asked = dies_at_chunk(module, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        runner.run("funcqa-oh", method, cfg, tiny_backbone, partial)
    assert len(partial.read_text().splitlines()) == 1 + 4  # the key, then two chunks of two answers
    asked.clear()
    resumed = runner.run("funcqa-oh", method, cfg, tiny_backbone, partial)
    assert asked == [1]  # only the fifth question is answered again
    monkeypatch.setattr(module, "generate", real)
    fresh = runner.run("funcqa-oh", method, cfg, tiny_backbone)
    assert resumed["outputs"] == fresh["outputs"] and resumed["metrics"] == fresh["metrics"]
    other = replace(cfg, limit=4)  # another run's saved answers are not taken
    asked = dies_at_chunk(module, monkeypatch)
    runner.run("funcqa-oh", method, other, tiny_backbone, partial)
    assert asked == [2, 2]


def test_a_call_refused_as_a_repeat_is_not_an_argument_error():
    from toolken.toolmode import REPEATED_CALL
    from toolken_bench.runner import is_argument_error

    assert not is_argument_error({"tool": "add", "arguments": None, "result": None, "error": REPEATED_CALL})
    assert is_argument_error({"tool": "add", "arguments": None, "result": None, "error": "add: bad arguments"})
    assert not is_argument_error({"tool": "add", "arguments": {"x": 1}, "result": "1", "error": None})


def test_file_plus_synth_heads_learn_from_the_whole_file_and_synthesized_demos(tiny_model_dir, tmp_path):
    from toolken_bench.runner import FILE_SYNTH_PER_TOOL, head_plan

    task = get_task("funcqa-oh")
    file_cfg = BenchSettings(str(tiny_model_dir), runs=tmp_path, train_limit=int(TRAIN_LIMIT))
    both_cfg = replace(file_cfg, train_data="file+synth")
    folder, file_demos, file_val, file_args = head_plan(task, "toolken-random", file_cfg)
    both_folder, demos, val, args = head_plan(task, "toolken-random", both_cfg)
    n_tools = len(task.toolset.tools)
    assert folder != both_folder  # a head of its own
    assert demos[: len(file_demos)] == file_demos and len(demos) > len(file_demos) + (len(file_val or [])) + n_tools
    assert all(d not in file_demos for d in val) and len(val) >= n_tools * max(3, FILE_SYNTH_PER_TOOL // 4) // 2
    assert (file_args.bias, args.bias) == ("auto", "eager")  # validated as `toolken train --data F --synth N` is


def test_bfcl_slice_writes_a_range_of_questions_with_their_answers(tmp_path, capsys):
    from toolken_bench.bfcl import category_files, load_questions

    code, out, _ = _run_script(capsys, "bfcl_slice", "parallel", 3, 6, "--out", tmp_path)
    assert code == 0 and "3 questions" in out
    sliced = load_questions(tmp_path / "parallel-3-6.json", tmp_path / "parallel-3-6.answers.json")
    whole = load_questions(*category_files("parallel"), limit=6)
    assert [q.id for q in sliced] == [q.id for q in whole[3:6]]
    assert [q.ground_truth for q in sliced] == [q.ground_truth for q in whole[3:6]]


def test_bfcl_slice_writes_the_questions_of_listed_ids_across_categories(tmp_path, capsys):
    from toolken_bench.bfcl import load_questions

    (tmp_path / "few.txt").write_text("parallel_4\nirrelevance_0\nsimple_python_1\nlive_relevance_1-1-0\n")
    code, out, _ = _run_script(capsys, "bfcl_slice", "--ids", tmp_path / "few.txt", "--out", tmp_path)
    assert code == 0 and "3 questions" in out and "left out 1 live_relevance" in out  # right with any call
    sliced = load_questions(tmp_path / "few.json", tmp_path / "few.answers.json")
    assert sorted(q.id for q in sliced) == ["irrelevance_0", "parallel_4", "simple_python_1"]
    assert next(q.ground_truth for q in sliced if q.id == "irrelevance_0") == []  # right with no call
