"""Ranking tools with the toolken head (`toolken.ranking`): query states, Recall@k / NDCG@k, the
zero-shot prior map, and whether a tool is needed at all."""

import math

import pytest
import torch
from conftest import arith_toolset

from toolken.cache import PositionCache
from toolken.head import ToolkenModel
from toolken.ranking import (
    choose_prior_map,
    decision_metrics,
    description_states,
    fires,
    fit_prior_map,
    query_states,
    rank_tools,
    ranking_metrics,
)
from toolken.tools import Tool

TOOLS = [
    Tool("weather", "Get the weather forecast for a city"),
    Tool("stocks", "Stock prices and market quotes"),
    Tool("recipes", "Find cooking recipes and ingredients"),
]


def test_ranking_metrics_by_hand():
    scores = torch.tensor([[0.9, 0.8, 0.1, 0.0], [0.1, 0.2, 0.3, 0.4], [0.0, 0.0, 0.0, 0.0]])
    gold = [[1, 2], [0], []]  # query 3 has no gold tool: not counted
    m = ranking_metrics(scores, gold, ks=(1, 3))
    assert m["n"] == 2
    assert m["recall@1"] == pytest.approx((0 + 0) / 2)
    assert m["recall@3"] == pytest.approx((1.0 + 0) / 2)  # query 1: tools 1, 2 in its top 3 (0, 1, 2)
    ideal = 1 + 1 / math.log2(3)
    assert m["ndcg@3"] == pytest.approx(((1 / math.log2(3) + 1 / math.log2(4)) / ideal + 0) / 2)


def test_query_states_are_in_query_order_and_match_the_lm(tiny_backbone, cache_dir):
    head = ToolkenModel.create(TOOLS, backbone=tiny_backbone)
    texts = ["a much longer request about the weather in a big city", "short one"]
    states = query_states(head, texts, progress=False)
    for i, text in enumerate(texts):
        ids = head.tokenizer(f"Q: {text}\nA:", return_tensors="pt").input_ids
        h = head.lm.base_model(input_ids=ids).last_hidden_state[0, -1].float()
        assert torch.allclose(states.h[i], h, atol=1e-4)


def test_query_states_keep_one_row_per_text_even_for_very_long_requests(tiny_backbone, cache_dir):
    head = ToolkenModel.create(TOOLS, backbone=tiny_backbone)
    head.add_tools([])  # nothing to add is fine
    states = query_states(head, ["short", "word " * 3000, "another"], progress=False)
    assert len(states.target) == 3 and len(head.tools) == 3


def test_fit_prior_map_recovers_a_linear_map():
    g = torch.Generator().manual_seed(0)
    prior = torch.randn(60, 8, generator=g)
    a, c = torch.randn(8, 8, generator=g), torch.randn(8, generator=g)
    mapping = fit_prior_map(prior[:50], prior[:50] @ a + c, strength=1e-6)
    assert torch.allclose(mapping(prior[50:]), prior[50:] @ a + c, atol=1e-3)


def test_choose_prior_map_prefers_a_map_when_raw_priors_are_misaligned():
    g = torch.Generator().manual_seed(0)
    prior = torch.randn(40, 16, generator=g)
    weight = prior @ torch.randn(16, 16, generator=g)  # trained rows: a linear image of the priors
    val_h = weight + 0.01 * torch.randn(40, 16, generator=g)  # one query per tool, close to its row
    gold = [[i] for i in range(40)]
    best, source, mapping, scores = choose_prior_map(weight, {"p": prior}, val_h, gold, folds=4)
    raw = max(v for k, v in scores.items() if "/raw/" in k)
    assert source == "p" and best.startswith("p/ridge") and scores[best] > 0.9 > raw
    cosine = torch.nn.functional.cosine_similarity(mapping(prior), weight, dim=-1)
    assert cosine.min() > 0.99


def test_fires_respects_the_offered_tools_and_decision_metrics():
    h = torch.eye(3)
    states = PositionCache(
        h,
        torch.zeros(3),
        torch.zeros(3),
        torch.full((3,), 0.5),
        torch.zeros(3),
        torch.arange(3),
        torch.ones(3, dtype=torch.bool),
    )
    weight = torch.eye(3)  # query i scores 1 on tool i, 0 elsewhere; best word scores 0.5
    assert fires(states, weight, 0.0).tolist() == [True, True, True]
    assert fires(states, weight, 0.0, offered=[[1, 2], [1], [0, 1]]).tolist() == [False, True, False]
    assert fires(states, weight, -1.0).tolist() == [False, False, False]
    m = decision_metrics(torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False]))
    assert (m["precision"], m["recall"], m["f1"], m["accuracy"]) == (0.5, 0.5, 0.5, 0.5)


def test_rank_tools_orders_by_toolken_score(tiny_backbone, cache_dir):
    head = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    requests = ["What is 2 plus 2?", "Root of 9?"]
    ranked = rank_tools(head, requests, k=3)
    states = query_states(head, requests, head.config.prompt, progress=False)
    scores = states.h @ head.head.weight.detach().T
    for row, expected in zip(ranked, scores):
        assert len(row) == 3 and [s for _, s in row] == sorted((s for _, s in row), reverse=True)
        assert [n for n, _ in row] == [head.tool_names[i] for i in expected.topk(3).indices.tolist()]
    assert len(rank_tools(head, ["x"], k=50)[0]) == len(head.tools)  # k beyond the tools: all of them


def test_description_states_are_query_states_of_the_descriptions(tiny_backbone, cache_dir):
    head = ToolkenModel.create(TOOLS, backbone=tiny_backbone)
    states = description_states(head, head.tools, progress=False)
    expected = query_states(head, [t.description for t in TOOLS], progress=False).h
    assert states.shape == (3, tiny_backbone[0].config.hidden_size) and torch.allclose(states, expected)
