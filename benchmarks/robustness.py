"""Reliability benchmark: fuzz the argument parser and the executor, then inject faults (a killed
training run, damaged files, failing tools, explosive math) and untrusted inputs (a model folder
asking to run its code, remote schema refs, catastrophic regexes, tools that hang, spin, print or
return special tokens, deep nesting, a racing cache build) on a tiny random Llama, and print a
Markdown table of what happened.

    python benchmarks/robustness.py [--examples 10000] [--seed 0] [--json results.json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from toolken.arguments import ToolError, parse_arguments
from toolken.backbone import _cache_is_valid, load_backbone
from toolken.cli import main as cli
from toolken.execution import call_tool, format_result
from toolken.generation import GenerationConfig, generate
from toolken.head import WEIGHTS_NAME, HeadLoadError, ToolkenModel
from toolken.testing import make_tiny_model, race_cache_build, typed_echo_tool
from toolken.tools import Tool
from toolken.toolsets import get_toolset
from toolken_bench.toolsets import TOOLKENGPT_DIR

FUNCQA = TOOLKENGPT_DIR / "funcqa" / "train.json"

# ---------------------------------------------------------------- fuzzing


def _weird_value(rng: random.Random, depth: int = 0):
    """A value a tool might return: JSON-ish, non-finite, huge, cyclic or unprintable."""

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no str")

    kind = rng.randrange(12 if depth < 3 else 7)
    if kind == 0:
        return rng.choice([None, True, False, float("nan"), float("inf"), -0.0])
    if kind == 1:
        return rng.randint(-(10**6), 10**6)
    if kind == 2:
        return 10 ** rng.randint(0, 6000)
    if kind == 3:
        return rng.uniform(-1e300, 1e300) * rng.choice([1, 1e-300])
    if kind == 4:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(0, 40)))
    if kind == 5:
        return "y" * rng.choice([10, 2001, 100_000])
    if kind == 6:
        return Unprintable()
    if kind == 7:
        cyclic: list = [1]
        cyclic.append(cyclic)
        return cyclic
    if kind in (8, 9):
        return [_weird_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {str(rng.randint(0, 9)): _weird_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _fuzz_tools() -> list[Tool]:
    """Built-in tools with varied schemas, a strict typed tool and tools with odd behaviour."""

    def returns(seed: int = 0):
        return _weird_value(random.Random(seed))

    def fails(x: str = ""):
        raise rng_error(x)

    def rng_error(x: str) -> Exception:
        return random.Random(len(x)).choice([ValueError, ZeroDivisionError, RecursionError, MemoryError])(x)

    kamel = [t for t in get_toolset("kamel").tools if t.name in {"P17", "P127", "P36", "P19"}]
    vh = [t for t in get_toolset("virtualhome").tools if t.name in {"WALK", "END"}]
    return [
        *get_toolset("funcqa").tools,
        *kamel,
        *vh,
        typed_echo_tool("strict"),
        Tool("returns", "Return odd values.", {"type": "object", "properties": {"seed": {"type": "integer"}}}, returns),
        Tool("fails", "Raise.", {"type": "object", "properties": {"x": {"type": "string"}}}, fails),
        Tool("unbound", "No function.", {"type": "object", "properties": {"x": {}}}),
    ]


def _seed_calls() -> list[str]:
    """Real argument texts from the FuncQA and KAMEL training data, as mutation seeds."""
    seeds = []
    for r in json.loads(FUNCQA.read_text()):
        seeds += [eq[eq.index("(") + 1 : eq.rindex(")")] for eq in r["tar_eq"] if "(" in eq]
    for r in json.loads((TOOLKENGPT_DIR / "kamel" / "train_clean.json").read_text())[:300]:
        seeds += [c[c.index("(") + 1 : c.rindex(")")] for c in r["call"] if "(" in c]
    return seeds + ['s="x", n=3', '{"s": "a", "items": [1, 2.5]}', "seed=7", 'x="boom"', ""]


_ALPHABET = "0123456789.,-+eE_=()[]{}'\"\\ \t\nabsnxyz"


def _argument_text(rng: random.Random, seeds: list[str]) -> str:
    """One fuzzed argument text: a mutated real call, a random grammar of values, JSON or noise."""
    kind = rng.randrange(5)
    if kind == 0:  # a real call, mutated: insert, delete, replace characters
        text = list(rng.choice(seeds))
        for _ in range(rng.randint(0, 3)):  # 0: the real call itself
            i = rng.randint(0, len(text))
            op = rng.randrange(3)
            if op == 0 or not text:
                text.insert(i, rng.choice(_ALPHABET))
            elif op == 1:
                del text[min(i, len(text) - 1)]
            else:
                text[min(i, len(text) - 1)] = rng.choice(_ALPHABET)
        return "".join(text)
    if kind == 1:  # comma-separated values, some named
        parts = []
        for _ in range(rng.randint(0, 4)):
            value = rng.choice(
                [
                    str(rng.randint(-(10**20), 10**20)),
                    repr(rng.uniform(-1e9, 1e9)),
                    "9" * rng.choice([5, 400, 5000]),
                    json.dumps("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 8)))),
                    rng.choice(["1e999", "-0", "nan", "inf", "1_000", ".5", "1.", "True", "None", "__import__('os')"]),
                ]
            )
            parts.append(rng.choice(["", "", "a=", "b=", "s=", "n=", "x=", "seed=", "subject=", "zz="]) + value)
        return rng.choice([", ", ",", " , "]).join(parts)
    if kind == 2:  # a JSON object of odd values, or JSON nested very deeply
        if rng.random() < 0.1:
            return '{"a": ' + "[" * rng.choice([100, 5000])
        keys = ["a", "b", "s", "n", "items", "x", "seed", "mode", "subject"]
        return json.dumps({rng.choice(keys): _json_value(rng) for _ in range(rng.randint(0, 4))})
    if kind == 3:  # random printable and control characters
        return "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randint(0, 60)))
    return rng.choice(["", " ", ",", "=", "a=", "((", ")", '"', "'", "{", "}", "[1, 2]", "1" * 20_000, " " * 5000])


def _json_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([rng.randint(-(10**30), 10**30), 0, -1, 10**300])
    if kind == 2:
        return rng.choice([rng.uniform(-1e6, 1e6), 1e308, -1e-308])
    if kind in (3, 4):
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 10)))
    if kind == 5:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {str(rng.randint(0, 9)): _json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def fuzz(examples: int, seed: int) -> dict:
    """Run `examples` fuzzed calls through `call_tool` and `examples // 4` odd values through
    `format_result`; count results, structured errors and uncaught exceptions."""
    rng = random.Random(seed)
    tools, seeds = _fuzz_tools(), _seed_calls()
    counts: Counter = Counter()
    uncaught: list[str] = []
    slowest = 0.0
    start = time.perf_counter()
    for _ in range(examples):
        tool, text = rng.choice(tools), _argument_text(rng, seeds)
        t0 = time.perf_counter()
        try:
            call = call_tool(tool, text, timeout=2.0, max_chars=2000)
            ok = (call.result is None) != (call.error is None)
            counts["result" if call.result is not None else "error"] += ok
            counts["malformed trace"] += not ok
        except Exception as e:  # noqa: BLE001 - this is what the benchmark counts
            counts["uncaught"] += 1
            uncaught.append(f"{tool.name}({text[:60]!r}): {type(e).__name__}: {e}"[:200])
        slowest = max(slowest, time.perf_counter() - t0)
    for _ in range(examples // 4):
        try:
            format_result(_weird_value(rng))
            counts["format ok"] += 1
        except ToolError:
            counts["format error"] += 1
        except Exception as e:  # noqa: BLE001
            counts["uncaught"] += 1
            uncaught.append(f"format_result: {type(e).__name__}: {e}"[:200])
    return {
        "calls": examples,
        "results": counts["result"],
        "structured_errors": counts["error"],
        "malformed_traces": counts["malformed trace"],
        "format_values": examples // 4,
        "format_ok": counts["format ok"],
        "format_errors": counts["format error"],
        "uncaught": counts["uncaught"],
        "uncaught_examples": uncaught[:5],
        "seconds": round(time.perf_counter() - start, 2),
        "slowest_call_ms": round(1000 * slowest, 1),
    }


# ---------------------------------------------------------------- fault injection


def _cli(argv: list[str]) -> tuple[int, str, str]:
    """Run `toolken` in this process; return (exit code, stdout, stderr). An exception escaping
    `main` would be a traceback for the user, so it propagates and fails the benchmark."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(argv)
    return code, out.getvalue(), err.getvalue()


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def scenario_kill_and_resume(work: Path, model_dir: Path, backbone) -> tuple[str, bool]:
    out, data = work / "killed", work / "funcqa150.json"
    data.write_text(json.dumps(json.loads(FUNCQA.read_text())[:150]))
    train = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(out), "--model", str(model_dir)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolken.cli", *train, "--epochs", "200", "--batch-size", "64"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not (out / "trainer_state.json").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # kill somewhere inside a later epoch
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    saved = json.loads((out / "trainer_state.json").read_text())["epoch"]
    ToolkenModel.from_pretrained(out, backbone=backbone)
    import toolken.training as tr

    epochs, real = [], tr._save_state
    tr._save_state = lambda m, d, epoch, *a: (epochs.append(epoch), real(m, d, epoch, *a))
    try:
        code, _, _ = _cli([*train, "--epochs", str(saved + 2), "--batch-size", "64", "--resume"])
    finally:
        tr._save_state = real
    ToolkenModel.from_pretrained(out, backbone=backbone)
    ok = code == 0 and epochs == [saved + 1, saved + 2] and not (out / "trainer_state.json").exists()
    return (
        f"SIGKILL after epoch {saved} checkpoint; head loaded; `--resume` ran epochs {epochs} and exited {code}",
        ok,
    )


