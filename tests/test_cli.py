"""The `toolken` command end to end on the tiny model: train, run (--json, stdin), clean errors."""

import io
import json
import subprocess
import sys

import pytest
import torch

from toolken.cli import main


def toolken(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "toolken.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=600
    )


def user_tools(files) -> list[str]:
    """`--tools` and `--functions` of a user's own tool set."""
    return ["--tools", str(files.tools), "--functions", str(files.functions)]


@pytest.fixture
def trained(tiny_model_dir, tmp_path, cache_dir, user_files):
    out = tmp_path / "head"
    args = ["train", *user_tools(user_files), "--data", str(user_files.data), "--out", str(out)]
    assert main([*args, "--model", str(tiny_model_dir), "--epochs", "2"]) == 0
    return out, ["--functions", str(user_files.functions)]


def test_train_then_run_json(trained, capsys):
    head, functions = trained
    assert main(["run", str(head), "What is 3 plus 4?", "--json", "--max-new-tokens", "8", *functions]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out) == {"answer", "text", "calls"}
    for c in out["calls"]:
        assert set(c) == {"tool", "arguments", "result", "error"}


def test_run_reads_stdin_one_json_per_line(trained, monkeypatch, capsys):
    head, functions = trained
    monkeypatch.setattr(sys, "stdin", io.StringIO("What is 1 plus 1?\n\nWhat is 2 times 3?\n"))
    assert main(["run", str(head), "--json", "--max-new-tokens", "6", *functions]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all("answer" in json.loads(line) for line in lines)


def test_plain_run_prints_answer(trained, capsys):
    head, functions = trained
    assert main(["run", str(head), "What is 3 plus 4?", "--max-new-tokens", "6", "--bias", "100", *functions]) == 0
    assert "[call]" in capsys.readouterr().out
    quiet = ["--bias", "-100", "--name-bias", "0", "--typed-value-bias", "0", "--fit-bias", "0"]
    assert main(["run", str(head), "What is 3 plus 4?", "--max-new-tokens", "6", *quiet, *functions]) == 0
    assert "[call]" not in capsys.readouterr().out


def test_run_without_the_functions_of_a_users_tools_exits_2(trained, capsys, monkeypatch):
    head, _ = trained

    def no_loading(*args, **kwargs):
        raise AssertionError("the backbone was loaded")

    monkeypatch.setattr("toolken.head.ToolkenModel.from_pretrained", no_loading)  # refused from the config alone
    assert main(["run", str(head), "What is 3 plus 4?"]) == 2
    assert "no function bound to add, subtract" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["", "{oops", '[{"foo": 1}]', '[{"text": "x=[[nope(1)=2]]"}]'])
def test_bad_data_exits_2_without_traceback(content, tmp_path, tiny_model_dir, cache_dir, user_files):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    out = ["--out", str(tmp_path / "o"), "--model", str(tiny_model_dir)]
    r = toolken("train", *user_tools(user_files), "--data", str(bad), *out)
    assert r.returncode == 2, r.stderr
    assert "bad.json" in r.stderr and "Traceback" not in r.stderr


