"""Tools from a live MCP server (tests/mcp_server.py, written with the official SDK, over stdio):
listing, calls in tool mode, errors, time-outs, crashes, the server's process, and `--mcp` on the
command line (tools, train --synth, run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import mcp_types
import pytest

from toolken.arguments import ToolError
from toolken.cli import main
from toolken.execution import call_tool, execute
from toolken.generation import GenerationConfig, generate
from toolken.head import ToolkenModel
from toolken.mcp_tools import McpError, bind_mcp_tools, mcp_toolset, result_value
from toolken.tools import Tool

SERVER = Path(__file__).with_name("mcp_server.py")
WELL_BEHAVED = ["add", "weather", "shout"]
FAULTY = ["--faulty", "--only", ",".join([*WELL_BEHAVED, "fail", "hang", "crash"])]  # no `lookahead`, `freeze`


def server(*flags: str, log: Path | None = None) -> list[str]:
    """The test server's command line."""
    return [sys.executable, str(SERVER), *flags, *(["--log", str(log)] if log else [])]


def logged(log: Path) -> list[str]:
    """The calls the server has received (its first line is its pid)."""
    return log.read_text().splitlines()[1:] if log.exists() else []


def server_pid(log: Path) -> int:
    return int(log.read_text().splitlines()[0].split()[1])


def assert_gone(pid: int) -> None:
    """The process has exited and been reaped (a zombie would still answer signal 0)."""
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """One server with every tool for the module's tests that do not end it; its call log."""
    log = tmp_path_factory.mktemp("mcp") / "calls.log"
    with mcp_toolset(server(*FAULTY, log=log), timeout=1.5) as toolset:
        yield toolset, {t.name: t for t in toolset.tools}, log
    assert_gone(server_pid(log))  # a hung call (test_hang_times_out) did not keep it alive


def test_listing_gives_tools_with_their_input_schemas(faulty):
    toolset, tools, _ = faulty
    assert toolset.name == "toolken-test-server"
    assert toolset.tool_names == [*WELL_BEHAVED, "fail", "hang", "crash"]
    add = tools["add"]
    assert add.signature == "add(a, b)" and add.description.startswith("Add two numbers.")
    assert add.parameters["properties"] == {
        "a": {"title": "A", "type": "number"},
        "b": {"title": "B", "type": "number"},
    }
    assert add.parameters["required"] == ["a", "b"]
    assert all(t.isolation == "thread" for t in toolset.tools)


def test_a_refused_schema_is_skipped_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="skipped a tool toolken cannot use: tool lookahead: schema regex .* RE2"):
        with mcp_toolset(server("--faulty", "--only", "add,lookahead")) as toolset:
            assert toolset.tool_names == ["add"]


def test_calls_reach_the_server_and_return_structured_or_text_results(faulty):
    _, tools, log = faulty
    before = len(logged(log))
    add = call_tool(tools["add"], '{"a": 1, "b": 2.5}')
    weather = call_tool(tools["weather"], 'city="Oslo"')
    shout = call_tool(tools["shout"], "text='hey there'")
    assert (add.error, weather.error, shout.error) == (None, None, None)
    assert add.result == "3.5"  # structured {"result": 3.5}, unwrapped as its output schema declares only `result`
    assert json.loads(weather.result) == {"city": "Oslo", "temperature_c": 12}  # structured object, one line
    assert shout.result == "HEY THERE!"  # text content
    assert logged(log)[before:] == ["add 1.0 2.5", "weather Oslo", "shout hey there"]


def test_an_is_error_result_is_an_error_observation(faulty):
    _, tools, _ = faulty
    call = call_tool(tools["fail"], 'reason="no reason"')
    assert call.result is None and call.error == "fail: Error executing tool fail: refused: no reason"


def test_a_hanging_tool_times_out_is_cancelled_and_the_session_goes_on(faulty):
    _, tools, log = faulty
    start = time.monotonic()
    call = call_tool(tools["hang"], "seconds=1", timeout=30)  # the toolset's own 1.5 s limit ends it
    assert call.error == "hang: timed out after 1.5 s" and time.monotonic() - start < 10
    assert call_tool(tools["add"], "a=2, b=3").result == "5"
    deadline = time.monotonic() + 10
    while "hang cancelled" not in logged(log) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "hang cancelled" in logged(log)  # the server was told to stop the call