def _saved_head(work: Path, name: str, backbone) -> Path:
    folder = work / name
    ToolkenModel.create("funcqa", backbone=backbone).save_pretrained(folder)
    return folder


def _load_error(folder: Path, backbone) -> str:
    try:
        ToolkenModel.from_pretrained(folder, backbone=backbone)
    except HeadLoadError as e:
        return f"HeadLoadError: {str(e).replace(str(folder), '<head>')}"[:150]
    return "loaded"


def scenario_truncated_head(work: Path, backbone) -> tuple[str, bool]:
    folder = _saved_head(work, "truncated", backbone)
    weights = folder / WEIGHTS_NAME
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    what = _load_error(folder, backbone)
    return what, what.startswith("HeadLoadError") and WEIGHTS_NAME in what


def scenario_corrupt_config(work: Path, backbone) -> tuple[str, bool]:
    folder = _saved_head(work, "config", backbone)
    (folder / "toolken_config.json").write_text('{"base_model": ')
    what = _load_error(folder, backbone)
    return what, "corrupt" in what


def scenario_nan_head(work: Path, backbone) -> tuple[str, bool]:
    import torch

    folder = work / "nan"
    model = ToolkenModel.create("funcqa", backbone=backbone)
    with torch.no_grad():
        model.head.weight[0, 0] = float("nan")
    model.save_pretrained(folder)
    what = _load_error(folder, backbone)
    return what, "NaN" in what