def test_unknown_toolset_and_missing_head_exit_2(tmp_path, user_files):
    r = toolken("train", "--tools", "nope", "--data", str(user_files.data), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "neither a registered tool set" in r.stderr
    r = toolken("run", str(tmp_path / "missing"), "hi")
    assert r.returncode == 2 and "not a toolken head" in r.stderr and "Traceback" not in r.stderr


def test_every_subcommand_has_help():
    for sub in ([], ["train"], ["run"], ["tools"]):
        r = toolken(*sub, "--help")
        assert r.returncode == 0 and "usage: toolken" in r.stdout


def test_every_option_says_what_it_does_and_no_empty_default():
    import argparse

    from toolken.cli import build_parser

    subs = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert {"train", "synth", "run", "serve", "tools"} <= set(subs.choices)
    for name, parser in subs.choices.items():
        for action in parser._actions:
            assert action.help, f"toolken {name} {action.dest} has no help"
        shown = parser.format_help()
        assert "(default: None)" not in shown and "(default: False)" not in shown, name
    assert "(default: 64)" in subs.choices["run"].format_help()  # a real default is still shown


def test_tools_listing(capsys, arith_registered, user_files):
    assert main(["tools"]) == 0
    assert "arith: 5 tools" in capsys.readouterr().out
    assert main(["tools", "arith"]) == 0
    assert "subtract(a, b): Subtract the second number from the first." in capsys.readouterr().out
    assert main(["tools", str(user_files.tools)]) == 0  # a JSON file of specs lists the same
    assert "add(numbers): Add numbers." in capsys.readouterr().out


def test_train_and_run_a_registered_set_by_name(tiny_model_dir, tmp_path, cache_dir, user_files, arith_registered):
    from toolken.head import ToolkenModel

    args = ["train", "--tools", "arith", "--data", str(user_files.data), "--model", str(tiny_model_dir)]
    assert main([*args, "--epochs", "1", "--out", str(tmp_path / "head")]) == 0
    head = ToolkenModel.from_pretrained(tmp_path / "head")
    assert head.config.toolset == "arith" and all(t.function is not None for t in head.tools)
    assert head.config.answer == "number"  # the set's format travels with the head
    assert all(t.demonstrations for t in head.tools)  # examples for tool mode, from the training data
    # no --functions: a registered set's functions come back by name
    assert main(["run", str(tmp_path / "head"), "What is 3 plus 4?", "--bias", "100", "--max-new-tokens", "4"]) == 0


def test_bench_without_the_extra_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setattr("toolken.cli.entry_points", lambda group: [])
    assert main(["bench", "funcqa-oh"]) == 2
    assert "`toolken bench` is not installed: pip install 'toolken[bench]'" in capsys.readouterr().err


def test_train_with_a_bfloat16_caching_pass_and_balanced_tools(tiny_model_dir, tmp_path, cache_dir):
    from conftest import write_user_files

    from toolken.head import ToolkenModel

    files = write_user_files(tmp_path / "user", n_records=30)
    args = ["train", *user_tools(files), "--data", str(files.data), "--model", str(tiny_model_dir), "--epochs", "1"]
    assert main([*args, "--out", str(tmp_path / "head"), "--cache-dtype", "bfloat16", "--balance-tools"]) == 0
    head = ToolkenModel.from_pretrained(tmp_path / "head")
    assert head.training.arguments["cache_dtype"] == "bfloat16"
    assert head.training.arguments["balance_tools"] is True
    assert next(head.lm.parameters()).dtype == torch.float32  # the model itself stays float32
    with pytest.raises(SystemExit):
        main([*args, "--out", str(tmp_path / "other"), "--cache-dtype", "float16"])


@pytest.mark.parametrize(
    "option, message",
    [
        (["--epochs", "0"], "--epochs must be a positive whole number, got 0"),
        (["--lr", "nan"], "--lr must be a finite number above 0"),
        (["--reg", "-1"], "--reg must be a finite number of at least 0"),
        (["--val-fraction", "1"], "--val-fraction must be in [0, 1)"),
        (["--bias", "high"], "--bias must be 'auto', 'eager' or a number, got 'high'"),
        (["--bias", "inf"], "--bias must be 'auto', 'eager' or a finite number"),
    ],
)
def test_bad_training_numbers_exit_2_before_anything_loads(option, message, tmp_path, capsys):
    argv = ["train", "--tools", "nope", "--data", "none.jsonl", "--out", str(tmp_path / "o"), *option]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "neither" not in err  # refused before the tool set is even looked up
    assert not (tmp_path / "o").exists()


def test_bad_run_settings_and_questions_exit_2(trained, capsys, monkeypatch):
    head, functions = trained
    for option, message in [
        (["--timeout", "0"], "--timeout must be a positive number of seconds"),
        (["--max-new-tokens", "0"], "--max-new-tokens must be at least 1"),
        (["--bias", "nan"], "--bias must be a finite number"),
        (["--typed-value-bias", "inf"], "--typed-value-bias must be a finite number"),
        (["--fit-bias", "nan"], "--fit-bias must be a finite number"),
    ]:
        assert main(["run", str(head), "hi", *option, *functions]) == 2
        assert message in capsys.readouterr().err
    assert main(["run", str(head), "  ", *functions]) == 2
    assert "the question is empty" in capsys.readouterr().err
    assert main(["run", str(head), "word " * 3000, *functions]) == 2
    assert "this model reads at most" in capsys.readouterr().err
    # from stdin, an over-long line is reported in the output and the next line still answered
    monkeypatch.setattr(sys, "stdin", io.StringIO("word " * 3000 + "\nWhat is 1 plus 1?\n"))
    assert main(["run", str(head), "--json", "--max-new-tokens", "4", *functions]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.strip().splitlines())
    assert "stdin line 1" in first["error"] and "answer" in second
