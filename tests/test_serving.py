"""`toolken serve` end to end with the official `openai` client against a live uvicorn server on
127.0.0.1 (tiny random model, head trained here): plain answers, server-side and client-side tool
calls, streaming, bad requests, concurrent clients, a hanging tool. The random model's words are
random, so the tests force tools (`tool_choice`) where a call must happen and compare protocol
behaviour, not wording."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import openai
import pytest
from conftest import arith_demos, arith_toolset

from toolken.config import TrainingArguments
from toolken.generation import GenerationConfig
from toolken.head import ToolkenModel
from toolken.openai_api import ApiError, Message, messages_to_prompt
from toolken.serving import Server, make_served, visible
from toolken.tools import Tool
from toolken.training import train

SQRT_Q = "What is the square root of 16?"


def hang() -> str:
    """Wait for a long time."""
    time.sleep(60)
    return "done"


def _functions() -> dict:
    return {"hang": hang, **{t.name: t.function for t in arith_toolset().tools}}


@pytest.fixture(scope="module")
def head_dir(tmp_path_factory, tiny_backbone):
    folder = tmp_path_factory.mktemp("serve")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOOLKEN_CACHE", str(folder / "cache"))
        model = ToolkenModel.create([*arith_toolset().tools, Tool.from_function(hang)], backbone=tiny_backbone)
        train(model, arith_demos(40), TrainingArguments(epochs=2, lr=0.05), progress=False)
        model.save_pretrained(folder / "head")
    return folder / "head"


@pytest.fixture(scope="module")
def server(head_dir, tiny_backbone):
    model = ToolkenModel.from_pretrained(head_dir, functions=_functions(), backbone=tiny_backbone)
    cfg = GenerationConfig(max_new_tokens=12, tool_timeout=1.0, batch_size=8)
    srv = Server(make_served(model, "tiny", cfg, window=0.02))
    yield srv
    srv.stop()


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0, timeout=60)


def ask(client, question: str, **kwargs):
    return client.chat.completions.create(model="tiny", messages=[{"role": "user", "content": question}], **kwargs)


def raw(url: str, body: bytes | dict | None = None) -> tuple[int, str]:
    """A plain HTTP request (POST with a body): status and response text, errors included."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def named(name: str) -> dict:
    return {"type": "function", "function": {"name": name}}


def spec(tool: Tool) -> dict:
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }


def test_models_lists_the_head(client):
    assert [m.id for m in client.models.list().data] == ["tiny"]


def test_plain_answer_without_tools(client):
    r = ask(client, "Why is the sky blue?", tool_choice="none", max_tokens=5)
    choice = r.choices[0]
    assert isinstance(choice.message.content, str) and choice.message.tool_calls is None
    assert choice.finish_reason in ("stop", "length") and choice.message.toolken_calls == []
    assert r.usage.completion_tokens <= 5 + 1 and r.usage.prompt_tokens > 0


def test_server_side_call_runs_the_tool_and_returns_its_trace(client):
    r = ask(client, SQRT_Q, tool_choice=named("sqrt"))
    message = r.choices[0].message
    # copied arguments: the only number in the question; the real function ran in toolken
    assert message.toolken_calls[0] == {"tool": "sqrt", "arguments": {"x": 16}, "result": "4", "error": None}
    assert message.content.startswith("4") and r.choices[0].finish_reason != "tool_calls"