def scenario_other_backbone(work: Path, backbone) -> tuple[str, bool]:
    folder = _saved_head(work, "other", backbone)
    wider = load_backbone(make_tiny_model(work / "wide-model", hidden=48))
    what = _load_error(folder, wider)
    return what, "hidden size" in what


def scenario_cli_missing_head(work: Path) -> tuple[str, bool]:
    proc = subprocess.run(
        [sys.executable, "-m", "toolken.cli", "run", str(work / "nowhere"), "hi"], capture_output=True, text=True
    )
    ok = proc.returncode == 2 and "Traceback" not in proc.stderr
    return f"exit {proc.returncode} (separate process, no traceback): {_last_line(proc.stderr)[:120]}", ok


MALFORMED = {
    "empty file": "",
    "malformed JSON": '[{"text": ',
    "bad JSON line": '{"text": "Q: a\\nA: [[add(1, 2)=3]]"}\n{oops\n',
    "missing field": json.dumps([{"text": "Q: a\nA: 1", "tar_number": ["1"]}]),
    "result not in text": json.dumps([{"text": "It is 1+1=2.", "tar_eq": ["<add>(1, 1)=3<eoe>"], "tar_number": ["3"]}]),
    "unknown tool": json.dumps([{"text": "Q: x\nA: [[teleport(1)=2]]"}]),
    "record not an object": "[7]",
    "no record calls a tool": json.dumps([{"text": "Q: x\nA: 2"}]),
}


