"""The priors beyond TokenLearning's pooled text: its published recipe, centred priors, the
description's state, prototypes from the demonstrations; the unsquared regularizer; the step plan."""

import math
from dataclasses import replace

import pytest
import torch
from conftest import arith_demos, arith_toolset

from toolken.cache import cache_positions
from toolken.config import TrainingArguments
from toolken.head import ToolkenModel
from toolken.priors import PRIOR_ROW_NORM, final_states, prototypes
from toolken.training import step_plan, train

N_TOOLS = len(arith_toolset().tools)


def test_tokenlearning_prior_is_the_pooled_name_state_scaled_as_published(tiny_backbone):
    lm, tok = tiny_backbone
    m = ToolkenModel.create(arith_toolset(), init="tokenlearning", backbone=tiny_backbone)
    d = lm.config.hidden_size
    assert m.head.weight.shape == (N_TOOLS, d)
    assert torch.allclose(m.head.weight.norm(dim=-1), torch.full((N_TOOLS,), d**-0.5), rtol=1e-5)
    assert torch.equal(m.head.weight, m.head.prior)
    # the direction is the mean final normed state over the bare name's tokens, run alone
    ids = tok("multiply", add_special_tokens=False).input_ids
    with torch.no_grad():
        h = lm.base_model(input_ids=torch.tensor([ids])).last_hidden_state[0].float().mean(0)
    row = m.head.weight.detach()[m.tool_names.index("multiply")]
    assert torch.nn.functional.cosine_similarity(row, h, dim=0) == pytest.approx(1.0, abs=1e-5)


def test_batched_pooling_equals_one_text_at_a_time(tiny_backbone):
    lm, tok = tiny_backbone
    texts = ["add", "square root of a number", "x"]  # different lengths: padding must not leak in
    together = final_states(lm, tok, texts, last=False)
    alone = torch.cat([final_states(lm, tok, [t], last=False) for t in texts])
    assert torch.allclose(together, alone, atol=1e-5)
    last = final_states(lm, tok, texts, last=True)
    assert torch.allclose(last[2], alone[2], atol=1e-5)  # one token: its mean is its last state


@pytest.mark.parametrize("init", ["centered-name", "centered-description", "state"])
def test_centred_priors_have_the_shared_mean_removed(tiny_backbone, init):
    lm, _ = tiny_backbone
    m = ToolkenModel.create(arith_toolset(), init=init, backbone=tiny_backbone)
    w = m.head.weight.detach()
    assert w.mean(0).abs().max() < 1e-5 * w.abs().max()
    assert w.norm(dim=-1).mean() == pytest.approx(PRIOR_ROW_NORM, rel=1e-4)
    raw = ToolkenModel.create(arith_toolset(), init="name", backbone=tiny_backbone).head.weight.detach()
    if init == "centered-name":  # the same prior, less its mean, times one factor
        shifted = raw - raw.mean(0)
        assert torch.allclose(w / w.norm(), shifted / shifted.norm(), atol=1e-5)


def test_state_prior_is_the_state_where_a_toolken_follows_the_description(tiny_backbone):
    lm, tok = tiny_backbone
    tools = arith_toolset()
    m = ToolkenModel.create(tools, init="state", backbone=tiny_backbone)
    states = []
    for t in tools.tools:
        ids = tok(tools.prompt.format(question=t.description), add_special_tokens=False).input_ids
        with torch.no_grad():
            states.append(lm.base_model(input_ids=torch.tensor([ids])).last_hidden_state[0, -1].float())
    expected = torch.stack(states) - torch.stack(states).mean(0)
    w = m.head.weight.detach()
    assert torch.allclose(w / w.norm(), expected / expected.norm(), atol=1e-5)


def test_prototypes_are_the_mean_state_at_each_tools_calls():
    vocab = 10
    h = torch.tensor([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0], [0.0, 7.0]])
    target = torch.tensor([vocab + 0, vocab + 0, 3, vocab + 2])
    rows, seen = prototypes(h, target, vocab, 3)
    assert torch.allclose(rows[0], torch.tensor([2.0, 1.0])) and torch.allclose(rows[2], torch.tensor([0.0, 7.0]))
    assert seen.tolist() == [True, False, True]


