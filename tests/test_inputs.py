"""Careless and hostile input to the command line and the head files: every failure is exit 2 with one
line naming the file or record, and a head on disk is one unit."""

import io
import json
import os
import stat
import sys

import pytest
from conftest import user_files  # noqa: F401 - the fixture

from toolken.atomic import OutputLock, write_json
from toolken.cli import load_functions, main
from toolken.head import CONFIG_NAME, WEIGHTS_NAME, HeadLoadError, read_head


def _tools(files) -> list[str]:
    return ["--tools", str(files.tools), "--functions", str(files.functions)]


@pytest.fixture
def head(tiny_model_dir, tmp_path, cache_dir, user_files):  # noqa: F811 - the fixture
    out = tmp_path / "head"
    args = ["train", *_tools(user_files), "--data", str(user_files.data), "--out", str(out)]
    assert main([*args, "--model", str(tiny_model_dir), "--epochs", "2"]) == 0
    return out


def _err(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and "Traceback" not in "\n".join(err)
    return err[-1]


@pytest.mark.parametrize(
    "option",
    [
        ["--epochs", "0"],
        ["--batch-size", "-1"],
        ["--reg", "nan"],
        ["--bias", "nan"],
        ["--lr", "inf"],
        ["--val-fraction", "1.5"],
    ],  # fmt: skip
)
def test_bad_training_numbers_exit_2_before_loading_anything(option, tmp_path, user_files, capsys):  # noqa: F811
    rc = main(["train", *_tools(user_files), "--data", str(user_files.data), "--out", str(tmp_path / "h"), *option])
    assert rc == 2 and option[0].lstrip("-").replace("-", "_").split("_")[0] in _err(capsys).replace("-", "_")
    assert not (tmp_path / "h").exists()


@pytest.mark.parametrize("option", [["--timeout", "inf"], ["--timeout", "0"], ["--max-new-tokens", "0"]])
def test_bad_run_numbers_exit_2(option, head, capsys, user_files):  # noqa: F811
    assert main(["run", str(head), "hi", "--functions", str(user_files.functions), *option]) == 2
    assert option[0] in _err(capsys)


def test_empty_and_overlong_questions_are_refused(head, capsys, user_files):  # noqa: F811
    functions = ["--functions", str(user_files.functions)]
    assert main(["run", str(head), "   ", *functions]) == 2
    assert "empty" in _err(capsys)
    assert main(["run", str(head), "word " * 5000, *functions]) == 2
    assert "tokens long" in _err(capsys)


def test_binary_and_overlong_stdin_lines_do_not_stop_the_session(head, capsys, monkeypatch, user_files):  # noqa: F811
    data = b"What is 3 plus 4?\n\xff\xfe\x00bytes\n" + b"word " * 5000 + b"\nWhat is 2 plus 2?\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["run", str(head), "--json", "--max-new-tokens", "4", "--functions", str(user_files.functions)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert len(lines) == 4 and "error" in lines[2] and "answer" in lines[3]


def test_a_head_without_its_functions_is_refused(head, capsys):
    assert main(["run", str(head), "What is 3 plus 4?"]) == 2
    assert "no function bound" in _err(capsys)


def test_options_before_the_question(head, capsys, user_files):  # noqa: F811
    rc = main(
        ["run", str(head), "--functions", str(user_files.functions), "--max-new-tokens", "4", "What is 1 plus 2?"]
    )
    assert rc == 0


def test_only_functions_defined_in_the_file_are_bound(tmp_path):
    source = tmp_path / "mine.py"
    source.write_text("from os import system\nfrom pathlib import Path\n\n\ndef add(a: int) -> int:\n    return a\n")
    assert set(load_functions(str(source))) == {"add"}


def test_a_second_writer_to_one_folder_fails_at_once_and_temporaries_are_cleaned(tmp_path):
    (tmp_path / "out").mkdir()
    stale = tmp_path / "out" / f".{WEIGHTS_NAME}.abc.tmp"
    stale.write_bytes(b"half")
    with OutputLock(tmp_path / "out"):
        assert not stale.exists()
        with pytest.raises(OSError, match="another toolken run"), OutputLock(tmp_path / "out"):
            pass
    with OutputLock(tmp_path / "out"):  # released: usable again
        pass


def test_two_trains_into_one_out_do_not_both_succeed(head, tmp_path, capsys, user_files, tiny_model_dir):  # noqa: F811
    with OutputLock(head):  # another run holds the folder
        args = ["train", *_tools(user_files), "--data", str(user_files.data), "--out", str(head)]
        assert main([*args, "--model", str(tiny_model_dir), "--epochs", "1"]) == 2
    assert "another toolken run" in _err(capsys)


def test_weights_from_another_save_are_refused(head, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    config = json.loads((head / CONFIG_NAME).read_text())
    (head / WEIGHTS_NAME).write_bytes((head / WEIGHTS_NAME).read_bytes()[:-8] + b"\x00" * 8)  # a torn save
    with pytest.raises(HeadLoadError, match="does not match"):
        read_head(head)
    assert config["files"][WEIGHTS_NAME]  # the manifest names the weights' hash


@pytest.mark.parametrize(
    "change",
    [
        {"prompt": "{}"},
        {"prompt": "{question} {other}"},
        {"tools": [1]},
        {"bias": "nan"},
        {"init": "magic"},
        {"stop": [""]},
    ],  # fmt: skip
)
def test_odd_config_values_are_a_clear_load_error(head, change):
    config = json.loads((head / CONFIG_NAME).read_text())
    config.update(change)
    (head / CONFIG_NAME).write_text(json.dumps(config))
    with pytest.raises(HeadLoadError, match="corrupt"):
        read_head(head)


def test_a_deeply_nested_config_or_data_file_is_a_clear_error(head, tmp_path, capsys, user_files):  # noqa: F811
    (head / CONFIG_NAME).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(HeadLoadError):
        read_head(head)
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert main(["train", *_tools(user_files), "--data", str(deep), "--out", str(tmp_path / "h")]) == 2
    assert "nested too deeply" in _err(capsys)


def test_unknown_config_keys_load_with_a_warning(head):
    config = json.loads((head / CONFIG_NAME).read_text())
    config["from_the_future"] = 1
    write_json(head / CONFIG_NAME, config)  # the manifest covers the weights and record, not the config
    with pytest.warns(UserWarning, match="from_the_future"):
        read_head(head)


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_json(tmp_path / "a.json", {"x": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