def scenario_malformed_file(work: Path, model_dir: Path, content: str) -> tuple[str, bool]:
    data = work / "bad.json"
    data.write_text(content)
    argv = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(work / "o"), "--model", str(model_dir)]
    code, _, err = _cli(argv)
    return f"exit {code}: {_last_line(err).replace(str(work) + '/', '')[:160]}", code == 2 and "bad.json" in err


def scenario_skip_bad(work: Path, model_dir: Path) -> tuple[str, bool]:
    records = json.loads(FUNCQA.read_text())[:30] + [{"text": "Q: x\nA: [[teleport(1)=2]]"}, {"foo": 1}, 7]
    data = work / "some-bad.json"
    data.write_text(json.dumps(records))
    argv = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(work / "sb"), "--model", str(model_dir)]
    code, out, err = _cli([*argv, "--epochs", "1", "--skip-bad"])
    skipped = json.loads(_last_line(out))["skipped"] if code == 0 else None
    message = next((line for line in err.splitlines() if line.startswith("skipped")), "")[:70]
    return f"exit {code}, {skipped} of {len(records)} records skipped: {message}...", code == 0 and skipped == 3


def scenario_damaged_resume_state(work: Path, model_dir: Path) -> tuple[str, bool]:
    out = work / "damaged-state"
    out.mkdir()
    (out / "trainer_state.json").write_text("{}")
    (out / "trainer_state.safetensors").write_bytes(b"garbage")
    data = work / "d20.json"
    data.write_text(json.dumps(json.loads(FUNCQA.read_text())[:20]))
    argv = ["train", "--tools", "funcqa", "--data", str(data), "--out", str(out), "--model", str(model_dir)]
    code, _, err = _cli([*argv, "--epochs", "1", "--resume"])
    return f"exit {code}: {_last_line(err).replace(str(work) + '/', '')[:110]}", code == 2 and "cannot resume" in err


def scenario_default_cache(work: Path) -> tuple[str, bool]:
    folder = work / "fake-default-model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"x" * 1000)
    (folder / "toolken_manifest.json").write_text(json.dumps({"sizes": {"model.safetensors": 1000}}))
    valid = _cache_is_valid(folder)
    (folder / "model.safetensors").write_bytes(b"x" * 500)
    truncated = _cache_is_valid(folder)
    (folder / "toolken_manifest.json").write_text("{")
    bad_manifest = _cache_is_valid(folder)
    what = (
        f"intact: valid={valid}; truncated weights: valid={truncated}; broken manifest: valid={bad_manifest} (rebuilt)"
    )
    return what, valid and not truncated and not bad_manifest


def scenario_position_cache(work: Path, backbone) -> tuple[str, bool]:
    import torch

    from toolken.cache import cache_positions
    from toolken.demonstrations import load_demos

    model = ToolkenModel.create("funcqa", backbone=backbone)
    demos, _ = load_demos(FUNCQA, get_toolset("funcqa"), skip_bad=True)
    first = cache_positions(model, demos[:5], progress=False)
    files = list((Path(os.environ["TOOLKEN_CACHE"]) / "positions").glob("*.safetensors"))
    for f in files:
        f.write_bytes(f.read_bytes()[:100])
    again = cache_positions(model, demos[:5], progress=False)
    return "truncated hidden-state cache detected and rebuilt", torch.equal(first.h, again.h)