@pytest.mark.parametrize("init", ["prototype", "prototype-name"])
def test_training_starts_from_the_centred_prototypes(tiny_backbone, cache_dir, init):
    lm, _ = tiny_backbone
    demos = arith_demos(40)
    m = ToolkenModel.create(arith_toolset(), init=init, backbone=tiny_backbone)
    named = m.head.prior.clone()
    before = m.head.weight.detach().clone()
    train(
        m,
        demos,
        TrainingArguments(epochs=1, lr=1e-9, min_steps=0, val_fraction=0.0, cache_dtype="float32"),
        progress=False,
    )
    cache = cache_positions(m, demos, progress=False)
    rows, seen = prototypes(cache.h, cache.target, m.vocab_size, N_TOOLS)
    assert seen.any()
    expected = rows[seen] - rows[seen].mean(0)
    expected = expected * (PRIOR_ROW_NORM / expected.norm(dim=-1).mean())
    if init == "prototype-name":
        expected = (expected + named[seen]) / 2
    got = m.head.weight.detach()[seen]
    assert torch.allclose(got, expected, atol=1e-4)  # lr 1e-9: one step leaves the init in place
    assert torch.allclose(m.head.prior[seen], expected, atol=1e-6)  # the regularizer pulls toward them
    assert torch.equal(m.head.weight.detach()[~seen], before[~seen])  # unseen tools keep their init


def test_frobenius_regularizer_is_unsquared_and_so_is_its_gradient(tiny_backbone):
    m = ToolkenModel.create(arith_toolset(), init="tokenlearning", backbone=tiny_backbone)
    with torch.no_grad():
        m.head.weight[0, 0] += 3.0
        m.head.weight[1, 1] += 4.0
    reg = m.head.regularizer("frobenius")
    assert reg.item() == pytest.approx(5.0, rel=1e-5)
    reg.backward()
    diff = (m.head.weight - m.head.prior).detach()
    assert torch.allclose(m.head.weight.grad, diff / 5.0, atol=1e-6)  # d||D||/dW = D / ||D||
    assert m.head.regularizer("squared").item() == pytest.approx(25.0 / N_TOOLS, rel=1e-5)


def test_tokenlearning_method_uses_its_own_regularizer(tiny_backbone, cache_dir):
    m = ToolkenModel.create(arith_toolset(), init="tokenlearning", backbone=tiny_backbone)
    args = TrainingArguments(epochs=2, lr=0.05, reg=1e-2, reg_norm="frobenius", min_steps=0)
    train(m, arith_demos(20), args, progress=False)
    assert m.config.reg_norm == "frobenius" and m.training.arguments["reg_norm"] == "frobenius"


def test_step_plan_follows_the_data_size():
    args = TrainingArguments(epochs=10, batch_size=256, min_steps=400, lr=1e-2)
    assert step_plan(100_000, args) == (256, 10, 1e-2)  # plenty of steps already: the recipe as given
    batch, epochs, lr = step_plan(1400, args)  # 40 demos: 6 full batches an epoch would give 60 steps
    assert batch == 175 and math.ceil(1400 / batch) * epochs >= 400 and lr == 1e-3
    batch, epochs, _ = step_plan(50, args)  # tiny: batches keep at least 32 positions
    assert batch == 32 and epochs == 200
    assert step_plan(1400, replace(args, lr=1e-4))[2] == 1e-4  # a smaller rate is kept
    assert step_plan(1400, TrainingArguments(min_steps=0)) == (256, 10, 1e-2)
    with pytest.raises(ValueError):
        TrainingArguments(min_steps=-1)


def test_training_takes_the_planned_steps(tiny_backbone, cache_dir):
    m = ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)
    history = train(m, arith_demos(20), TrainingArguments(epochs=2, min_steps=40, batch_size=256), progress=False)
    n = history["n_train_positions"]
    assert history["batch_size"] == max(32, math.ceil(n / 8)) and history["lr"] == 1e-3
    assert len(history["epochs"]) == history["planned_epochs"] >= 2
    assert math.ceil(n / history["batch_size"]) * len(history["epochs"]) >= 40


def test_added_tools_are_centred_on_the_whole_tool_set(tiny_backbone):
    from toolken.tools import Tool

    tools = arith_toolset().tools
    m = ToolkenModel.create(tools[:-1], init="centered-name", backbone=tiny_backbone)
    m.add_tools([tools[-1]])
    whole = ToolkenModel.create(tools, init="centered-name", backbone=tiny_backbone)
    assert torch.allclose(m.head.weight.detach()[-1], whole.head.weight.detach()[-1], atol=1e-6)
    assert ToolkenModel.create(tools, backbone=tiny_backbone).config.init == "centered-name"  # the default
    m.add_tools([Tool("alone", "A tool added on its own.")], init="name")  # uncentred: only the newcomer's text
    assert m.head.weight.shape[0] == len(tools) + 1
