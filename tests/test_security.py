"""Untrusted heads, schemas and tools (issue #16): loading runs no model code and never prompts;
schema refs stay local; schema regexes run in linear time; tools run in a worker process that is
killed at the time limit; tool results are text, never special tokens; deep nesting is an error."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
import referencing.exceptions

from toolken import backbone
from toolken.arguments import ToolError, parse_arguments, validate_arguments
from toolken.execution import call_tool, execute
from toolken.generation import GenerationConfig, _Row, _run_text_call, generate
from toolken.head import ToolkenModel
from toolken.testing import fake_cache_build, race_cache_build
from toolken.tools import LOCAL_REFS_ONLY, MAX_DEPTH, Tool

# ---------------------------------------------------------------- (a) loading runs no code, never prompts

EVIL_PY = """
from pathlib import Path
Path({marker!r}).write_text("code from the model folder ran")
"""


def _evil_copy(tiny_model_dir: Path, folder: Path, config_name: str) -> Path:
    shutil.copytree(tiny_model_dir, folder)
    marker = folder.parent / f"{folder.name}-marker"
    (folder / "evil.py").write_text(EVIL_PY.format(marker=str(marker)))
    config = json.loads((folder / config_name).read_text())
    config["auto_map"] = (
        {"AutoConfig": "evil.EvilConfig", "AutoModelForCausalLM": "evil.EvilModel"}
        if config_name == "config.json"
        else {"AutoTokenizer": ["evil.EvilTokenizer", None]}
    )
    (folder / config_name).write_text(json.dumps(config))
    return marker


@pytest.mark.parametrize("config_name", ["config.json", "tokenizer_config.json"])
def _loaders() -> list:
    """Every transformers class whose `from_pretrained` toolken may call to load a backbone."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.tokenization_utils_tokenizers import TokenizersBackend

    return [AutoModelForCausalLM, AutoTokenizer, TokenizersBackend]


@pytest.mark.parametrize("config_name", ["config.json", "tokenizer_config.json"])
def test_folder_with_auto_map_is_refused_before_transformers(tiny_model_dir, tmp_path, monkeypatch, config_name):
    marker = _evil_copy(tiny_model_dir, tmp_path / "evil", config_name)
    called = []
    for cls in _loaders():
        monkeypatch.setattr(cls, "from_pretrained", lambda *a, **k: called.append(a))
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n" * 10))  # a prompt would be answered "yes"
    with pytest.raises(ValueError, match=re.escape(config_name) + ".*auto_map"):
        backbone.load_backbone(tmp_path / "evil")
    assert not called and not marker.exists()


def test_auto_map_folder_never_prompts_or_runs_code_in_a_fresh_process(tiny_model_dir, tmp_path):
    marker = _evil_copy(tiny_model_dir, tmp_path / "evil", "config.json")
    code = "import sys; from toolken.backbone import load_backbone; load_backbone(sys.argv[1])"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "evil")],
        input="y\ny\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "auto_map" in proc.stderr and "config.json" in proc.stderr
    assert "[y/N]" not in proc.stdout + proc.stderr and not marker.exists()


@pytest.mark.parametrize("implementation", list(backbone.Implementation))
def test_transformers_is_always_told_not_to_trust_remote_code(tiny_model_dir, monkeypatch, implementation):
    seen, depth = [], []
    for cls in _loaders():
        real = cls.from_pretrained.__func__

        def spy(klass, *a, _real=real, **k):
            if not depth:  # toolken's own calls, not AutoTokenizer's call of the class it chose
                seen.append(k.get("trust_remote_code", "missing"))
            depth.append(1)
            try:
                return _real(klass, *a, **k)
            finally:
                depth.pop()

        monkeypatch.setattr(cls, "from_pretrained", classmethod(spy))
    backbone.load_backbone(tiny_model_dir, implementation=implementation)
    # transformers' model and tokenizer, or none (toolken's own Llama, its tokenizer.json read by `tokenizers`)
    assert seen == ([] if implementation == "auto" else [False, False])


def test_a_folder_backbone_is_named_on_stderr(tiny_model_dir, capsys):
    backbone.load_backbone(tiny_model_dir)
    err = capsys.readouterr().err
    assert f"toolken: loading backbone from {Path(tiny_model_dir).resolve()}" in err
    assert backbone.is_packaged_model(None) and backbone.is_packaged_model(backbone.DEFAULT_MODEL)


# ---------------------------------------------------------------- (b) schema refs stay local