FLAKY_PY = '''
import time
from pathlib import Path

COUNTER = Path(__file__).with_suffix(".count")  # each call runs in a fresh worker: count on disk


def flaky():
    """Hang, raise or flood, in turn."""
    calls = int(COUNTER.read_text()) + 1 if COUNTER.exists() else 1
    COUNTER.write_text(str(calls))
    if calls % 3 == 1:
        time.sleep(60)
    if calls % 3 == 2:
        raise RuntimeError("tool exploded")
    return "x" * 10_000_000
'''


def scenario_failing_tool_in_cli(work: Path, model_dir: Path) -> tuple[str, bool]:
    spec = work / "flaky.json"
    spec.write_text(json.dumps([{"type": "function", "function": {"name": "flaky", "description": "Do it."}}]))
    functions = work / "flaky.py"
    functions.write_text(FLAKY_PY)
    data = work / "flaky.jsonl"
    data.write_text("\n".join(json.dumps({"text": f"Q: run job {i}\nA: [[flaky()=done]] ok"}) for i in range(8)))
    out = work / "flaky-head"
    code, _, _ = _cli(
        ["train", "--tools", str(spec), "--data", str(data), "--out", str(out), "--model", str(model_dir)]
        + ["--epochs", "2", "--functions", str(functions)]
    )
    t0 = time.perf_counter()
    stdin, sys.stdin = sys.stdin, io.StringIO("go\ngo on\ngo again\n")  # three questions, one model load
    try:
        code2, stdout, _ = _cli(
            ["run", str(out), "--json", "--bias", "100", "--timeout", "0.5", "--max-new-tokens", "12"]
            + ["--functions", str(functions)]
        )
    finally:
        sys.stdin = stdin
    seconds = time.perf_counter() - t0
    calls = [c for line in stdout.splitlines() for c in json.loads(line)["calls"]] if code2 == 0 else []
    kinds = Counter(
        "timeout" if "timed out" in c["error"] else "raised" if "exploded" in c["error"] else "too big"
        for c in calls
        if c["error"]
    )
    ok = code == 0 and code2 == 0 and calls and all(c["error"] for c in calls) and len(kinds) == 3
    what = (
        f"`toolken run --json` (3 questions) exit {code2} in {seconds:.1f} s; {len(calls)} calls, errors: {dict(kinds)}"
    )
    return what, bool(ok)


def _timed_call(tool: Tool, text: str, timeout: float = 0.5) -> tuple[str, float]:
    t0 = time.perf_counter()
    call = call_tool(tool, text, timeout=timeout, max_chars=2000)
    return (call.error or f"result {call.result}"), time.perf_counter() - t0


def scenario_tool(fn: Callable, expect: str) -> tuple[str, bool]:
    error, seconds = _timed_call(Tool.from_function(fn), "")
    return f"{error[:90]} ({seconds * 1000:.0f} ms)", expect in error


def _hang() -> int:
    """Never return."""
    time.sleep(3600)
    return 0


def _boom() -> int:
    """Raise."""
    raise MemoryError("simulated out of memory")


def _huge() -> str:
    """Return 10 MB of text."""
    return "x" * 10_000_000


EXPLOSIVE = [
    ("power", "10, 10**9", "power(10, 10**9)"),
    ("power", "10, 1000000000", "power(10, 1000000000)"),
    ("choose", "10000000, 5000000", "choose(10**7, 5*10**6)"),
    ("permutate", "1000000, 900000", "permutate(10**6, 9*10**5)"),
    ("permutate", "1e300, 5", "permutate(1e300, 5)"),
    ("sqrt", "-4", "sqrt(-4)"),
    ("log", "-5", "log(-5)"),
    ("ln", "0", "ln(0)"),
    ("divide", "1, 0", "divide(1, 0)"),
    ("multiply", "1e200, 1e200", "multiply(1e200, 1e200)"),
    ("gcd", "1.5, 3", "gcd(1.5, 3)"),
]


def scenario_explosive() -> list[tuple[str, str, bool]]:
    tools = {t.name: t for t in get_toolset("funcqa").tools}
    rows = []
    for name, text, shown in EXPLOSIVE:
        error, seconds = _timed_call(tools[name], text, timeout=5.0)
        ok = not error.startswith("result") and seconds < 1.0
        rows.append((f"math: `{shown}`", f"{error[:80]} ({seconds * 1000:.1f} ms)", ok))
    return rows


