"""Devices: `auto` resolves to what is present, a device asked for but absent is a clean error, and
every tensor follows the backbone's device. The last is checked on the CPU by making `meta` the
default device around training, generation and ranking (backbone on the CPU): a tensor created
without naming its device lands on `meta`, where it holds no data, and the run fails."""

import copy
import json

import pytest
import torch
import xgrammar  # noqa: F401 - imported before the meta context, as on any real run
from conftest import add, arith_demos, arith_toolset

from toolken.backbone import resolve_device
from toolken.cli import main
from toolken.config import TrainingArguments
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.ranking import rank_tools
from toolken.tools import Tool
from toolken.training import train

QUESTIONS = ["What is 3 plus 4?", "What is 12 times 5?"]


def test_auto_picks_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.delenv("TOOLKEN_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device("auto") == resolve_device(None) == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setenv("LOCAL_RANK", "1")  # under torchrun: this rank's GPU
    assert resolve_device("auto") == torch.device("cuda", 1)
    assert resolve_device("cuda:0") == torch.device("cuda", 0)


def test_absent_or_unknown_devices_are_errors(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no CUDA"):
        resolve_device("cuda")
    with pytest.raises(ValueError, match="MPS is not available"):
        resolve_device("mps")
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device("tpu")
    monkeypatch.setenv("TOOLKEN_DEVICE", "cpu")
    assert resolve_device(None) == torch.device("cpu")


def test_the_head_follows_the_backbone(tiny_backbone):
    lm, tokenizer = tiny_backbone
    on_meta = copy.deepcopy(lm).to("meta")
    model = ToolkenModel.create(arith_toolset(), init="random", backbone=(on_meta, tokenizer))
    assert model.head.weight.device.type == "meta" and model.device.type == "meta"
    model.add_tools([Tool.from_function(add, name="plus")])
    assert model.head.weight.device.type == "meta"


@pytest.fixture
def arith(tiny_backbone):
    return ToolkenModel.create(arith_toolset(), init="random", backbone=tiny_backbone)


def test_the_meta_probe_catches_a_tensor_made_without_its_device(arith, monkeypatch):
    cfg = GenerationConfig(max_new_tokens=4, bias=100.0)
    # the toolken mask as it was made before devices were plumbed: on the default device
    monkeypatch.setattr(
        "toolken.firing.allowed_mask", lambda model, names: torch.ones(len(model.tools), dtype=torch.bool)
    )
    generate(arith, QUESTIONS, cfg)  # fine on the CPU alone
    with torch.device("meta"), pytest.raises((NotImplementedError, RuntimeError)):
        generate(arith, QUESTIONS, cfg)


@pytest.mark.parametrize(
    "cfg",
    [
        GenerationConfig(max_new_tokens=8, bias=100.0, batch_size=2, arguments="schema"),
        GenerationConfig(max_new_tokens=8, bias=100.0, batch_size=1, arguments="text", do_sample=True, seed=3),
    ],
)
def test_generation_creates_nothing_off_the_backbones_device(arith, cfg):
    expected = generate(arith, QUESTIONS, cfg)
    with torch.device("meta"):
        got = generate(arith, QUESTIONS, cfg)
    assert [g.to_dict() for g in got] == [g.to_dict() for g in expected]
    assert any(g.calls for g in got)  # tool mode (arguments, results) ran too


def test_training_and_ranking_create_nothing_off_the_backbones_device(tiny_backbone, cache_dir):
    demos, args = arith_demos(30), TrainingArguments(epochs=2, batch_size=16, balance_tools=True)
    heads = []
    for context in (torch.device("cpu"), torch.device("meta")):
        with context:
            model = ToolkenModel.create(arith_toolset(), backbone=tiny_backbone, prior_source="hidden")
            train(model, demos, args, progress=False)
            heads.append((model.head.weight.detach().clone(), rank_tools(model, QUESTIONS, k=2)))
    assert torch.equal(heads[0][0], heads[1][0]) and heads[0][1] == heads[1][1]


def test_cli_device_and_dtype(tiny_model_dir, tmp_path, cache_dir, user_files, capsys):
    out = tmp_path / "head"
    tools = ["--tools", str(user_files.tools), "--functions", str(user_files.functions)]
    base = ["train", *tools, "--data", str(user_files.data), "--out", str(out), "--model", str(tiny_model_dir)]
    assert main([*base, "--epochs", "1", "--device", "cpu"]) == 0
    capsys.readouterr()
    question = ["run", str(out), "What is 3 plus 4?", "--json", "--max-new-tokens", "4", "--functions"]
    assert main([*question, str(user_files.functions), "--device", "cpu", "--dtype", "bfloat16"]) == 0
    assert "answer" in json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for device, message in (("cuda", "no CUDA"), ("gpu", "unknown device")):
        if device == "cuda" and torch.cuda.is_available():
            continue
        assert main([*question, str(user_files.functions), "--device", device]) == 2
        err = capsys.readouterr().err
        assert err.startswith("toolken: error: --device:") and message in err


def test_synth_paraphrasing_takes_device_and_dtype(tiny_model_dir, tmp_path, user_files, capsys):
    out = tmp_path / "made.jsonl"
    args = ["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions), "--per-tool", "1"]
    args += ["--paraphrase", "1", "--model", str(tiny_model_dir), "--out", str(out)]
    assert main([*args, "--device", "cpu", "--dtype", "bfloat16"]) == 0
    assert len(out.read_text().splitlines()) >= 5
    if not torch.cuda.is_available():
        capsys.readouterr()
        assert main([*args, "--device", "cuda"]) == 2
        assert "--device" in capsys.readouterr().err