def test_client_side_tool_calls_round_trip(client, server):
    sqrt = server.served.model.tools[server.served.model.tool_names.index("sqrt")]
    messages = [{"role": "user", "content": SQRT_Q}]
    r = client.chat.completions.create(model="tiny", messages=messages, tools=[spec(sqrt)], tool_choice="required")
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.toolken_calls == []
    (call,) = choice.message.tool_calls
    arguments = json.loads(call.function.arguments)
    jsonschema.validate(arguments, sqrt.parameters)
    assert call.function.name == "sqrt" and arguments == {"x": 16}
    messages += [
        choice.message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "4"},
    ]
    r2 = client.chat.completions.create(model="tiny", messages=messages, tools=[spec(sqrt)], tool_choice="none")
    assert r2.choices[0].finish_reason in ("stop", "length") and r2.choices[0].message.tool_calls is None
    # the reply answers with the result and the words after it, as a server-side call's reply does
    content = r2.choices[0].message.content
    assert content.startswith("4")
    chunks = client.chat.completions.create(
        model="tiny", messages=messages, tools=[spec(sqrt)], tool_choice="none", stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == content
    # what the resumed request continued from: the question's prompt, then the inserted result
    prompt, resumes = messages_to_prompt(server.served.model, [Message.model_validate(m) for m in messages])
    assert resumes and prompt == f"Q: {SQRT_Q}\nA: 4"


def test_streaming_matches_the_plain_answer(client):
    plain = ask(client, SQRT_Q, tool_choice=named("sqrt"), max_tokens=8)
    chunks = list(ask(client, SQRT_Q, tool_choice=named("sqrt"), max_tokens=8, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == plain.choices[0].finish_reason
    assert chunks[-1].choices[0].delta.toolken_calls == plain.choices[0].message.toolken_calls


def test_stream_ends_with_done_and_streams_tool_calls(server):
    body = {
        "model": "tiny",
        "messages": [{"role": "user", "content": SQRT_Q}],
        "tools": [spec(Tool.from_function(arith_toolset().tools[-1].function))],
        "tool_choice": "required",
        "stream": True,
    }
    status, text = raw(f"{server.url}/chat/completions", body)
    lines = [line.strip() for line in text.splitlines() if line.startswith("data: ")]
    assert status == 200
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    calls = [c["choices"][0]["delta"]["tool_calls"] for c in chunks if "tool_calls" in c["choices"][0]["delta"]]
    assert calls[0][0]["function"]["name"] == "sqrt" and json.loads(calls[0][0]["function"]["arguments"]) == {"x": 16}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"messages": [{"role": "user", "content": "hi"}], "tools": [named("nope")]}, 400, "unknown_tool"),
        ({"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]}, 404, "model_not_found"),
        ({"messages": []}, 400, "invalid_request"),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, 400, "invalid_request"),
        ({"messages": [{"role": "tool", "content": "4", "tool_call_id": "x"}]}, 400, None),
        ({"messages": [{"role": "user", "content": "hi"}], "tool_choice": named("nope")}, 400, None),
        ({"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}, 400, "invalid_request"),
    ],
)
def test_bad_requests_get_openai_error_json(server, body, status, code):
    got, text = raw(f"{server.url}/chat/completions", {"model": "tiny", **body})
    error = json.loads(text)["error"]
    assert got == status and error["code"] == code and error["message"]
    assert set(error) == {"message", "type", "param", "code"}


def test_bad_json_and_unknown_routes(server):
    status, text = raw(f"{server.url}/chat/completions", b"{not json")
    assert status == 400 and json.loads(text)["error"]["code"] == "invalid_json"
    status, text = raw(f"{server.url}/nowhere")
    assert status == 404 and "error" in json.loads(text)


def test_openai_client_raises_on_unknown_tool_and_model(client):
    with pytest.raises(openai.BadRequestError, match="no toolken for tool"):
        ask(client, "hi", tools=[{"type": "function", "function": {"name": "weather", "parameters": {}}}])
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])


def test_eight_concurrent_clients_are_batched_and_answered_as_alone(client, server):
    questions = [f"What is the square root of {n}?" for n in (4, 9, 16, 25)] + ["Why?", "Who?", "Hi", "How?"]

    def one(q: str):
        choice = "none" if q.endswith("?") and "root" not in q else named("sqrt") if "root" in q else "auto"
        r = ask(client, q, tool_choice=choice, max_tokens=8)
        return r.choices[0].message.content, r.choices[0].message.toolken_calls

    alone = [one(q) for q in questions]
    sizes_before = len(server.served.batcher.sizes)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(one, questions))
    assert together == alone
    assert max(server.served.batcher.sizes[sizes_before:]) > 1  # some requests shared a batch
    assert [c[0]["result"] for _, c in together[:4]] == ["2", "3", "4", "5"]


def test_a_hanging_tool_times_out_and_others_are_answered(client):
    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        hung = pool.submit(ask, client, "Wait.", tool_choice=named("hang"), max_tokens=4)
        other = pool.submit(ask, client, "Why?", tool_choice="none", max_tokens=4)
        hung, other = hung.result(), other.result()
    assert "timed out" in hung.choices[0].message.toolken_calls[0]["error"]
    assert other.choices[0].finish_reason in ("stop", "length")
    assert time.monotonic() - start < 30