@pytest.fixture
def silent_listener():
    """A TCP port on 127.0.0.1 that takes connections into its backlog but never answers (a fetch of a
    ref there would hang); after the test, nothing may have connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with pytest.raises(BlockingIOError):
            sock.accept()  # no connection was ever made
    finally:
        sock.close()


def _schema(ref: str) -> dict:
    return {"type": "object", "properties": {"a": {"$ref": ref}}, "$defs": {"s": {"type": "string"}}}


@pytest.mark.parametrize("kind", ["http", "https", "file", "relative"])
def test_non_local_refs_are_refused_when_the_tool_is_made(silent_listener, tmp_path, kind):
    (tmp_path / "s.json").write_text('{"type": "string"}')
    ref = {
        "http": f"{silent_listener}/schema.json",
        "https": "https://127.0.0.1:9/schema.json",
        "file": (tmp_path / "s.json").as_uri(),
        "relative": "s.json#/type",
    }[kind]
    start = time.monotonic()
    with pytest.raises(ValueError, match=r"\$ref .* is not local"):
        Tool("t", "d", _schema(ref), lambda a: a)
    with pytest.raises(ValueError, match="is not local"):
        Tool.from_openai({"type": "function", "function": {"name": "t", "parameters": _schema(ref)}})
    assert time.monotonic() - start < 2


def test_local_refs_resolve_and_unresolvable_ones_are_refused():
    tool = Tool("t", "d", _schema("#/$defs/s"), lambda a: a)
    assert parse_arguments('{"a": "x"}', tool) == {"a": "x"}
    with pytest.raises(ToolError, match="is not of type 'string'"):
        parse_arguments('{"a": [1]}', tool)
    with pytest.raises(ValueError, match="does not resolve"):
        Tool("t", "d", _schema("#/$defs/missing"))


def test_a_ref_changed_after_creation_is_refused_at_validation_without_fetching(silent_listener, tmp_path):
    (tmp_path / "s.json").write_text('{"type": "string"}')
    tool = Tool("t", "d", _schema("#/$defs/s"), lambda a: a)
    for ref in (f"{silent_listener}/s.json", (tmp_path / "s.json").as_uri()):
        tool.parameters["properties"]["a"]["$ref"] = ref
        start = time.monotonic()
        with pytest.raises(ToolError, match="is not local"):
            validate_arguments(tool, {"a": "x"})
        call = call_tool(tool, '{"a": "x"}')  # never raises: the failure is the call's error
        assert call.result is None and "is not local" in call.error
        assert time.monotonic() - start < 2


def test_the_registry_itself_never_fetches(silent_listener):
    """Even a validator built past toolken's checks resolves nothing remote within `LOCAL_REFS_ONLY`."""
    validator = jsonschema.Draft202012Validator(_schema(f"{silent_listener}/s.json"), registry=LOCAL_REFS_ONLY)
    start = time.monotonic()
    with pytest.raises(referencing.exceptions.Unresolvable):
        validator.validate({"a": "x"})
    assert time.monotonic() - start < 2


# ---------------------------------------------------------------- (c) schema regexes in linear time

EVIL = "^(a+)+$"


def test_catastrophic_pattern_validates_fast():
    tool = Tool("t", "d", {"type": "object", "properties": {"s": {"type": "string", "pattern": EVIL}}}, str)
    start = time.monotonic()
    with pytest.raises(ToolError, match="does not match"):
        parse_arguments('{"s": "' + "a" * 40 + '!"}', tool)
    assert parse_arguments('s="aaaa"', tool) == {"s": "aaaa"}
    assert time.monotonic() - start < 0.5


def test_catastrophic_pattern_properties_and_property_names_validate_fast():
    schema = {
        "type": "object",
        "patternProperties": {EVIL: {"type": "integer"}},
        "additionalProperties": False,
        "propertyNames": {"pattern": "^(b|b)+$|" + EVIL},
    }
    tool = Tool("t", "d", schema, str)
    start = time.monotonic()
    with pytest.raises(ToolError):
        validate_arguments(tool, {"a" * 40 + "!": 1})
    with pytest.raises(ToolError):
        validate_arguments(tool, {"b" * 40 + "!": 1})
    assert validate_arguments(tool, {"aaa": 1}) == {"aaa": 1}
    assert time.monotonic() - start < 0.5


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<!a)b", "a{1001}"])
def test_patterns_re2_cannot_run_are_refused_when_the_tool_is_made(pattern):
    with pytest.raises(ValueError, match="RE2"):
        Tool("t", "d", {"type": "object", "properties": {"s": {"type": "string", "pattern": pattern}}})
    with pytest.raises(ValueError, match="RE2"):
        Tool("t", "d", {"type": "object", "patternProperties": {pattern: {}}})


def test_format_regex_is_checked_with_re2():
    tool = Tool("t", "d", {"type": "object", "properties": {"r": {"type": "string", "format": "regex"}}}, str)
    assert validate_arguments(tool, {"r": "a+b"}) == {"r": "a+b"}
    with pytest.raises(ToolError, match="is not a 'regex'"):
        validate_arguments(tool, {"r": r"(a)\1"})


