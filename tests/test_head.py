"""Initialisation, priors, regularizer, adding tools, and the save/load round trip."""

import hashlib
import json

import pytest
import torch
from conftest import arith_toolset, make_tiny_model

from toolken.backbone import load_backbone
from toolken.config import TrainingRecord
from toolken.head import CONFIG_NAME, RECORD_NAME, WEIGHTS_NAME, HeadLoadError, ToolkenModel, read_head
from toolken.priors import output_embeddings
from toolken.tools import Tool

N_TOOLS = len(arith_toolset().tools)


def test_random_init_is_linear_default(tiny_backbone):
    m = ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)
    d = m.lm.config.hidden_size
    assert m.head.weight.shape == (N_TOOLS, d)
    assert m.head.weight.abs().max() <= d**-0.5 and m.head.weight.std() > 0
    assert torch.all(m.head.prior == 0)


def test_wordrow_prior_is_mean_of_word_rows(tiny_backbone):
    lm, tok = tiny_backbone
    m = ToolkenModel.create(arith_toolset(), init="name", prior_source="wordrows", backbone=tiny_backbone)
    ids = tok("multiply", add_special_tokens=False).input_ids
    expected = output_embeddings(lm)[ids].mean(0)
    row = m.tool_names.index("multiply")
    assert torch.allclose(m.head.weight[row], expected) and torch.allclose(m.head.prior[row], expected)


def test_description_prior_differs_from_name_prior(tiny_backbone):
    by_name = ToolkenModel.create(arith_toolset(), init="name", backbone=tiny_backbone).head.weight
    by_desc = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone).head.weight
    assert not torch.allclose(by_name, by_desc)


def test_hidden_prior_has_word_row_norm(tiny_backbone):
    lm, _ = tiny_backbone
    m = ToolkenModel.create(arith_toolset(), init="description", prior_source="hidden", backbone=tiny_backbone)
    norms = m.head.weight.norm(dim=-1)
    assert torch.allclose(norms, output_embeddings(lm).norm(dim=-1).mean().expand_as(norms), rtol=1e-4)


def test_regularizer_value(tiny_backbone):
    m = ToolkenModel.create(arith_toolset(), init="description", backbone=tiny_backbone)
    assert m.head.regularizer().item() == 0
    with torch.no_grad():
        m.head.weight[0] += 2.0
    d = m.lm.config.hidden_size
    assert m.head.regularizer().item() == pytest.approx(4.0 * d / N_TOOLS)


def test_add_tools_keeps_trained_rows(tiny_backbone):
    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    before = m.head.weight.detach().clone()
    m.add_tools([Tool("sqrt2", "Square root of two.")])
    assert m.tool_names[-1] == "sqrt2" and m.head.weight.shape[0] == N_TOOLS + 1
    assert torch.equal(m.head.weight[:N_TOOLS], before)
    with pytest.raises(ValueError, match="duplicate"):
        m.add_tools([Tool("add", "Again.")])


def test_save_load_round_trip(tiny_backbone, tiny_model_dir, tmp_path, arith_registered):
    m = ToolkenModel.create("arith", model=tiny_model_dir, backbone=tiny_backbone)
    with torch.no_grad():
        m.head.weight.mul_(3)
    m.config.bias = 1.5
    m.training = TrainingRecord(arguments={"lr": 0.01}, best_val_loss=0.5, epochs=[{"epoch": 1, "val_loss": 0.5}])
    m.save_pretrained(tmp_path / "head")
    again = ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    assert torch.equal(again.head.weight, m.head.weight) and torch.equal(again.head.prior, m.head.prior)
    assert again.config == m.config and [t.to_dict() for t in again.tools] == [t.to_dict() for t in m.tools]
    assert again.training == m.training
    assert again.config.toolset == "arith" and all(t.function is not None for t in again.tools)  # re-bound
    assert not list((tmp_path / "head").glob("*.tmp"))


def test_a_users_tools_bind_their_functions_on_load(tiny_backbone, tmp_path):
    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)  # not a registered set: specs only
    m.save_pretrained(tmp_path / "head")
    assert m.config.toolset is None
    bare = ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    assert bare.training is None and all(t.function is None for t in bare.tools)
    functions = {t.name: t.function for t in arith_toolset().tools}
    bound = ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone, functions=functions)
    assert [t.function for t in bound.tools] == list(functions.values())
    with pytest.raises(KeyError, match="no tool named 'power'"):
        bound.bind({"power": pow})


def test_load_refuses_other_backbone(tiny_backbone, tmp_path):
    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    m.save_pretrained(tmp_path / "head")
    wider = load_backbone(make_tiny_model(tmp_path / "wide", hidden=48))
    with pytest.raises(HeadLoadError, match="hidden size"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=wider)
    other_tok = load_backbone(make_tiny_model(tmp_path / "tok", vocab=500))
    with pytest.raises(HeadLoadError, match="tokenizer"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=other_tok)