# ---------------------------------------------------------------- untrusted heads, schemas and tools


def scenario_auto_map_folder(work: Path, model_dir: Path) -> tuple[str, bool]:
    """A model folder whose config asks transformers to import its own .py file; stdin says "y"."""
    folder = work / "auto-map-model"
    shutil.copytree(model_dir, folder)
    marker = work / "auto-map-ran"
    (folder / "evil.py").write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n")
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoConfig": "evil.C", "AutoModelForCausalLM": "evil.M"}
    (folder / "config.json").write_text(json.dumps(config))
    code = "import sys; from toolken.backbone import load_backbone; load_backbone(sys.argv[1])"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)], input="y\ny\n", capture_output=True, text=True, timeout=300
    )
    refused = proc.returncode != 0 and "auto_map" in proc.stderr
    return f"refused: {_last_line(proc.stderr).replace(str(work) + '/', '')[:100]}; code ran: {marker.exists()}", (
        refused and not marker.exists()
    )


def _silent_listener() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    return sock


def _ref_schema(ref: str) -> dict:
    return {"type": "object", "properties": {"a": {"$ref": ref}}, "$defs": {"s": {"type": "string"}}}


def scenario_remote_ref(work: Path) -> tuple[str, bool]:
    """Schema refs to an HTTP listener that never answers and to a local file: at creation and, changed
    after creation, at a model-written call."""
    sock = _silent_listener()
    (work / "s.json").write_text('{"type": "string"}')
    refs = [f"http://127.0.0.1:{sock.getsockname()[1]}/s.json", (work / "s.json").as_uri()]
    t0 = time.perf_counter()
    try:
        refused = 0
        for ref in refs:
            try:
                Tool("t", "d", _ref_schema(ref), str)
            except ValueError:
                refused += 1
        tool = Tool("t", "d", _ref_schema("#/$defs/s"), lambda a: a)
        errors = []
        for ref in refs:
            tool.parameters["properties"]["a"]["$ref"] = ref
            errors.append(call_tool(tool, '{"a": "x"}').error or "")
        try:
            sock.accept()
            connected = True
        except BlockingIOError:
            connected = False
    finally:
        sock.close()
    seconds = time.perf_counter() - t0
    ok = refused == 2 and all("is not local" in e for e in errors) and not connected and seconds < 2
    return f"refused at creation {refused}/2, at validation {sum('not local' in e for e in errors)}/2; " + (
        f"connections: {int(connected)}; {seconds * 1000:.0f} ms"
    ), ok


def scenario_catastrophic_pattern() -> tuple[str, bool]:
    schema = {"type": "object", "properties": {"s": {"type": "string", "pattern": "^(a+)+$"}}}
    tool = Tool("t", "d", schema, str)
    t0 = time.perf_counter()
    call = call_tool(tool, '{"s": "' + "a" * 40 + '!"}')
    seconds = time.perf_counter() - t0
    try:
        Tool("t", "d", {"type": "object", "properties": {"s": {"type": "string", "pattern": r"(a)\1"}}})
        backref = "accepted"
    except ValueError:
        backref = "refused"
    ok = call.error is not None and "does not match" in call.error and seconds < 1 and backref == "refused"
    return f"`^(a+)+$` on 40 a's + '!': error in {seconds * 1000:.1f} ms; a backreference pattern {backref}", ok


def _sleep_then_write(marker: Path) -> Callable[[], str]:
    def tool() -> str:
        time.sleep(1.5)
        marker.write_text("side effect")
        return "done"

    return tool


def scenario_killed_tool(work: Path) -> tuple[str, bool]:
    marker = work / "late-side-effect"
    t0 = time.perf_counter()
    call = call_tool(Tool("slow", "d", function=_sleep_then_write(marker)), "", timeout=0.3)
    seconds = time.perf_counter() - t0
    time.sleep(1.7)
    ok = "timed out" in (call.error or "") and not marker.exists() and seconds < 1.3
    return f"timed out in {seconds * 1000:.0f} ms; file written 1.7 s later: {marker.exists()}", ok


