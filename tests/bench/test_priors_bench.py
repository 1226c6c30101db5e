"""The harness's side of the priors: the further methods run end to end, per-tool training subsets,
the low-data script's first-step scoring, and paired tests against another run's folder."""

import json
from types import SimpleNamespace

import pytest
import torch
from test_bench import _run_script, _script, _write_outputs, bench

from toolken.config import Init, RegNorm
from toolken_bench.runner import REG_GRID, TOOLKEN_METHODS, parse_method
from toolken_bench.tasks import get_task, per_tool_sample, record_tool, task_demos

NEW_METHODS = [m for m in TOOLKEN_METHODS if m.split("-")[1] not in ("random", "name", "description")]


@pytest.mark.parametrize("method", NEW_METHODS)
@pytest.mark.parametrize("task", ["funcqa-oh", "kamel-30"])
def test_bench_runs_the_further_inits(task, method, tiny_model_dir, tmp_path, cache_dir):
    out = tmp_path / "result.json"
    args = [task, "--method", method, "--model", str(tiny_model_dir), "--limit", "2", "--runs", str(tmp_path / "r")]
    assert bench(*args, "--train-per-tool", "2", "--out", str(out)) == 0
    result = json.loads(out.read_text())
    assert result["settings"]["init"] == parse_method(method)[0] and result["settings"]["train_per_tool"] == 2


def test_tokenlearning_method_is_its_published_recipe():
    assert parse_method("toolken-tokenlearning") == (Init.TOKENLEARNING, (1e-2,), RegNorm.FROBENIUS)
    assert parse_method("toolken-prototype-name-reg") == ("prototype-name", REG_GRID, RegNorm.SQUARED)
    assert "toolken-tokenlearning-reg" not in TOOLKEN_METHODS
    with pytest.raises(KeyError):
        parse_method("toolken-tokenlearning-reg")


def test_per_tool_sample_keeps_at_most_n_of_each_tool_seeded():
    records = [{"api": f"P{i % 3}", "i": i} for i in range(30)] + [{"api": "P9", "i": 99}]
    two = per_tool_sample(records, 2, seed=0)
    counts = {t: sum(record_tool(r) == t for r in two) for t in ("P0", "P1", "P2", "P9")}
    assert counts == {"P0": 2, "P1": 2, "P2": 2, "P9": 1}  # a tool with fewer keeps all it has
    assert [r["i"] for r in two] == sorted(r["i"] for r in two)  # file order kept
    assert two == per_tool_sample(records, 2, seed=0) and two != per_tool_sample(records, 2, seed=1)


def test_record_tool_reads_kamel_and_funcqa_records():
    assert record_tool({"api": "P17"}) == "P17"
    assert record_tool({"tar_eq": ["<remainder>(5572,3241)=2331<eoe>"]}) == "remainder"
    assert record_tool({"text": "no call", "tar_eq": []}) is None
    assert per_tool_sample([{"text": "no call", "tar_eq": []}, {"api": "P1"}], 1, 0) == [{"api": "P1"}]


@pytest.mark.parametrize("task", ["funcqa-oh", "kamel-30"])
def test_task_demos_per_tool_caps_each_tools_demos(task):
    demos, _ = task_demos(get_task(task), 0, per_tool=1)
    calls = [d.calls[0].tool for d in demos if d.calls]
    tools = {t.name for t in get_task(task).toolset.tools}
    if task == "funcqa-oh":  # one record, one demo per tool
        assert len(calls) == len(set(calls)) and set(calls) <= tools
    else:  # KAMEL adds questions in the doc's words about the sampled record's subject
        assert set(calls) <= tools and len(demos) < 5 * len(tools)


def test_first_decisions_fire_the_best_toolken_only_above_the_best_word():
    low_data = _script("low_data")
    head = SimpleNamespace(
        head=SimpleNamespace(weight=torch.tensor([[1.0, 0.0], [0.0, 1.0]])),
        config=SimpleNamespace(bias=0.5),
        tool_names=["a", "b"],
    )
    states = SimpleNamespace(
        h=torch.tensor([[2.0, 0.0], [0.0, 1.0], [0.0, 1.0]]), word_max=torch.tensor([1.0, 1.0, 2.0])
    )
    assert low_data.first_decisions(head, states) == ["a", "b", None]  # 2.5 > 1, 1.5 > 1, 1.5 < 2
    assert low_data.gold_tool({"api": "P1"}) == "P1"
    assert low_data.gold_tool({"func": "<power>(0.89, 8)=0.3936"}) == "power"


def test_paired_script_tests_chosen_pairs_against_another_folder(tmp_path, capsys):
    new, old = tmp_path / "new", tmp_path / "old"
    new.mkdir(), old.mkdir()
    _write_outputs(new, "kamel-30", "toolken-tokenlearning", [True, True, True, False])
    _write_outputs(old, "kamel-30", "toolken-random", [False, False, True, True])
    code, out, _ = _run_script(
        capsys, "paired", new, "--pair", "toolken-tokenlearning:toolken-random", "--against", old
    )
    assert code == 0 and "| kamel-30 | toolken-tokenlearning vs toolken-random | 4 | 2 | 1 | +0.250 | 1 |" in out
    code, _, err = _run_script(capsys, "paired", new, "--pair", "toolken-tokenlearning")
    assert code == 2 and "A:B" in err