def test_unevaluated_properties_with_pattern_properties_is_refused():
    schema = {"type": "object", "patternProperties": {"^x": {}}, "unevaluatedProperties": False}
    with pytest.raises(ValueError, match="unevaluatedProperties"):
        Tool("t", "d", schema)


# ---------------------------------------------------------------- (d) tools run in a worker that is killed


def _children() -> set[int]:
    """Live (or unreaped) child processes of this process."""
    pids = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with open(task / "children") as f:
            pids.update(int(p) for p in f.read().split())
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")


def test_a_timed_out_tool_is_killed_and_its_side_effects_stop(tmp_path):
    marker, pid_file = tmp_path / "written", tmp_path / "pid"

    def slow_then_write() -> str:
        pid_file.write_text(str(os.getpid()))
        time.sleep(1.5)  # a thread would be abandoned here, and write the file a moment later
        marker.write_text("side effect")
        return "done"

    start = time.monotonic()
    call = call_tool(Tool("slow", "d", function=slow_then_write), "", timeout=0.4)
    assert "timed out after 0.4 s" in call.error and time.monotonic() - start < 1.5
    assert pid_file.exists() and not _alive(int(pid_file.read_text()))
    time.sleep(1.6)
    assert not marker.exists()


def test_a_tool_holding_the_gil_is_stopped_at_the_limit():
    def spin() -> str:
        return str(re.match(r"(a+)+$", "a" * 40 + "!"))  # catastrophic backtracking inside C, GIL held

    def busy() -> int:
        while True:
            pass

    for fn in (spin, busy):
        start = time.monotonic()
        with pytest.raises(ToolError, match="timed out"):
            execute(Tool("spin", "d", function=fn), {}, timeout=0.3)
        assert time.monotonic() - start < 1.3


@needs_proc
def test_twenty_timeouts_leave_no_child_processes():
    before = _children()
    tool = Tool("hang", "d", function=lambda: time.sleep(60))
    start = time.monotonic()
    for _ in range(20):
        assert "timed out" in call_tool(tool, "", timeout=0.05).error
    assert time.monotonic() - start < 20 * 0.05 + 10
    assert _children() - before == set() and multiprocessing.active_children() == []


