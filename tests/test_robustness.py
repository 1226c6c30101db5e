"""Reliability: fuzzed argument parsing and execution never crash; killed training resumes; corrupt
caches are refused; failing tools and bad files are reported, not raised."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import argument_texts, arith_records, arith_toolset, json_values, user_files, write_user_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import safe_open

from toolken.arguments import ToolError, parse_arguments, validate_arguments
from toolken.backbone import _cache_is_valid, default_model_dir
from toolken.cli import main
from toolken.execution import call_tool, format_result
from toolken.head import ToolkenModel
from toolken.testing import typed_echo_tool
from toolken.tools import Tool

MAX_CHARS = 200
assert user_files  # a fixture of conftest, used below


def _mixed_tool() -> Tool:
    return typed_echo_tool("mixed")


def lookup(subject: str) -> str:
    """Look up a capital: a tool with one string argument (as KAMEL's relations are).

    Args:
        subject: The country.
    """
    capitals = {"france": "Paris", "japan": "Tokyo"}
    if subject.strip().lower() not in capitals:
        raise LookupError(f"no capital known for {subject!r}")
    return capitals[subject.strip().lower()]


def end() -> str:
    """End the plan: a tool without arguments (as VirtualHome's plan tokens are)."""
    return "[END]"


# every kind of tool: list and number arguments, one string, none, a strict many-typed schema, no function
TOOLS = (
    arith_toolset().tools
    + [Tool.from_function(lookup), Tool.from_function(end)]
    + [_mixed_tool(), Tool("unbound", "No function.", {"type": "object", "properties": {"x": {}}})]
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.sampled_from(TOOLS), argument_texts)
def test_parse_arguments_returns_dict_or_tool_error(tool, text):
    try:
        args = parse_arguments(text, tool)
    except ToolError:
        return
    assert isinstance(args, dict)


@FUZZ
@given(st.sampled_from(TOOLS), argument_texts)
def test_call_tool_never_raises(tool, text):
    call = call_tool(tool, text, timeout=2.0, max_chars=MAX_CHARS)
    assert (call.result is None) != (call.error is None)
    assert call.result is None or (isinstance(call.result, str) and len(call.result) <= MAX_CHARS)
    assert call.error is None or isinstance(call.error, str)


@FUZZ
@given(st.sampled_from(TOOLS), st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_validate_arguments_returns_dict_or_tool_error(tool, args):
    try:
        assert isinstance(validate_arguments(tool, args), dict)
    except ToolError:
        pass


@FUZZ
@given(st.one_of(json_values, st.integers(0, 6000).map(lambda k: 10**k), st.sets(st.integers(), max_size=3)))
def test_format_result_returns_text_or_tool_error(value):
    try:
        assert isinstance(format_result(value), str)
    except ToolError:
        pass


def test_unprintable_results_and_exceptions_become_errors():
    class Broken(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    def raise_broken() -> int:
        """Raise an exception that cannot be printed."""
        raise Broken

    def cyclic() -> list:
        """Return a list that contains itself."""
        out: list = []
        out.append(out)
        return out

    assert "unprintable" in call_tool(Tool.from_function(raise_broken), "").error
    assert "cannot be rendered" in call_tool(Tool.from_function(cyclic), "").error
    assert "too long" in call_tool(arith_toolset().tools[0], "1" * 20_000).error


# ---------------------------------------------------------------- fault injection


def _train_args(files, out, model) -> list[str]:
    """`toolken train` on a user's own tool set (`conftest.write_user_files`)."""
    tools = ["--tools", str(files.tools), "--functions", str(files.functions)]
    return ["train", *tools, "--data", str(files.data), "--out", str(out), "--model", str(model)]


def test_training_killed_mid_epoch_leaves_loadable_head_and_resumes(
    tiny_model_dir, tiny_backbone, tmp_path, cache_dir, monkeypatch, capsys
):
    out = tmp_path / "run"
    files = write_user_files(tmp_path / "user", n_records=150)  # an epoch takes a fraction of a second
    args = _train_args(files, out, tiny_model_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolken.cli", *args, "--epochs", "200", "--batch-size", "64"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while not (out / "trainer_state.json").exists():
            assert proc.poll() is None, "training ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)  # land the kill somewhere inside a later epoch
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    ToolkenModel.from_pretrained(out, backbone=tiny_backbone)  # the last good checkpoint loads
    # the epoch resumed from is the one the state tensors carry (a kill between the state's two writes
    # leaves trainer_state.json one epoch behind them)
    with safe_open(out / "trainer_state.safetensors", "pt") as f:
        saved = json.loads(f.metadata()["state"])["epoch"]
    # a kill inside an atomic write can leave only that write's temporary beside the intact files
    hidden = {p.name for p in out.glob(".*")} - {".toolken.lock"}
    assert all(name.endswith(".tmp") for name in hidden), hidden
    (out / ".toolken_head.safetensors.killed.tmp").write_bytes(b"half a write")  # as one would be
    import toolken.training as tr

    epochs, real = [], tr._save_state
    monkeypatch.setattr(tr, "_save_state", lambda m, d, epoch, *a: (epochs.append(epoch), real(m, d, epoch, *a)))
    # --min-steps 0: exactly the epochs asked for (a loaded machine saves an early epoch, and the step
    # plan would add epochs to a short resumed run)
    assert main([*args, "--epochs", str(saved + 2), "--batch-size", "64", "--min-steps", "0", "--resume"]) == 0
    assert epochs == [saved + 1, saved + 2]  # continued from the saved epoch, not from scratch
    assert not (out / "trainer_state.json").exists()
    assert not list(out.glob(".*.tmp"))  # the run that took the folder over removed what the kill left
    ToolkenModel.from_pretrained(out, backbone=tiny_backbone)


def test_resume_from_damaged_state_is_a_clear_error(tiny_model_dir, tmp_path, cache_dir, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "trainer_state.json").write_text("{}")
    (out / "trainer_state.safetensors").write_bytes(b"garbage")
    argv = _train_args(write_user_files(tmp_path / "user", n_records=20), out, tiny_model_dir)
    assert main([*argv, "--epochs", "1", "--resume"]) == 2
    assert "cannot resume" in capsys.readouterr().err


def test_default_model_cache_check_rejects_damage(tmp_path, monkeypatch):
    folder = tmp_path / "models" / "smollm2-135m-instruct"
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"x" * 100)
    (folder / "toolken_manifest.json").write_text(json.dumps({"sizes": {"model.safetensors": 100}}))
    assert _cache_is_valid(folder)
    monkeypatch.setenv("TOOLKEN_CACHE", str(tmp_path))
    assert default_model_dir() == folder  # a valid cache is used as is

    (folder / "model.safetensors").write_bytes(b"x" * 60)  # truncated
    assert not _cache_is_valid(folder)

    def rebuild():
        raise RuntimeError("rebuild")

    monkeypatch.setattr("toolken.backbone.PackagedModel.locate", lambda self, scratch: rebuild())
    with pytest.raises(RuntimeError, match="rebuild"):  # a damaged cache is rebuilt, not trusted
        default_model_dir()
    (folder / "model.safetensors").unlink()
    assert not _cache_is_valid(folder)
    (folder / "toolken_manifest.json").write_text("{not json")
    assert not _cache_is_valid(folder)


# the calls are counted in a file beside it: a tool may run in a worker process, with its own memory
FLAKY_PY = '''
import time
from pathlib import Path

CALLS = Path(__file__).with_name("flaky_calls.txt")


def flaky():
    """Hang, raise or flood, in turn."""
    n = len(CALLS.read_text()) + 1 if CALLS.exists() else 1
    CALLS.write_text("x" * n)
    kind = n % 3
    if kind == 1:
        time.sleep(30)
    if kind == 2:
        raise RuntimeError("tool exploded")
    return "x" * 1_000_000
'''


def test_cli_run_reports_hanging_raising_and_huge_tools(tiny_model_dir, tmp_path, cache_dir, monkeypatch, capsys):
    spec = tmp_path / "tools.json"
    spec.write_text(json.dumps([{"type": "function", "function": {"name": "flaky", "description": "Do it."}}]))
    functions = tmp_path / "flaky.py"
    functions.write_text(FLAKY_PY)
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps({"text": f"Q: run job {i}\nA: [[flaky()=done]] ok"}) for i in range(8)))
    out = tmp_path / "head"
    common = ["--functions", str(functions)]
    train = ["train", "--tools", str(spec), "--data", str(data), "--out", str(out), "--epochs", "2"]
    assert main([*train, "--model", str(tiny_model_dir), *common]) == 0
    capsys.readouterr()
    run = ["run", str(out), "--json", "--bias", "100", "--timeout", "0.3", "--max-new-tokens", "12"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("go\ngo on\ngo again\n"))
    start = time.monotonic()
    assert main([*run, *common]) == 0
    assert time.monotonic() - start < 20
    lines = capsys.readouterr().out.strip().splitlines()
    calls = [c for line in lines for c in json.loads(line)["calls"]]
    assert len(lines) == 3 and all(c["result"] is None and c["error"] for c in calls)
    expected = ["timed out", "tool exploded", "characters (limit"]
    assert all(expected[i % 3] in c["error"] for i, c in enumerate(calls))  # hang, raise, flood, in turn
    assert len(calls) >= 3


_GOOD = arith_records(3)
BAD_FILES = {
    "empty": ("", "the file is empty"),
    "malformed JSON": ('[{"text": ', "invalid JSON"),
    "missing field": (
        json.dumps([{"text": "Q: a\nA: 1", "calls": [{"tool": "add", "end": 1}]}]),
        "missing field 'start'",
    ),
    "result out of the text": (
        json.dumps([{"text": "It is 1+1=2.", "calls": [{"tool": "add", "start": 10, "end": 40}]}]),
        "out of range",
    ),
    "unknown tool": (json.dumps(_GOOD + [{"text": "Q: x\nA: [[teleport(1)=2]]"}]), "unknown tool 'teleport'"),
    "bad JSON line": (json.dumps(_GOOD[0]) + "\n{oops\n", "line 2"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_malformed_file_exits_2_naming_file_and_record(
    case, tmp_path, tiny_model_dir, cache_dir, capsys, user_files
):
    content, message = BAD_FILES[case]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    user_files.data = bad
    assert main(_train_args(user_files, tmp_path / "o", tiny_model_dir)) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and message in err and "Traceback" not in err
    if case in {"missing field", "result out of the text", "unknown tool"}:
        assert "record" in err


def test_bad_tool_specs_and_functions_exit_2(tmp_path, capsys, user_files):
    spec = tmp_path / "tools.json"
    spec.write_text(json.dumps([{"name": "x", "inputSchema": {"type": "object", "properties": {"a": {"type": 5}}}}]))
    assert main(["tools", str(spec)]) == 2
    assert "invalid parameter schema" in capsys.readouterr().err
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    user_files.functions = broken
    assert main(_train_args(user_files, tmp_path / "o", "unused")) == 2
    assert "cannot import: SyntaxError" in capsys.readouterr().err
    user_files.functions = tmp_path / "missing.py"
    assert main(_train_args(user_files, tmp_path / "o", "unused")) == 2
    assert "missing.py does not exist" in capsys.readouterr().err


def test_functions_are_only_those_the_file_defines(tmp_path):
    from toolken.cli import load_functions

    own = tmp_path / "own.py"
    own.write_text(
        "from os import system\nfrom math import sqrt\n\n\ndef mine(x: int) -> int:\n    return x\n\n\n"
        "def _private():\n    pass\n"
    )
    assert list(load_functions(str(own))) == ["mine"]  # never an imported name (os.system)
    assert load_functions(str(own), ["other"]) == {} and load_functions(None) == {}


def test_skip_bad_says_how_many_it_skipped(tmp_path, tiny_model_dir, cache_dir, capsys, user_files):
    records = arith_records(20) + [{"text": "Q: x\nA: [[teleport(1)=2]]"}, {"foo": 1}, 7]
    user_files.data.write_text(json.dumps(records))
    argv = _train_args(user_files, tmp_path / "o", tiny_model_dir)
    assert main([*argv, "--epochs", "1"]) == 2
    capsys.readouterr()
    assert main([*argv, "--epochs", "1", "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "skipped 3 bad record(s)" in captured.err
    assert json.loads(captured.out.strip().splitlines()[-1])["skipped"] == 3
