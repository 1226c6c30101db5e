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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolken.backbone import _cache_is_valid, default_model_dir
from toolken.cli import main
from toolken.head import ToolkenModel
from toolken.testing import typed_echo_tool
from toolken.tools import Tool, ToolError, call_tool, format_result, parse_arguments, validate_arguments
from toolken.toolsets import TOOLKENGPT_DIR, get_toolset

FUNCQA = TOOLKENGPT_DIR / "funcqa" / "train.json"
MAX_CHARS = 200


def _mixed_tool() -> Tool:
    return typed_echo_tool("mixed")


TOOLS = (
    get_toolset("funcqa").tools
    + [t for t in get_toolset("kamel").tools if t.name in {"P17", "P127", "P36"}]
    + [t for t in get_toolset("virtualhome").tools if t.name in {"WALK", "END"}]
    + [_mixed_tool(), Tool("unbound", "No function.", {"type": "object", "properties": {"x": {}}})]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
atoms = st.one_of(
    st.integers().map(str),
    st.floats().map(repr),
    st.text(max_size=10).map(json.dumps),
    st.text(alphabet="0123456789.eE-+_,=()'\"{}[] xyzab\\", max_size=12),
)
argument_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(st.sampled_from(["", "a=", "b=", "s=", "n=", "x=", "subject="]), atoms), max_size=5).map(
        lambda parts: ", ".join(k + v for k, v in parts)
    ),
    st.dictionaries(st.sampled_from(["a", "b", "s", "n", "items", "x", "q"]), json_values, max_size=4).map(json.dumps),
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
    assert "too long" in call_tool(get_toolset("funcqa").tools[0], "1" * 20_000).error


# ---------------------------------------------------------------- fault injection


def test_training_killed_mid_epoch_leaves_loadable_head_and_resumes(
    tiny_model_dir, tiny_backbone, tmp_path, cache_dir, monkeypatch, capsys
):
    out, data = tmp_path / "run", tmp_path / "d.json"
    data.write_text(json.dumps(json.loads(FUNCQA.read_text())[:150]))  # an epoch takes a fraction of a second
    args = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(out), "--model", str(tiny_model_dir)]
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
    saved = json.loads((out / "trainer_state.json").read_text())["epoch"]
    assert not list(out.glob(".*.tmp"))  # or a temp file was left behind by the kill
    import toolken.training as tr

    epochs, real = [], tr._save_state
    monkeypatch.setattr(tr, "_save_state", lambda m, d, epoch, *a: (epochs.append(epoch), real(m, d, epoch, *a)))
    assert main([*args, "--epochs", str(saved + 2), "--batch-size", "64", "--resume"]) == 0
    assert epochs == [saved + 1, saved + 2]  # continued from the saved epoch, not from scratch
    assert not (out / "trainer_state.json").exists()
    ToolkenModel.from_pretrained(out, backbone=tiny_backbone)


def test_resume_from_damaged_state_is_a_clear_error(tiny_model_dir, tmp_path, cache_dir, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "trainer_state.json").write_text("{}")
    (out / "trainer_state.safetensors").write_bytes(b"garbage")
    data = tmp_path / "d.json"
    data.write_text(json.dumps(json.loads(FUNCQA.read_text())[:20]))
    argv = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(out), "--model", str(tiny_model_dir)]
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

    monkeypatch.setattr("toolken.backbone._gguf_path", rebuild)
    with pytest.raises(RuntimeError, match="rebuild"):  # a damaged cache is rebuilt, not trusted
        default_model_dir()
    (folder / "model.safetensors").unlink()
    assert not _cache_is_valid(folder)
    (folder / "toolken_manifest.json").write_text("{not json")
    assert not _cache_is_valid(folder)


FLAKY_PY = '''
import time

CALLS = []


def flaky():
    """Hang, raise or flood, in turn."""
    CALLS.append(1)
    kind = len(CALLS) % 3
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


_GOOD = json.loads(FUNCQA.read_text())[:3]
BAD_FILES = {
    "empty": ("", "the file is empty"),
    "malformed JSON": ('[{"text": ', "invalid JSON"),
    "missing field": (json.dumps([{"text": "Q: a\nA: 1", "tar_number": ["1"]}]), "missing field 'tar_eq'"),
    "result not in text": (
        json.dumps([{"text": "It is 1+1=2.", "tar_eq": ["<add>(1, 1)=3<eoe>"], "tar_number": ["3"]}]),
        "not found",
    ),
    "unknown tool": (json.dumps(_GOOD + [{"text": "Q: x\nA: [[teleport(1)=2]]"}]), "unknown tool 'teleport'"),
    "bad JSON line": (json.dumps(_GOOD[0]) + "\n{oops\n", "line 2"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_malformed_file_exits_2_naming_file_and_record(case, tmp_path, tiny_model_dir, cache_dir, capsys):
    content, message = BAD_FILES[case]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    argv = [
        "train",
        "--tools",
        "funcqa",
        "--data",
        str(bad),
        "--out",
        str(tmp_path / "o"),
        "--model",
        str(tiny_model_dir),
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and message in err and "Traceback" not in err
    if case in {"missing field", "result not in text", "unknown tool"}:
        assert "record" in err


def test_bad_tool_specs_and_functions_exit_2(tmp_path, capsys):
    spec = tmp_path / "tools.json"
    spec.write_text(json.dumps([{"name": "x", "inputSchema": {"type": "object", "properties": {"a": {"type": 5}}}}]))
    assert main(["tools", str(spec)]) == 2
    assert "invalid parameter schema" in capsys.readouterr().err
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    argv = [
        "train",
        "--tools",
        "funcqa",
        "--data",
        str(FUNCQA),
        "--out",
        str(tmp_path / "o"),
        "--functions",
        str(broken),
    ]
    assert main(argv) == 2
    assert "cannot import: SyntaxError" in capsys.readouterr().err


def test_skip_bad_says_how_many_it_skipped(tmp_path, tiny_model_dir, cache_dir, capsys):
    records = json.loads(FUNCQA.read_text())[:20] + [{"text": "Q: x\nA: [[teleport(1)=2]]"}, {"foo": 1}, 7]
    data = tmp_path / "d.json"
    data.write_text(json.dumps(records))
    argv = [
        "train",
        "--tools",
        "funcqa",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "o"),
        "--model",
        str(tiny_model_dir),
    ]
    assert main([*argv, "--epochs", "1"]) == 2
    capsys.readouterr()
    assert main([*argv, "--epochs", "1", "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "skipped 3 bad record(s)" in captured.err
    assert json.loads(captured.out.strip().splitlines()[-1])["skipped"] == 3
