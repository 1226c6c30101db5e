"""The `toolken` command end to end on the tiny model: train, run (--json, stdin), clean errors."""

import json
import subprocess
import sys

import pytest
import torch

from toolken.cli import main
from toolken.toolsets import TOOLKENGPT_DIR

FUNCQA = str(TOOLKENGPT_DIR / "funcqa" / "train.json")


def toolken(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "toolken.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture
def trained(tiny_model_dir, tmp_path, cache_dir):
    out = tmp_path / "head"
    data = tmp_path / "small.json"
    data.write_text(json.dumps(json.loads(open(FUNCQA).read())[:60]))
    assert (
        main(
            [
                "train",
                "--tools",
                "funcqa",
                "--data",
                str(data),
                "--out",
                str(out),
                "--model",
                str(tiny_model_dir),
                "--epochs",
                "2",
            ]
        )
        == 0
    )
    return out


def test_train_then_run_json(trained, capsys):
    assert main(["run", str(trained), "What is 3 plus 4?", "--json", "--max-new-tokens", "8"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out) == {"answer", "text", "calls"}
    for c in out["calls"]:
        assert set(c) == {"tool", "arguments", "result", "error"}


def test_run_reads_stdin_one_json_per_line(trained, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("What is 1 plus 1?\n\nWhat is 2 times 3?\n"))
    assert main(["run", str(trained), "--json", "--max-new-tokens", "6"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all("answer" in json.loads(line) for line in lines)


def test_plain_run_prints_answer(trained, capsys):
    assert main(["run", str(trained), "What is 3 plus 4?", "--max-new-tokens", "6", "--bias", "100"]) == 0
    assert "[call]" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["", "{oops", '[{"foo": 1}]', '[{"text": "x=[[nope(1)=2]]"}]'])
def test_bad_data_exits_2_without_traceback(content, tmp_path, tiny_model_dir, cache_dir):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    r = toolken(
        "train", "--tools", "funcqa", "--data", str(bad), "--out", str(tmp_path / "o"), "--model", str(tiny_model_dir)
    )
    assert r.returncode == 2, r.stderr
    assert "bad.json" in r.stderr and "Traceback" not in r.stderr


def test_unknown_toolset_and_missing_head_exit_2(tmp_path):
    r = toolken("train", "--tools", "nope", "--data", FUNCQA, "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "neither a built-in tool set" in r.stderr
    r = toolken("run", str(tmp_path / "missing"), "hi")
    assert r.returncode == 2 and "not a toolken head" in r.stderr and "Traceback" not in r.stderr


def test_every_subcommand_has_help():
    for sub in ([], ["train"], ["run"], ["tools"]):
        r = toolken(*sub, "--help")
        assert r.returncode == 0 and "usage: toolken" in r.stdout


def test_tools_listing(capsys):
    assert main(["tools"]) == 0
    assert "kamel: 234 tools" in capsys.readouterr().out
    assert main(["tools", "funcqa"]) == 0
    assert "power(base, exponent)" in capsys.readouterr().out


def test_train_with_a_bfloat16_caching_pass_and_balanced_tools(tiny_model_dir, tmp_path, cache_dir):
    from toolken.head import ToolkenModel

    data = tmp_path / "small.json"
    data.write_text(json.dumps(json.loads(open(FUNCQA).read())[:30]))
    args = ["train", "--tools", "funcqa", "--data", str(data), "--model", str(tiny_model_dir), "--epochs", "1"]
    assert main([*args, "--out", str(tmp_path / "head"), "--cache-dtype", "bfloat16", "--balance-tools"]) == 0
    head = ToolkenModel.from_pretrained(tmp_path / "head")
    assert head.config.training["arguments"]["cache_dtype"] == "bfloat16"
    assert head.config.training["arguments"]["balance_tools"] is True
    assert next(head.lm.parameters()).dtype == torch.float32  # the model itself stays float32
    with pytest.raises(SystemExit):
        main([*args, "--out", str(tmp_path / "other"), "--cache-dtype", "float16"])
