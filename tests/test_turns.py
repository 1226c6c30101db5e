"""Several calls in one turn: the decisions right after a result, and the extra bias fitted to them."""

from __future__ import annotations

import torch
from conftest import arith_demos, arith_toolset

from toolken.bias import choose_turn_bias
from toolken.cache import IGNORE, PositionCache, encode_demo
from toolken.decoding import _logits
from toolken.demonstrations import from_markup
from toolken.head import ToolkenModel
from toolken.training import TrainingArguments, train
from toolken.turns import has_turns, turn_points

TWO = "Q: What is 2 plus 3, and 4 times 5?\nA: [[add(2, 3)=5]] [[multiply(4, 5)=20]]\n"
ONE = "Q: What is 2 plus 3?\nA: [[add(2, 3)=5]]\n"


def _points(h: list[list[float]], word_max: list[float], targets: list[int]) -> PositionCache:
    n = len(h)
    return PositionCache(
        h=torch.tensor(h),
        logz=torch.zeros(n),
        word_logit=torch.zeros(n),
        word_max=torch.tensor(word_max),
        target=torch.tensor(targets),
        demo=torch.arange(n),
        generated=torch.ones(n, dtype=torch.bool),
    )


def test_the_result_ends_mark_where_a_turn_goes_on_or_stops(tiny_backbone):
    model = ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)
    index = {n: i for i, n in enumerate(model.tool_names)}
    ends: list[int] = []
    ids, targets = encode_demo(from_markup(TWO), model.tokenizer, index, model.vocab_size, None, ends)
    assert len(ends) == 2 and targets[ends[0]] == model.vocab_size + index["multiply"]  # the turn goes on
    assert targets[ends[1]] == ids[ends[1] + 1] and model.tokenizer.decode(ids[ends[1] + 1 :]) == "\n"
    assert targets[ends[0] - 1] == IGNORE or targets[ends[0] - 1] >= model.vocab_size  # inside or before it
    points = turn_points(model, [from_markup(TWO), from_markup(ONE)], "Q: {question}\nA:", 256)
    assert points.target.tolist().count(model.vocab_size + index["multiply"]) == 1 and len(points.target) == 3
    assert not has_turns([from_markup(ONE)]) and has_turns([from_markup(TWO)])


def test_the_turn_bias_is_the_smallest_that_fits_the_decisions_after_a_result():
    vocab = 10
    # a call due where the toolken trails the best word by 2.2; no call due where it trails by 4.3
    due = _points([[1.0, 0.0], [0.0, 1.0]], [3.2, 4.3], [vocab, 3])
    turn, stats = choose_turn_bias(torch.tensor([[1.0, 0.0]]), due, vocab, 0.0)
    assert turn == 2.5 and stats["balanced_accuracy"] == 1.0
    none_due = _points([[0.0, 1.0]], [4.3], [3])
    assert choose_turn_bias(torch.tensor([[1.0, 0.0]]), none_due, vocab, 0.0)[0] == 0.0


def test_training_on_turns_records_a_turn_bias_and_decoding_adds_it_after_a_result(tiny_backbone, tmp_path):
    model = ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)
    demos = arith_demos(40)
    val = [from_markup(TWO), from_markup(ONE)] * 4
    history = train(model, demos, TrainingArguments(epochs=1, bias=0.0), val_demos=val, progress=False)
    assert "turn_bias" in history and history["turn_firing"]  # decisions after a result were scored
    model.config.turn_bias = 3.0
    model.save_pretrained(tmp_path / "head")
    again = ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    assert again.config.turn_bias == 3.0
    h = torch.randn(2, model.lm.config.hidden_size)
    mask = torch.ones(2, len(model.tools), dtype=torch.bool)
    plain = _logits(again, h, 0.0, mask, [False, False], None)
    after = _logits(again, h, 0.0, mask, [True, False], None)
    v = again.vocab_size
    torch.testing.assert_close(after[0, v:], plain[0, v:] + 3.0)  # the row right after a result
    torch.testing.assert_close(after[1], plain[1])
    no_turns = train(model, demos, TrainingArguments(epochs=1, bias=0.0), val_demos=[from_markup(ONE)], progress=False)
    assert no_turns["turn_bias"] == 0.0 and model.config.turn_bias == 0.0
