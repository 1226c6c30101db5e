"""Tool selection in the harness: catalogs and their splits, the BM25 / dense baselines, multi-label rows
for the toolken head, and the `toolken bench toolsel` / `toolken bench awareness` commands on the tiny
model. (The library's ranking, prior map and awareness decisions: tests/test_ranking.py.)"""

import json

import pytest
import torch

from toolken.cli import main
from toolken.head import ToolkenModel
from toolken.priors import output_embeddings
from toolken.ranking import query_states
from toolken.tools import Tool
from toolken.training import full_softmax_loss, toolken_loss
from toolken_bench.catalogs import (
    Query,
    distractor_tools,
    load_awareness,
    load_catalog,
    load_metatool,
    load_numpybank,
    metatool_tools,
    safe_name,
    toolbank_tools,
)
from toolken_bench.retrieval import DenseRetriever, bm25_scores
from toolken_bench.selection import gold_indices, labelled

TOOLS = [
    Tool("weather", "Get the weather forecast for a city"),
    Tool("stocks", "Stock prices and market quotes"),
    Tool("recipes", "Find cooking recipes and ingredients"),
]


# ---------------------------------------------------------------- catalogs


def test_metatool_splits_are_disjoint_seeded_and_keep_awareness_queries_out():
    a, b = load_metatool(seed=0), load_metatool(seed=0)
    assert [q.text for q in a.test] == [q.text for q in b.test]
    assert [q.text for q in load_metatool(seed=1).test] != [q.text for q in a.test]
    train, val, test = ({(q.text, q.tools[0]) for q in part} for part in (a.train, a.val, a.test))
    assert not (train & test) and not (train & val) and not (val & test)
    names = {t.name for t in a.tools}
    assert len(names) == 199 and all(q.tools[0] in names for q in a.train + a.test)
    reserved = {q.text for part in load_awareness() for q in part}
    assert not reserved & {q.text for q in a.train + a.val + a.test}


def test_awareness_split_has_both_kinds_and_valid_tool_names():
    names = {t.name for t in metatool_tools()}
    parts = load_awareness(seed=0)
    assert sum(map(len, parts)) == 1040
    for part in parts:
        assert any(q.tools for q in part) and any(not q.tools for q in part)
        assert all(q.tools[0] in names for q in part if q.tools)


def test_numpybank_is_multi_label_over_its_catalog():
    cat = load_numpybank(seed=0)
    names = {t.name for t in cat.tools}
    assert len(cat.train) + len(cat.val) + len(cat.test) == 1998
    assert all(len(q.tools) >= 2 and set(q.tools) <= names for q in cat.test)


def test_kamel_training_queries_stop_before_the_answer():
    cat = load_catalog("kamel")
    assert len(cat.tools) == 234 and len(cat.test) == 500
    q = next(q for q in cat.train if q.text.startswith("When did Stephen Hawking"))
    assert q.text.endswith("passed away in") and q.tools == ["P570"]


def test_safe_names_and_distractors():
    assert safe_name("PDF&URLTool") == "PDF_URLTool"
    assert any(t.title == "PDF&URLTool" for t in metatool_tools())
    numpy_names = {t.name for t in toolbank_tools("numpy")}
    extra = distractor_tools(numpy_names)
    assert len({t.name for t in extra}) == len(extra) > 2000
    assert not numpy_names & {t.name for t in extra}


def test_unknown_selection_data_is_a_data_error():
    from toolken.demonstrations import DataError

    with pytest.raises(DataError, match="unknown selection data"):
        load_catalog("nope")


# ---------------------------------------------------------------- ranking and baselines


def test_bm25_ranks_the_matching_tool_first():
    s = bm25_scores(["weather forecast for paris", "a recipe with ingredients"], TOOLS)
    assert s.shape == (2, 3)
    assert s.argmax(1).tolist() == [0, 2]
    assert bm25_scores([], TOOLS).shape == (0, 3)


def test_dense_retriever_ranks_the_matching_tool_first():
    s = DenseRetriever().scores(["Will it rain in Paris tomorrow?", "How do I bake bread?"], TOOLS)
    assert s.argmax(1).tolist() == [0, 2]


# ---------------------------------------------------------------- toolken rows


