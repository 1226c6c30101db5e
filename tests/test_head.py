"""Initialisation, priors, regularizer, adding tools, and the save/load round trip."""

import json

import pytest
import torch
from conftest import make_tiny_model

from toolken.backbone import load_backbone
from toolken.head import WEIGHTS_NAME, HeadLoadError, ToolkenModel
from toolken.priors import output_embeddings
from toolken.tools import Tool


def test_random_init_is_linear_default(tiny_backbone):
    m = ToolkenModel.create("funcqa", init="random", backbone=tiny_backbone)
    d = m.lm.config.hidden_size
    assert m.head.weight.shape == (13, d)
    assert m.head.weight.abs().max() <= d**-0.5 and m.head.weight.std() > 0
    assert torch.all(m.head.prior == 0)


def test_wordrow_prior_is_mean_of_word_rows(tiny_backbone):
    lm, tok = tiny_backbone
    m = ToolkenModel.create("funcqa", init="name", prior_source="wordrows", backbone=tiny_backbone)
    ids = tok("multiply", add_special_tokens=False).input_ids
    expected = output_embeddings(lm)[ids].mean(0)
    row = m.tool_names.index("multiply")
    assert torch.allclose(m.head.weight[row], expected) and torch.allclose(m.head.prior[row], expected)


def test_description_prior_differs_from_name_prior(tiny_backbone):
    by_name = ToolkenModel.create("funcqa", init="name", backbone=tiny_backbone).head.weight
    by_desc = ToolkenModel.create("funcqa", init="description", backbone=tiny_backbone).head.weight
    assert not torch.allclose(by_name, by_desc)


def test_hidden_prior_has_word_row_norm(tiny_backbone):
    lm, _ = tiny_backbone
    m = ToolkenModel.create("kamel", init="description", prior_source="hidden", backbone=tiny_backbone)
    norms = m.head.weight.norm(dim=-1)
    assert torch.allclose(norms, output_embeddings(lm).norm(dim=-1).mean().expand_as(norms), rtol=1e-4)


def test_regularizer_value(tiny_backbone):
    m = ToolkenModel.create("funcqa", init="description", backbone=tiny_backbone)
    assert m.head.regularizer().item() == 0
    with torch.no_grad():
        m.head.weight[0] += 2.0
    d = m.lm.config.hidden_size
    assert m.head.regularizer().item() == pytest.approx(4.0 * d / 13)


def test_add_tools_keeps_trained_rows(tiny_backbone):
    m = ToolkenModel.create("gsm8k-xl", backbone=tiny_backbone)
    before = m.head.weight.detach().clone()
    m.add_tools([Tool("sqrt2", "Square root of two.")])
    assert m.tool_names[-1] == "sqrt2" and m.head.weight.shape[0] == 5
    assert torch.equal(m.head.weight[:4], before)


def test_save_load_round_trip(tiny_backbone, tiny_model_dir, tmp_path):
    m = ToolkenModel.create("funcqa", model=tiny_model_dir, backbone=tiny_backbone)
    with torch.no_grad():
        m.head.weight.mul_(3)
    m.config.bias = 1.5
    m.save_pretrained(tmp_path / "head")
    again = ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    assert torch.equal(again.head.weight, m.head.weight) and torch.equal(again.head.prior, m.head.prior)
    assert again.config == m.config and [t.to_dict() for t in again.tools] == [t.to_dict() for t in m.tools]
    assert again.tools[0].function is not None  # built-in functions re-bound
    assert not list((tmp_path / "head").glob("*.tmp"))


def test_load_refuses_other_backbone(tiny_backbone, tmp_path):
    m = ToolkenModel.create("funcqa", backbone=tiny_backbone)
    m.save_pretrained(tmp_path / "head")
    wider = load_backbone(make_tiny_model(tmp_path / "wide", hidden=48))
    with pytest.raises(HeadLoadError, match="hidden size"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=wider)
    other_tok = load_backbone(make_tiny_model(tmp_path / "tok", vocab=500))
    with pytest.raises(HeadLoadError, match="tokenizer"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=other_tok)


def test_load_refuses_corrupt_files(tiny_backbone, tmp_path):
    m = ToolkenModel.create("funcqa", backbone=tiny_backbone)
    m.save_pretrained(tmp_path / "head")
    weights = tmp_path / "head" / WEIGHTS_NAME
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(HeadLoadError, match="corrupt or truncated"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    weights.write_bytes(data)
    (tmp_path / "head" / "toolken_config.json").write_text("{not json")
    with pytest.raises(HeadLoadError, match="corrupt"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    with pytest.raises(HeadLoadError, match="missing"):
        ToolkenModel.from_pretrained(tmp_path / "nothing", backbone=tiny_backbone)


def test_saved_files_are_safetensors_and_json(tiny_backbone, tmp_path):
    ToolkenModel.create("funcqa", backbone=tiny_backbone).save_pretrained(tmp_path / "h")
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == ["toolken_config.json", "toolken_head.safetensors"]
    assert json.loads((tmp_path / "h" / "toolken_config.json").read_text())["toolset"] == "funcqa"