def _spin() -> str:
    return str(re.match(r"(a+)+$", "a" * 40 + "!"))  # catastrophic backtracking in C, GIL held


def scenario_spinning_tool() -> tuple[str, bool]:
    t0 = time.perf_counter()
    call = call_tool(Tool("spin", "d", function=_spin), "", timeout=0.3)
    seconds = time.perf_counter() - t0
    return f"{call.error} ({seconds * 1000:.0f} ms)", "timed out" in (call.error or "") and seconds < 1.3


def _children() -> set[int]:
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids.update(int(p) for p in (task / "children").read_text().split())
    return pids


def scenario_many_timeouts() -> tuple[str, bool]:
    before = _children()
    tool = Tool("hang", "d", function=_hang)
    t0 = time.perf_counter()
    errors = [call_tool(tool, "", timeout=0.05).error or "" for _ in range(20)]
    seconds = time.perf_counter() - t0
    left = _children() - before
    ok = all("timed out" in e for e in errors) and not left
    return f"20 calls timed out in {seconds:.1f} s; child processes left: {len(left)}", ok


def _chatty() -> str:
    print("PRINTED BY THE TOOL")
    os.write(1, b"WRITTEN TO FD 1 BY THE TOOL\n")
    return "ok"


def scenario_printing_tool(work: Path) -> tuple[str, bool]:
    """fd 1 of this process pointed at a file for the call: whatever the tool prints lands there or not."""
    out = work / "stdout.txt"
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(out, "w") as f:
            os.dup2(f.fileno(), 1)
            call = call_tool(Tool("chatty", "d", function=_chatty), "")
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    leaked = out.read_text()
    return f"result {call.result!r}; bytes on the caller's stdout: {len(leaked)}", call.result == "ok" and not leaked


def eos_tool() -> str:
    """Return the end-of-sequence string."""
    return "<eos>"


def scenario_special_token_result(backbone) -> tuple[str, bool]:
    model = ToolkenModel.create([Tool.from_function(eos_tool)], backbone=backbone)
    (g,) = generate(model, ["What?"], GenerationConfig(max_new_tokens=10, bias=1e4, max_calls=1))
    ok = bool(g.calls) and g.calls[0].result == "<eos>" and g.text.startswith(" <eos>")
    return f"tool returned '<eos>'; completion {g.text[:30]!r}", ok


def scenario_deep_nesting() -> tuple[str, bool]:
    schema: dict = {"type": "string"}
    for _ in range(300):
        schema = {"type": "object", "properties": {"a": schema}}
    try:
        Tool("deep", "d", schema)
        made = "accepted"
    except ValueError as e:
        made = f"ValueError ({str(e)[:50]})"
    tool = Tool("t", "d", {"type": "object", "properties": {"a": {}}}, str)
    text = '{"a": ' + "[" * 300 + "]" * 300 + "}"
    try:
        parse_arguments(text, tool)
        args = "accepted"
    except ToolError as e:
        args = f"ToolError ({str(e)[:40]})"
    return f"300-deep schema: {made}; 300-deep arguments: {args}", made != "accepted" and args != "accepted"


def scenario_cache_race(work: Path) -> tuple[str, bool]:
    folder = work / "race" / "models" / "fake"
    outcomes, _, builds = race_cache_build(folder)
    ok = outcomes == [str(folder)] * 2 and builds == 1 and _cache_is_valid(folder)
    failed = [o for o in outcomes if o.startswith("error")]
    return f"2 processes: {2 - len(failed)} succeeded, built {builds} time(s) {failed[:1]}", ok