def test_labelled_rows_give_the_exact_full_softmax_loss(tiny_backbone, cache_dir):
    head = ToolkenModel.create(TOOLS, backbone=tiny_backbone)
    queries = [Query("rain in paris", ["weather", "stocks"]), Query("hello there", [])]
    index = {n: i for i, n in enumerate(head.tool_names)}
    states = query_states(head, [q.text for q in queries], progress=False)
    rows = labelled(states, queries, index, head.vocab_size)
    assert rows.target.tolist()[:2] == [head.vocab_size, head.vocab_size + 1] and len(rows.target) == 3
    w_vocab = output_embeddings(head.lm).float()
    best_word = (rows.h[2] @ w_vocab.T).argmax()  # a no-tool query should keep the model's own word
    targets = torch.tensor([head.vocab_size, head.vocab_size + 1, best_word.item()])
    weight = head.head.weight.detach()
    assert toolken_loss(weight, rows, head.vocab_size).item() == pytest.approx(
        full_softmax_loss(weight, rows.h, targets, w_vocab).item(), rel=1e-4
    )


def test_gold_indices_keep_only_the_asked_group():
    queries = [Query("q", ["b", "c"]), Query("r", ["a"])]
    assert gold_indices(queries, ["a", "b", "c"]) == [[1, 2], [0]]
    assert gold_indices(queries, ["a", "b", "c"], keep={"c"}) == [[2], []]


# ---------------------------------------------------------------- commands on the tiny model


@pytest.mark.parametrize("data", ["metatool", "numpybank", "kamel"])
def test_bench_toolsel_on_the_tiny_model(data, tiny_model_dir, cache_dir, tmp_path, capsys):
    out = tmp_path / "sel.json"
    options = "--limit 12 --train-limit 40 --holdout 0.2 --distractors 30"
    args = ["bench", "toolsel", "--data", data, "--model", str(tiny_model_dir), *options.split(), "--out", str(out)]
    assert main(args) == 0
    result = json.loads(out.read_text())
    assert result["data"] == data and result["n_test"] == 12
    for method in ("toolken", "prior", "bm25", "dense"):
        m = result["methods"][method]
        assert all(0 <= m[k] <= 1 for k in ("recall@1", "recall@3", "recall@5", "ndcg@5"))
        assert m["recall@1"] <= m["recall@3"] <= m["recall@5"]
        assert {"trained", "new"} <= set(m)
    assert result["holdout"]["n_tools"] == round(0.2 * result["n_tools"])
    assert result["scaling"][-1]["n_tools"] == result["n_tools"] + 30
    assert result["prior_map"]["chosen"] != "none"
    assert out.with_suffix(".png").stat().st_size > 1000
    assert "| toolken |" in capsys.readouterr().out


def test_bench_awareness_on_the_tiny_model(tiny_model_dir, cache_dir, tmp_path):
    out = tmp_path / "aware.json"
    options = ["--limit", "20", "--train-limit", "40", "--out", str(out)]
    args = ["bench", "awareness", "--model", str(tiny_model_dir), *options]
    assert main(args) == 0
    result = json.loads(out.read_text())
    assert result["n"] == 20 and result["n_reliability"] == 20
    assert all(0 <= result[k] <= 1 for k in ("precision", "recall", "f1", "false_call_rate", "right_tool"))
    assert result["bias"] in [b / 2 for b in range(-20, 21)]
    assert result["training"]["no_tool_repeat"] in (0, 5, 20, 50)  # chosen on validation accuracy


@pytest.mark.parametrize(
    "args",
    [
        ["bench", "toolsel"],
        ["bench", "toolsel", "--data", "nope"],
        ["bench", "toolsel", "--data", "metatool", "--holdout", "1.5"],
        ["bench", "awareness", "--data", "metatool"],
        ["bench", "funcqa-oh", "--holdout", "0.2"],
        ["bench", "toolsel", "--data", "metatool", "--method", "bogus"],
    ],
)
def test_bench_selection_bad_arguments_exit_2(args, tiny_model_dir, cache_dir, capsys):
    assert main([*args, "--model", str(tiny_model_dir)]) == 2
    err = capsys.readouterr().err
    assert "toolken bench: error:" in err and "Traceback" not in err