@needs_proc
def test_processes_a_tool_starts_die_with_it(tmp_path):
    pid_file = tmp_path / "helper"

    def spawn() -> str:
        helper = subprocess.Popen(["sleep", "60"])
        pid_file.write_text(str(helper.pid))
        time.sleep(60)
        return "never"

    assert "timed out" in call_tool(Tool("spawn", "d", function=spawn), "", timeout=0.5).error
    deadline = time.monotonic() + 2
    while _alive(int(pid_file.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(pid_file.read_text()))


def test_a_printing_tool_never_writes_to_the_callers_output(capfd):
    def chatty() -> str:
        print("PRINTED BY THE TOOL")
        print("TO STDERR", file=sys.stderr)
        os.write(1, b"WRITTEN TO FD 1\n")
        return "ok"

    assert call_tool(Tool("chatty", "d", function=chatty), "").result == "ok"
    out, err = capfd.readouterr()
    assert "TOOL" not in out + err and "FD 1" not in out + err and "STDERR" not in out + err


def test_a_tool_cannot_read_the_terminal():
    def ask() -> str:
        return sys.stdin.read() or os.read(0, 10).decode() or "nothing"

    assert call_tool(Tool("ask", "d", function=ask), "").result == "nothing"


def test_errors_keep_their_type_and_message_and_results_their_limit():
    def boom(x: str) -> str:
        """Raise.

        Args:
            x: the message
        """
        raise ValueError(f"bad {x}")

    call = call_tool(Tool.from_function(boom), '"input"')
    assert call.error == "boom raised ValueError: bad input" and call.result is None
    call = call_tool(Tool("huge", "d", function=lambda: "x" * 5000), "", max_chars=100)
    assert call.error == "huge returned 5000 characters (limit 100)"
    call = call_tool(Tool("nan", "d", function=lambda: float("nan")), "")
    assert "not a finite number" in call.error
    assert "SystemExit" in call_tool(Tool("quit", "d", function=lambda: sys.exit(3)), "").error


def test_a_worker_that_dies_is_an_error():
    assert "exited (3) without returning a result" in call_tool(Tool("d", "d", function=lambda: os._exit(3)), "").error
    die = Tool("k", "d", function=lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert f"killed by signal {int(signal.SIGKILL)}" in call_tool(die, "").error


def test_closures_and_lambdas_run_in_the_worker():
    offset = 41

    def add_offset(x: int) -> int:
        """Add.

        Args:
            x: a number
        """
        return x + offset

    assert call_tool(Tool.from_function(add_offset), "1").result == "42"
    assert execute(Tool("l", "d", function=lambda: [offset, "x"]), {}) == '[41, "x"]'
    unpicklable = Tool("u", "d", function=lambda: {"f": lambda: 0})  # formatted in the worker: no pickling
    assert execute(unpicklable, {}).startswith('{"f": "<function')


def test_thread_isolation_shares_state_and_process_isolation_does_not():
    seen: list[int] = []
    shared = Tool("shared", "d", function=lambda: seen.append(1) or len(seen), isolation="thread")
    isolated = Tool("isolated", "d", function=lambda: seen.append(1) or len(seen))
    assert execute(isolated, {}) == "1" and seen == []
    assert execute(shared, {}) == "1" and seen == [1]
    assert execute(isolated, {}, isolation="thread") == "2" and seen == [1, 1]
    with pytest.raises(ValueError, match="isolation"):
        Tool("bad", "d", isolation="none")


# ---------------------------------------------------------------- (e) the default-model cache, built once


def test_two_processes_building_the_cache_at_once_both_succeed(tmp_path):
    folder = tmp_path / "models" / "fake-model"
    outcomes, exitcodes, builds = race_cache_build(folder)
    assert outcomes == [str(folder)] * 2 and exitcodes == [0, 0]
    assert builds == 1  # the second found it built
    assert backbone._cache_is_valid(folder) and not list(folder.parent.glob(".build-*"))
    (folder / "model.safetensors").write_bytes(b"w" * 10)  # corrupt: rebuilt on next use
    assert backbone.build_cache_once(folder, fake_cache_build) == folder and backbone._cache_is_valid(folder)


# ---------------------------------------------------------------- (f) tool results are text


def eos_tool() -> str:
    """Return the end-of-sequence string."""
    return "<eos>"


def test_a_tool_returning_a_special_token_string_inserts_plain_text(tiny_backbone):
    model = ToolkenModel.create([Tool.from_function(eos_tool)], backbone=tiny_backbone)
    eos = model.tokenizer.eos_token_id
    cfg = GenerationConfig(max_new_tokens=10, bias=1e4, max_calls=1)
    (g,) = generate(model, ["What?"], cfg)
    assert [c.result for c in g.calls] == ["<eos>"]
    assert g.text.startswith(" <eos>")  # a real eos token would be dropped from the decoded text
    assert len(g.text) > len(" <eos>")  # and decoding went on after it

    row = _Row([5, 6], 2)
    assert _run_text_call(model, row, "so eos_tool()=", {"eos_tool": Tool.from_function(eos_tool)}, cfg)
    assert len(row.ids) > 2 and eos not in row.ids[2:]
    assert model.tokenizer.decode(row.ids[2:]) == "<eos>"


# ---------------------------------------------------------------- (g) deep nesting


def _nested_schema(depth: int) -> dict:
    schema: dict = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def test_deep_or_cyclic_schemas_are_a_value_error():
    for depth in (40, 300, 5000):
        with pytest.raises(ValueError, match="nested more than"):
            Tool("t", "d", _nested_schema(depth))
        with pytest.raises(ValueError, match="nested"):
            Tool.from_mcp({"name": "t", "inputSchema": _nested_schema(depth)})
    cyclic: dict = {"type": "object", "properties": {}}
    cyclic["properties"]["a"] = cyclic
    with pytest.raises(ValueError, match="nested"):
        Tool("t", "d", cyclic)
    assert Tool("t", "d", _nested_schema(MAX_DEPTH // 2 - 1))  # well within the limit: fine


def test_deep_arguments_are_a_tool_error():
    tool = Tool("t", "d", {"type": "object", "properties": {"a": {}}}, lambda a: "ok")
    for depth in (MAX_DEPTH + 1, 300, 4000):
        text = '{"a": ' + "[" * depth + "]" * depth + "}"
        with pytest.raises(ToolError, match="nested|not valid JSON"):
            parse_arguments(text, tool)
        assert call_tool(tool, text).error
    value: list = []
    for _ in range(2000):
        value = [value]
    with pytest.raises(ToolError, match="nested"):
        validate_arguments(tool, {"a": value})
    assert call_tool(tool, '{"a": [[1]]}').result == "ok"


def test_tools_run_from_many_threads_at_once_never_fail_on_their_workers():
    # tools fired in one step run in threads; `Process.start` in one thread reaps other threads' workers
    tool = Tool("double", "d", parameters={"x": {"type": "integer"}}, function=lambda x: 2 * x)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: execute(tool, {"x": i}, timeout=10), range(200)))
    assert results == [str(2 * i) for i in range(200)]


def test_a_worker_reaped_behind_multiprocessing_s_back_is_released_quietly():
    from toolken.execution import _reap

    proc = multiprocessing.get_context("fork").Process(target=lambda: None)
    proc.start()
    os.waitpid(proc.pid, 0)  # as another thread's poll would
    _reap(proc)  # no "Cannot close a process while it is still running"