def test_messages_to_prompt(server):
    model = server.served.model

    def prompt(*messages):
        return messages_to_prompt(model, [Message.model_validate(m) for m in messages])

    assert prompt({"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}) == (
        "Q: Be brief. Hi?\nA:",
        False,
    )
    conversation = [
        {"role": "user", "content": "Hi?"},
        {"role": "assistant", "content": "Hello."},
        {"role": "user", "content": [{"type": "text", "text": "Root of 9?"}]},
    ]
    assert prompt(*conversation) == ("Q: Hi?\nA: Hello.\nQ: Root of 9?\nA:", False)
    with pytest.raises(ApiError, match="last message"):
        prompt({"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."})
    with pytest.raises(ApiError, match="must answer tool_calls"):
        prompt(
            {"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "x"}, {"role": "tool", "content": "4"}
        )


def test_visible_holds_back_a_possible_stop_string():
    assert visible("The answer\nQ", ["\nQ:"]) == "The answer"
    assert visible("The answer", ["\n"]) == "The answer"
    assert visible("caf\ufffd", ["\n"]) == "caf"


def test_cli_serve_answers_over_http(head_dir, tiny_model_dir, tmp_path):
    functions = tmp_path / "fns.py"
    functions.write_text("import math\n\n\ndef sqrt(x):\n    return math.sqrt(x)\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "toolken.cli", "serve", str(head_dir), "--port", str(port)]
    cmd += ["--functions", str(functions), "--model", str(tiny_model_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0, timeout=60)
        deadline = time.monotonic() + 120
        while True:
            try:
                assert [m.id for m in client.models.list().data] == ["head"]
                break
            except openai.APIConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-2000:]
                time.sleep(0.5)
        r = client.chat.completions.create(
            model="head", messages=[{"role": "user", "content": SQRT_Q}], tool_choice=named("sqrt"), max_tokens=4
        )
        assert r.choices[0].message.toolken_calls[0]["result"] == "4"
        # a tool with no function bound here cannot run server-side
        with pytest.raises(openai.BadRequestError, match="tool_choice"):
            client.chat.completions.create(
                model="head", messages=[{"role": "user", "content": "x"}], tool_choice=named("add")
            )
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.slow
def test_real_model_server_and_client_side_calls(tmp_path):
    """The README's example head on SmolLM2 (trained on synthesized data), behind the server."""
    from toolken.cli import load_functions, main

    examples = Path(__file__).parents[1] / "examples"
    tools = ["--tools", str(examples / "tools.json"), "--functions", str(examples / "my_tools.py")]
    assert main(["train", *tools, "--synth", "30", "--out", str(tmp_path / "convert")]) == 0
    model = ToolkenModel.from_pretrained(tmp_path / "convert", functions=load_functions(tools[3]))
    srv = Server(make_served(model, "convert", GenerationConfig(max_new_tokens=32)))
    try:
        client = openai.OpenAI(base_url=srv.url, api_key="unused", max_retries=0, timeout=300)
        ask = [{"role": "user", "content": "What is 40 degrees Celsius in Fahrenheit?"}]
        r = client.chat.completions.create(model="convert", messages=ask)
        call = r.choices[0].message.toolken_calls[0]
        assert (call["tool"], call["arguments"], call["result"]) == ("to_fahrenheit", {"celsius": 40}, "104")
        assert r.choices[0].message.content.startswith("104")
        fahrenheit = model.tools[model.tool_names.index("to_fahrenheit")]
        r = client.chat.completions.create(model="convert", messages=ask, tools=[spec(fahrenheit)])
        (tool_call,) = r.choices[0].message.tool_calls
        assert r.choices[0].finish_reason == "tool_calls"
        assert json.loads(tool_call.function.arguments) == {"celsius": 40}
        ask += [r.choices[0].message.model_dump(exclude_none=True)]
        ask += [{"role": "tool", "tool_call_id": tool_call.id, "content": "104"}]
        r = client.chat.completions.create(model="convert", messages=ask, tools=[spec(fahrenheit)])
        assert r.choices[0].finish_reason == "stop" and not r.choices[0].message.tool_calls
        assert r.choices[0].message.content.startswith("104")  # the answer, as the server-side reply's
    finally:
        srv.stop()