def test_a_frozen_server_times_out_and_is_killed_at_exit(tmp_path):
    log = tmp_path / "calls.log"
    with mcp_toolset(server("--faulty", "--only", "add,freeze", log=log), timeout=1) as toolset:
        freeze, add = toolset.tools[1], toolset.tools[0]
        start = time.monotonic()
        assert call_tool(freeze, "seconds=1").error == "freeze: timed out after 1 s"
        assert call_tool(add, "a=1, b=2").error == "add: timed out after 1 s"  # it answers nothing now
        assert time.monotonic() - start < 10
        stop = time.monotonic()
    assert time.monotonic() - stop < 15  # stdin closed, SIGTERM, then SIGKILL (a stopped process ignores the rest)
    assert_gone(server_pid(log))


def test_a_saved_heads_tools_bind_to_the_servers_by_name(faulty):
    _, tools, log = faulty
    saved = [Tool.from_dict(tools[name].to_dict()) for name in ("shout", "add")] + [Tool("gone", "not served")]
    saved[1].parameters = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}}
    with pytest.warns(UserWarning, match="add: the server's input schema differs"):
        assert bind_mcp_tools(saved, list(tools.values())) == ["gone"]
    assert saved[2].function is None and all(t.isolation == "thread" for t in saved[:2])
    before = len(logged(log))
    assert call_tool(saved[0], "text='bound'").result == "BOUND!"
    assert logged(log)[before:] == ["shout bound"]


def test_a_forked_worker_cannot_call_an_mcp_tool(faulty):
    _, tools, _ = faulty
    with pytest.raises(ToolError, match="runs in the process that started its server"):
        execute(tools["add"], {"a": 1, "b": 2}, isolation="process")


@pytest.mark.parametrize("tool, expected", [("weather", None), ("fail", "refused")])
def test_generation_calls_the_server_in_tool_mode(faulty, tiny_backbone, tiny_model_dir, tool, expected):
    toolset, _, log = faulty
    model = ToolkenModel.create(toolset, tiny_model_dir, backbone=tiny_backbone)
    before = len(logged(log))
    cfg = GenerationConfig(max_new_tokens=6, bias=100.0, allowed_tools=[tool], arguments="schema", max_calls=1)
    call = generate(model, ["What is the weather like in Oslo today?"], cfg)[0].calls[0]
    assert call.tool == tool
    if expected is None:  # the random model wrote some city under the schema's grammar; the server answered
        assert call.error is None, call.error
        assert json.loads(call.result)["city"] == call.arguments["city"]
        assert logged(log)[before:] == [f"weather {call.arguments['city']}"]
    else:
        assert call.result is None and expected in call.error


def test_a_server_crashing_mid_session_is_an_error_never_a_hang(tmp_path):
    log = tmp_path / "calls.log"
    with mcp_toolset(server(*FAULTY, log=log), timeout=20) as toolset:
        tools = {t.name: t for t in toolset.tools}
        start = time.monotonic()
        crash = call_tool(tools["crash"], "code=4", timeout=30)
        after = call_tool(tools["add"], "a=1, b=2", timeout=30)
        assert time.monotonic() - start < 10  # well under the 20 s call limit: the closed pipe ends both
    assert "has exited" in crash.error and "has exited" in after.error
    assert_gone(server_pid(log))


@pytest.mark.parametrize(
    "flag, limit, message",
    [("--crash-at-start", 60, "exited before completing"), ("--hang-at-start", 1, "did not start within 1 s")],
)
def test_a_server_that_never_starts_is_a_clear_error(tmp_path, flag, limit, message):
    log = tmp_path / "calls.log"
    start = time.monotonic()
    with pytest.raises(McpError, match=message):
        with mcp_toolset(server(flag, log=log), startup_timeout=limit):
            pass
    assert time.monotonic() - start < 15  # a crash is seen at once; a hang is stopped after its limit
    assert_gone(server_pid(log))


def test_the_server_process_is_gone_after_the_block(tmp_path):
    log = tmp_path / "calls.log"
    with mcp_toolset(server(log=log)) as toolset:
        pid = server_pid(log)
        os.kill(pid, 0)  # running
        assert toolset.tool_names == WELL_BEHAVED
    assert_gone(pid)
    assert call_tool(toolset.tools[0], "a=1, b=2").error.endswith("is not running")


def test_bad_commands_are_clear_errors():
    for command, message in [("", "empty"), ("python 'unclosed", "No closing quotation"), ("no-such-cmd-x", "No such")]:
        with pytest.raises(McpError, match=message):
            with mcp_toolset(command):
                pass


