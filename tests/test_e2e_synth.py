"""End to end on the real default model (SmolLM2-135M-Instruct), with no demonstration written by
anyone: a user's two tools (`examples/`) -> `toolken train --synth` -> `toolken run`, through the CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).parents[1] / "examples"
ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1"}  # two threads under load made this 10x slower


def _toolken(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolken.cli", *args], input=stdin, capture_output=True, text=True, env=ONE_THREAD
    )


@pytest.mark.parametrize("prompt_format", ["plain", "chat"])
def test_synth_train_run_on_a_users_own_tools(tmp_path, prompt_format):
    tools = ["--tools", str(EXAMPLES / "tools.json"), "--functions", str(EXAMPLES / "my_tools.py")]
    out = ["--out", str(tmp_path / "head"), "--prompt-format", prompt_format]
    trained = _toolken("train", *tools, "--synth", "30", *out)
    assert trained.returncode == 0, trained.stderr[-2000:]
    questions = "What is 40 degrees Celsius in Fahrenheit?\nWho wrote Romeo and Juliet?\n"
    ran = _toolken("run", str(tmp_path / "head"), "--json", tools[2], tools[3], stdin=questions)
    assert ran.returncode == 0, ran.stderr[-2000:]
    fahrenheit, words = (json.loads(line) for line in ran.stdout.strip().splitlines())
    call = fahrenheit["calls"][0]
    assert (call["tool"], call["arguments"], call["result"]) == ("to_fahrenheit", {"celsius": 40}, "104")
    assert words["calls"] == []  # a question no tool answers is answered in words
