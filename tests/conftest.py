"""Shared fixtures: a tiny randomly initialised Llama with a small BPE tokenizer trained on the fly
(no download), saved as a local Hugging Face folder; and `arith`, a small tool set of the tests' own
(add, subtract, multiply, divide, sqrt from Python functions) with `[[tool(args)=result]]` markup
demonstrations, so that the library's tests never need the papers' harness (`toolken_bench`)."""

from __future__ import annotations

import inspect
import json
import math
import random
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import torch
from hypothesis import strategies as st

from toolken.demonstrations import Demo, demos_from_records
from toolken.execution import format_result
from toolken.testing import make_tiny_model
from toolken.tools import Tool
from toolken.toolsets import ENTRY_POINT_GROUP, Toolset

__all__ = ["make_tiny_model"]  # test_head.py builds other tiny backbones with it


@pytest.fixture(autouse=True)
def one_thread():
    """One torch thread in the test process: the tiny model is too small for threads to pay off, and on
    a busy 2-core machine threads waiting for each other made training and decoding 20 to 50 times
    slower (the real model's tests included; its CLI runs in subprocesses keep their threads)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_backbone(tiny_model_dir):
    from toolken.backbone import load_backbone

    return load_backbone(tiny_model_dir)


@pytest.fixture(scope="session")
def tiny_gemma_backbone(tmp_path_factory):
    """A tiny random Gemma 3: <bos> first, scaled input embeddings, a 16-token sliding window."""
    from toolken.backbone import load_backbone

    return load_backbone(make_tiny_model(tmp_path_factory.mktemp("tiny-gemma"), arch="gemma3"))


_REFERENCES: dict[str, torch.nn.Module] = {}


def hf_generate(lm: torch.nn.Module, ids: torch.Tensor, **kwargs) -> torch.Tensor:
    """transformers' `generate` on `lm`'s weights: `lm`'s own, or for toolken's own Llama (which has
    none) that of transformers' model of the same folder."""
    from toolken.backbone import load_backbone
    from toolken.llama import LlamaLM

    if isinstance(lm, LlamaLM):
        if lm.name_or_path not in _REFERENCES:
            _REFERENCES[lm.name_or_path] = load_backbone(lm.name_or_path, implementation="transformers")[0]
        lm = _REFERENCES[lm.name_or_path]
    return lm.generate(ids, do_sample=False, **kwargs)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A private toolken cache for one test (the default model's cache stays shared)."""
    monkeypatch.setenv("TOOLKEN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


# ---------------------------------------------------------------- the tests' own tool set


def add(numbers: list[float]) -> float:
    """Add numbers.

    Args:
        numbers: The numbers to add.
    """
    if not numbers:
        raise ValueError("needs at least one number")
    return math.fsum(numbers)


def subtract(a: float, b: float) -> float:
    """Subtract the second number from the first.

    Args:
        a: The number to subtract from.
        b: The number to subtract.
    """
    return a - b


def multiply(numbers: list[float]) -> float:
    """Multiply numbers.

    Args:
        numbers: The factors.
    """
    if not numbers:
        raise ValueError("needs at least one number")
    return math.prod(numbers)


def divide(a: float, b: float) -> float:
    """Divide the first number by the second.

    Args:
        a: The dividend.
        b: The divisor (not zero).
    """
    if b == 0:
        raise ValueError("division by zero")
    return a / b


def sqrt(x: float) -> float:
    """Take the square root of a number.

    Args:
        x: A non-negative number.
    """
    if x < 0:
        raise ValueError("square root of a negative number")
    return math.sqrt(x)


ARITH_FUNCTIONS = (add, subtract, multiply, divide, sqrt)
ARITH_NAMES = tuple(f.__name__ for f in ARITH_FUNCTIONS)


def arith_toolset() -> Toolset:
    """The tests' tool set (a fresh copy); the `arith_registered` fixture registers it as `arith`."""
    return Toolset("arith", [Tool.from_function(f) for f in ARITH_FUNCTIONS], answer="number")


def arith_source() -> str:
    """A Python file defining the tool set's functions, for `--functions`."""
    return "import math\n\n\n" + "\n\n".join(inspect.getsource(f) for f in ARITH_FUNCTIONS)


def arith_specs() -> list[dict]:
    """The tool set as OpenAI tool specs (a JSON file for `--tools`)."""
    return [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
        for t in arith_toolset().tools
    ]


_QUESTIONS = {
    "add": ("What is {a} plus {b}?", "{a}+{b}"),
    "subtract": ("What is {a} minus {b}?", "{a}-{b}"),
    "multiply": ("What is {a} times {b}?", "{a}*{b}"),
    "divide": ("What is {a} divided by {b}?", "{a}/{b}"),
    "sqrt": ("What is the square root of {a}?", "sqrt({a})"),
}
# the tools are asked for unevenly (a call of `add` is five times as likely as one of `sqrt`)
_WEIGHTS = (5, 2, 3, 2, 1)


def arith_records(n: int, seed: int = 0, direct: bool = True) -> list[dict]:
    """`n` seeded one-call questions in markup, with the tools' true results. `direct`: the answer
    is the call (`Q: What is 3 plus 4?\\nA: [[add(3, 4)=7]]`); else worked (`A: 3+4=[[add(3, 4)=7]] in
    total.`)."""
    rng = random.Random(seed)
    functions = dict(zip(ARITH_NAMES, ARITH_FUNCTIONS))
    records = []
    for _ in range(n):
        op = rng.choices(ARITH_NAMES, _WEIGHTS)[0]
        a, b = rng.randint(2, 999), rng.randint(2, 99)
        args = [a] if op == "sqrt" else [a, b]
        value = functions[op](args) if op in ("add", "multiply") else functions[op](*args)
        question, worked = (s.format(a=a, b=b) for s in _QUESTIONS[op])
        call = f"[[{op}({', '.join(map(str, args))})={format_result(value)}]]"
        answer = call if direct else f"{worked}={call} in total."
        records.append({"text": f"Q: {question}\nA: {answer}"})
    return records


def arith_demos(n: int, seed: int = 0, direct: bool = True) -> list[Demo]:
    """`arith_records` read as demonstrations."""
    return demos_from_records(arith_records(n, seed, direct), arith_toolset())[0]


@pytest.fixture
def arith_registered(monkeypatch) -> None:
    """`arith` as the one registered tool set (entry-point group `toolken.toolsets`), as an installed
    package registers its sets; the papers' sets of the bench extra are out of sight."""
    point = EntryPoint("arith", f"{__name__}:arith_toolset", ENTRY_POINT_GROUP)
    monkeypatch.setattr("toolken.toolsets.entry_points", lambda group: [point] if group == ENTRY_POINT_GROUP else [])


@dataclass
class UserFiles:
    """A user's own tool set on disk, as `toolken train` takes it."""

    tools: Path  # OpenAI specs (--tools)
    functions: Path  # the Python file defining them (--functions)
    data: Path  # markup demonstrations, JSON lines (--data)


def write_user_files(folder: Path, n_records: int = 60, direct: bool = True) -> UserFiles:
    """Write the `arith` tool set as a user's JSON spec, functions file and demonstrations."""
    folder.mkdir(parents=True, exist_ok=True)
    files = UserFiles(folder / "tools.json", folder / "arith.py", folder / "demos.jsonl")
    files.tools.write_text(json.dumps(arith_specs(), indent=1))
    files.functions.write_text(arith_source())
    files.data.write_text("".join(json.dumps(r) + "\n" for r in arith_records(n_records, direct=direct)))
    return files


@pytest.fixture
def user_files(tmp_path) -> UserFiles:
    return write_user_files(tmp_path / "user")


# ---------------------------------------------------------------- fuzzing strategies (shared with tests/bench)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
_atoms = st.one_of(
    st.integers().map(str),
    st.floats().map(repr),
    st.text(max_size=10).map(json.dumps),
    st.text(alphabet="0123456789.eE-+_,=()'\"{}[] xyzab\\", max_size=12),
)
argument_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(st.sampled_from(["", "a=", "b=", "s=", "n=", "x=", "subject="]), _atoms), max_size=5).map(
        lambda parts: ", ".join(k + v for k, v in parts)
    ),
    st.dictionaries(st.sampled_from(["a", "b", "s", "n", "items", "x", "q"]), json_values, max_size=4).map(json.dumps),
)


def scripted_decode(monkeypatch, tokenizer, script):
    """Make every decoding step write the next text of `script` (cut where the row's stop says)."""
    script = iter(script)

    def fake_decode(model, rows, max_new, stops, cfg, *args, **kwargs):
        out = []
        for stop in stops:
            text = next(script)
            cut = stop(text)
            out.append((tokenizer(text if cut is None else text[:cut], add_special_tokens=False).input_ids, None))
        return out

    monkeypatch.setattr("toolken.generation.decode", fake_decode)


def dies_at_chunk(module, monkeypatch, chunk: int = 3) -> list[int]:
    """Make `module.generate` raise KeyboardInterrupt (a kill) at its `chunk`-th call; returns the list
    of how many questions each call was given (clear it to count the calls of a resumed run)."""
    real, asked = module.generate, []

    def dying(model, questions, *a, **k):
        asked.append(len(questions))
        if len(asked) == chunk:
            raise KeyboardInterrupt
        return real(model, questions, *a, **k)

    monkeypatch.setattr(module, "generate", dying)
    return asked