def test_result_values():
    text = mcp_types.TextContent(type="text", text="7")
    assert result_value(mcp_types.CallToolResult(content=[text])) == "7"
    wrapped = mcp_types.CallToolResult(content=[text], structured_content={"result": 7})
    assert result_value(wrapped, unwrap=True) == 7 and result_value(wrapped) == {"result": 7}
    image = mcp_types.ImageContent(type="image", data="AAAA", mime_type="image/png")
    with pytest.raises(ToolError, match="no text \\(only image\\)"):
        result_value(mcp_types.CallToolResult(content=[image]))
    with pytest.raises(ToolError, match="the server reported an error"):
        result_value(mcp_types.CallToolResult(content=[], is_error=True))


# ---------------------------------------------------------------- the command line


def command(*flags: str, log: Path | None = None) -> str:
    """The server's command as one `--mcp` value (quoted as a shell line)."""
    import shlex

    return shlex.join(server(*flags, log=log))


def test_tools_lists_a_servers_tools(capsys):
    assert main(["tools", "--mcp", command()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["add(a, b)", "weather(city)", "shout(text)"]


def test_bad_servers_exit_2(capsys):
    assert main(["tools", "--mcp", command("--crash-at-start")]) == 2
    assert "exited before completing the MCP handshake" in capsys.readouterr().err
    r = subprocess.run([sys.executable, "-m", "toolken.cli", "tools", "--mcp", "no-such-cmd-x"], capture_output=True)
    assert r.returncode == 2
    assert r.stderr.decode().startswith("toolken: error: --mcp: MCP server `no-such-cmd-x` failed to start: ")


def test_synth_joins_a_tool_file_and_a_servers_tools(tmp_path, user_files, capsys):
    out, log = tmp_path / "demos.jsonl", tmp_path / "calls.log"
    synth = ["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions), "--out", str(out)]
    assert main([*synth, "--mcp", command()]) == 2  # the file's `add` and the server's
    assert "duplicate tool name 'add'" in capsys.readouterr().err
    assert main([*synth, "--per-tool", "2", "--mcp", command("--only", "weather,shout", log=log)]) == 0
    counts = json.loads(capsys.readouterr().out)["per_tool"]
    assert counts == {"add": 2, "subtract": 2, "multiply": 2, "divide": 2, "sqrt": 2, "weather": 2, "shout": 2}
    calls = [c for line in out.read_text().splitlines() for c in json.loads(line).get("calls", [])]
    served = [
        f"{c['tool']} {next(iter(json.loads(c['arguments']).values()))}"
        for c in calls
        if c["tool"] in ("weather", "shout")
    ]
    assert sorted(served) == sorted(logged(log))  # each served demonstration's result came from a real call


def test_train_synthesizes_by_calling_the_server_then_run_binds_by_name(tmp_path, tiny_model_dir, cache_dir, capsys):
    log, out = tmp_path / "calls.log", tmp_path / "head"
    train = ["train", "--mcp", command(log=log), "--synth", "3", "--out", str(out), "--model", str(tiny_model_dir)]
    assert main([*train, "--epochs", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["tools"] == 3
    calls = logged(log)
    for name in WELL_BEHAVED:  # 3 train and 3 validation demonstrations each, every one a real call
        assert sum(c.startswith(name + " ") for c in calls) >= 6
    spec = {t["name"]: t for t in json.loads((out / "toolken_config.json").read_text())["tools"]}
    assert list(spec) == WELL_BEHAVED and spec["add"]["parameters"]["required"] == ["a", "b"]

    # the run binds the head's tools to the server's by name; a forced call goes to the server
    run_log = tmp_path / "run.log"
    question = ["What is 3 plus 4 in Oslo?", "--json", "--bias", "100", "--max-new-tokens", "4"]
    assert main(["run", str(out), *question, "--mcp", command(log=run_log)]) == 0
    answer = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    done = [c for c in answer["calls"] if c["error"] is None]
    assert done, answer
    assert [line.split()[0] for line in logged(run_log)] == [c["tool"] for c in done]

    # a head's tool the server lacks is a clear error
    assert main(["run", str(out), *question, "--mcp", command("--only", "shout")]) == 2
    assert "the --mcp servers have no tool add, weather (they offer shout)" in capsys.readouterr().err