def test_load_refuses_corrupt_files(tiny_backbone, tmp_path):
    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    m.save_pretrained(tmp_path / "head")
    weights, config = tmp_path / "head" / WEIGHTS_NAME, tmp_path / "head" / CONFIG_NAME
    data, saved = weights.read_bytes(), json.loads(config.read_text())
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(HeadLoadError, match="does not match toolken_config.json"):  # the manifest's hash
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    config.write_text(json.dumps({k: v for k, v in saved.items() if k != "files"}))  # a head with no manifest
    with pytest.raises(HeadLoadError, match="corrupt or truncated"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    weights.write_bytes(data)
    ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    (tmp_path / "head" / "toolken_config.json").write_text("{not json")
    with pytest.raises(HeadLoadError, match="corrupt"):
        ToolkenModel.from_pretrained(tmp_path / "head", backbone=tiny_backbone)
    with pytest.raises(HeadLoadError, match="missing"):
        ToolkenModel.from_pretrained(tmp_path / "nothing", backbone=tiny_backbone)


def test_saved_files_are_safetensors_and_json(tiny_backbone, tmp_path, arith_registered):
    ToolkenModel.create("arith", backbone=tiny_backbone).save_pretrained(tmp_path / "h")
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == [CONFIG_NAME, WEIGHTS_NAME, RECORD_NAME]
    config = json.loads((tmp_path / "h" / CONFIG_NAME).read_text())
    assert config["toolset"] == "arith"
    # the config is written last and names the bytes of the other two: a head is one unit
    for name in (WEIGHTS_NAME, RECORD_NAME):
        assert config["files"][name] == hashlib.sha256((tmp_path / "h" / name).read_bytes()).hexdigest()


def test_a_record_from_another_save_is_refused(tiny_backbone, tmp_path):
    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    m.training = TrainingRecord(best_val_loss=1.0)
    m.save_pretrained(tmp_path / "a")
    m.training = TrainingRecord(best_val_loss=2.0)
    m.save_pretrained(tmp_path / "b")
    (tmp_path / "a" / RECORD_NAME).write_bytes((tmp_path / "b" / RECORD_NAME).read_bytes())
    with pytest.raises(HeadLoadError, match=f"{RECORD_NAME} does not match"):
        read_head(tmp_path / "a")
    (tmp_path / "b" / RECORD_NAME).unlink()  # a head saved before training records: none
    assert read_head(tmp_path / "b")[2] is None


def test_config_loads_tolerantly_but_refuses_wrong_values(tiny_backbone, tmp_path):
    ToolkenModel.create(arith_toolset(), backbone=tiny_backbone).save_pretrained(tmp_path / "h")
    path = tmp_path / "h" / CONFIG_NAME
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "from_the_future": 1}))
    with pytest.warns(UserWarning, match="ignoring unknown keys \\['from_the_future'\\]"):
        config, tensors, _ = read_head(tmp_path / "h")
    assert config.tools == saved["tools"] and tensors["weight"].shape[0] == N_TOOLS
    for key, value, message in [
        ("init", "magic", "'magic' is not a valid Init"),
        ("prompt", "no field", "must hold exactly one {question}"),
        ("bias", float("nan"), "bias must be a finite number"),
        ("format_version", 99, "format version 99"),
    ]:
        path.write_text(json.dumps({**saved, key: value}))
        with pytest.raises(HeadLoadError, match=message):
            read_head(tmp_path / "h")


def test_a_save_that_fails_while_writing_leaves_the_previous_head_whole(tiny_backbone, tmp_path, monkeypatch):
    from toolken import atomic

    m = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone)
    m.save_pretrained(tmp_path / "h")
    before = {p.name: p.read_bytes() for p in (tmp_path / "h").iterdir()}
    real, staged = atomic._stage, []

    def stage_then_fail(path, data):  # the disk fills up while writing the third file (the config)
        staged.append(path.name)
        if len(staged) == 3:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(atomic, "_stage", stage_then_fail)
    with torch.no_grad():
        m.head.weight.add_(1.0)
    m.training = TrainingRecord(best_val_loss=3.0)
    with pytest.raises(OSError, match="No space left"):
        m.save_pretrained(tmp_path / "h")
    assert staged == [WEIGHTS_NAME, RECORD_NAME, CONFIG_NAME]
    assert {p.name: p.read_bytes() for p in (tmp_path / "h").iterdir()} == before  # no temporaries either
    monkeypatch.undo()
    again = ToolkenModel.from_pretrained(tmp_path / "h", backbone=tiny_backbone)
    assert again.training is None and not torch.equal(again.head.weight, m.head.weight)