def faults(work: Path) -> list[tuple[str, str, bool]]:
    """Every fault-injection scenario: (scenario, what happened, ok)."""
    os.environ["TOOLKEN_CACHE"] = str(work / "cache")
    model_dir = make_tiny_model(work / "tiny")
    backbone = load_backbone(model_dir)
    rows: list[tuple[str, str, bool]] = []

    def add(name: str, run: Callable[[], tuple[str, bool]]) -> None:
        t0 = time.perf_counter()
        what, ok = run()
        rows.append((name, what, ok))
        print(f"{'ok ' if ok else 'BAD'} {name} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    add("training SIGKILLed mid-run, then `--resume`", lambda: scenario_kill_and_resume(work, model_dir, backbone))
    add("head file truncated to half", lambda: scenario_truncated_head(work, backbone))
    add("head config corrupted", lambda: scenario_corrupt_config(work, backbone))
    add("head with a NaN weight", lambda: scenario_nan_head(work, backbone))
    add("head for another backbone (hidden 48 vs 32)", lambda: scenario_other_backbone(work, backbone))
    add("`toolken run` on a missing head", lambda: scenario_cli_missing_head(work))
    add("trainer state damaged, then `--resume`", lambda: scenario_damaged_resume_state(work, model_dir))
    add("default-model cache truncated (fake folder)", lambda: scenario_default_cache(work))
    add("hidden-state cache truncated", lambda: scenario_position_cache(work, backbone))
    for name, content in MALFORMED.items():
        add(f"data file: {name}", lambda c=content: scenario_malformed_file(work, model_dir, c))
    add("data file: 3 bad of 33 records, `--skip-bad`", lambda: scenario_skip_bad(work, model_dir))
    add("tool hangs (timeout 0.5 s)", lambda: scenario_tool(_hang, "timed out"))
    add("tool raises MemoryError", lambda: scenario_tool(_boom, "raised MemoryError"))
    add("tool returns 10 MB", lambda: scenario_tool(_huge, "limit 2000"))
    add("CLI run: hanging / raising / huge tool", lambda: scenario_failing_tool_in_cli(work, model_dir))
    rows += scenario_explosive()
    add("model folder with auto_map, stdin answering 'y'", lambda: scenario_auto_map_folder(work, model_dir))
    add("schema $ref to a silent HTTP listener and to file://", lambda: scenario_remote_ref(work))
    add("schema pattern with catastrophic backtracking", scenario_catastrophic_pattern)
    add("tool sleeps 1.5 s then writes a file (timeout 0.3 s)", lambda: scenario_killed_tool(work))
    add("tool stuck in a regex holding the GIL (timeout 0.3 s)", scenario_spinning_tool)
    add("20 timed-out calls in a row", scenario_many_timeouts)
    add("tool printing to stdout and fd 1", lambda: scenario_printing_tool(work))
    add("tool returning the special token string '<eos>'", lambda: scenario_special_token_result(backbone))
    add("schema and arguments nested 300 deep", scenario_deep_nesting)
    add("two processes building the model cache at once", lambda: scenario_cache_race(work))
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=10_000, help="fuzzed tool calls (default 10000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--skip-faults", action="store_true", help="fuzz only")
    a = p.parse_args()
    report = {"fuzz": fuzz(a.examples, a.seed)}
    f = report["fuzz"]
    print(
        f"Fuzzing: {f['calls']} calls -> {f['results']} results, {f['structured_errors']} structured errors, "
        f"{f['malformed_traces']} malformed traces, {f['uncaught']} uncaught exceptions "
        f"({f['seconds']} s, slowest call {f['slowest_call_ms']} ms); format_result on {f['format_values']} odd "
        f"values -> {f['format_ok']} texts, {f['format_errors']} ToolErrors"
    )
    for example in f["uncaught_examples"]:
        print(f"  uncaught: {example}")
    if not a.skip_faults:
        with tempfile.TemporaryDirectory(prefix="toolken-robustness-") as tmp:
            rows = faults(Path(tmp))
        report["faults"] = [{"scenario": s, "what_happened": w, "ok": ok} for s, w, ok in rows]
        print("\n| scenario | what happened | ok |\n| --- | --- | --- |")
        for s, w, ok in rows:
            print(f"| {s} | {w.replace('|', '/')} | {'yes' if ok else '**no**'} |")
    if a.json:
        a.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = f["uncaught"] or f["malformed_traces"] or not all(r["ok"] for r in report.get("faults", []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
