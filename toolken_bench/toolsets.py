"""The papers' tool sets, registered with toolken under their names (entry points in pyproject.toml):
`funcqa` (13 math operators), `gsm8k-xl` (the first 4), `kamel` (234 Wikidata relations, each a lookup
into a knowledge base built from the training data) and `virtualhome` (25 actions, 32 objects and END).
Each reads the papers' record formats (`toolken_bench.records`)."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

from toolken.tools import Tool
from toolken.toolsets import Toolset

DATA_DIR = Path(__file__).parent / "data"
TOOLKENGPT_DIR = DATA_DIR / "toolkengpt"

# the ToolkenGPT data writes a FuncQA call as <op>(args)=result<eoe>
FUNCQA_CALL_RE = re.compile(r"<(\w+)>\((.*?)\)\s*=\s*(.*?)<eoe>")


# ---------------------------------------------------------------- FuncQA / GSM8K-XL math tools

_MAX_MAGNITUDE = 1e300  # refuse results that would overflow a float
_MAX_INT = 10**15  # integer tools (lcm, gcd, remainder, choose, permutate) work below this


def _check_finite(*values: float) -> None:
    for v in values:
        if not math.isfinite(v):
            raise ValueError(f"{v} is not a finite number")


def _check_divisor(a: float, b: float) -> None:
    _check_finite(a, b)
    if b == 0:
        raise ValueError("division by zero")


def _check_some(numbers: list[float]) -> None:
    if not numbers:
        raise ValueError("needs at least one number")
    _check_finite(*numbers)


def _as_int(x: float, what: str) -> int:
    _check_finite(x)
    if float(x) != int(x):
        raise ValueError(f"{what} must be a whole number, got {x}")
    if abs(x) > _MAX_INT:
        raise ValueError(f"{what} is too large (limit {_MAX_INT:.0e})")
    return int(x)


def add(numbers: list[float]) -> float:
    """Add numbers.

    Args:
        numbers: The numbers to add.
    """
    _check_some(numbers)
    return math.fsum(numbers)


def subtract(a: float, b: float) -> float:
    """Subtract the second number from the first.

    Args:
        a: The number to subtract from.
        b: The number to subtract.
    """
    _check_finite(a, b)
    return a - b


def multiply(numbers: list[float]) -> float:
    """Multiply numbers.

    Args:
        numbers: The factors.
    """
    _check_some(numbers)
    product = 1.0
    for x in numbers:
        product *= x
    return product


def divide(a: float, b: float) -> float:
    """Divide the first number by the second.

    Args:
        a: The dividend.
        b: The divisor (not zero).
    """
    _check_divisor(a, b)
    return a / b


def power(base: float, exponent: float) -> float:
    """Raise a number to a power.

    Args:
        base: The base.
        exponent: The exponent.
    """
    _check_finite(base, exponent)
    if base == 0 and exponent < 0:
        raise ValueError("zero cannot be raised to a negative power")
    if base < 0 and not float(exponent).is_integer():
        raise ValueError("a negative base needs a whole exponent")
    # estimate the size from logarithms before computing, so huge powers never allocate
    if base != 0 and exponent * math.log10(abs(base)) > math.log10(_MAX_MAGNITUDE):
        raise ValueError(f"{base}^{exponent} is too large")
    return float(base) ** float(exponent)


def sqrt(x: float) -> float:
    """Take the square root of a number.

    Args:
        x: A non-negative number.
    """
    _check_finite(x)
    if x < 0:
        raise ValueError("square root of a negative number")
    return math.sqrt(x)


def log(x: float, base: float = 10) -> float:
    """Take the logarithm of a number, base 10 unless a base is given.

    Args:
        x: A positive number.
        base: The base of the logarithm (positive, not 1).
    """
    _check_finite(x, base)
    if x <= 0 or base <= 0 or base == 1:
        raise ValueError("log needs a positive number and a positive base other than 1")
    return math.log(x, base)


def ln(x: float) -> float:
    """Take the natural logarithm of a number.

    Args:
        x: A positive number.
    """
    _check_finite(x)
    if x <= 0:
        raise ValueError("ln needs a positive number")
    return math.log(x)


def lcm(numbers: list[float]) -> int:
    """Least common multiple of whole numbers.

    Args:
        numbers: The whole numbers.
    """
    _check_some(numbers)
    result = math.lcm(*(_as_int(x, "each number") for x in numbers))
    if result > _MAX_INT:
        raise ValueError(f"the least common multiple is too large (limit {_MAX_INT:.0e})")
    return result


def gcd(numbers: list[float]) -> int:
    """Greatest common divisor of whole numbers.

    Args:
        numbers: The whole numbers.
    """
    _check_some(numbers)
    return math.gcd(*(_as_int(x, "each number") for x in numbers))


def remainder(a: float, b: float) -> float:
    """Remainder of dividing the first number by the second.

    Args:
        a: The dividend.
        b: The divisor (not zero).
    """
    _check_divisor(a, b)
    return math.fmod(a, b) if a >= 0 and b > 0 else a % b


def _log10_falling(n: int, k: int) -> float:
    # log10 of n!/(n-k)!, to refuse results with too many digits before computing them
    return (math.lgamma(n + 1) - math.lgamma(n - k + 1)) / math.log(10)


def _n_k(n: float, k: float, what: str) -> tuple[int, int]:
    n, k = _as_int(n, "n"), _as_int(k, "k")
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"{what} needs 0 <= k <= n")
    return n, k


def choose(n: float, k: float) -> int:
    """Number of ways to choose k items from n without order (n choose k).

    Args:
        n: The number of items.
        k: How many are chosen.
    """
    n, k = _n_k(n, k, "choose")
    k = min(k, n - k)
    if _log10_falling(n, k) - math.lgamma(k + 1) / math.log(10) > 300:
        raise ValueError(f"choose({n}, {k}) is too large")
    return math.comb(n, k)


def permutate(n: float, k: float) -> int:
    """Number of ordered arrangements of k items taken from n.

    Args:
        n: The number of items.
        k: How many are arranged.
    """
    n, k = _n_k(n, k, "permutate")
    if _log10_falling(n, k) > 300:
        raise ValueError(f"permutate({n}, {k}) is too large")
    return math.perm(n, k)


MATH_FUNCTIONS = [add, subtract, multiply, divide, power, sqrt, log, ln, lcm, gcd, remainder, choose, permutate]


def _math_toolset(name: str, functions: list, direct: bool) -> Toolset:
    from .records import read_math_record

    tools = [Tool.from_function(f) for f in functions]
    return Toolset(name, tools, stop=["\n"], answer="number", direct=direct, reader=read_math_record)


# ---------------------------------------------------------------- KAMEL


@cache
def kamel_known() -> dict[str, dict[str, str]]:
    """relation id -> {subject as written: object}, from the calls in KAMEL's synthetic training data."""
    known: dict[str, dict[str, str]] = {}
    for record in json.loads((TOOLKENGPT_DIR / "kamel" / "train_clean.json").read_text()):
        for call in record.get("call", []):
            m = KAMEL_CALL_RE.match(call)
            if m:
                known.setdefault(m["rel"], {})[unquote_kamel(m["subj"])] = unquote_kamel(m["obj"])
    return known


@cache
def kamel_facts() -> dict[str, dict[str, str]]:
    """relation id -> {subject in lower case: object}: what each KAMEL lookup tool knows."""
    return {rel: {s.lower(): o for s, o in pairs.items()} for rel, pairs in kamel_known().items()}


KAMEL_EXAMPLES = 20  # known subjects listed in each KAMEL tool's schema
KAMEL_CALL_RE = re.compile(r"^<f>(?P<rel>P\d+)\((?P<subj>.*)\)=(?P<obj>.*)</f>$")


def unquote_kamel(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _kamel_lookup(relation: str, title: str):
    def lookup(subject: str) -> str:
        obj = kamel_facts().get(relation, {}).get(subject.strip().lower())
        if obj is None:
            raise LookupError(f"no {title} known for {subject!r}")
        return obj

    return lookup


def kamel() -> Toolset:
    """KAMEL's 234 relations, each a lookup into the facts of its training data."""
    api = json.loads((TOOLKENGPT_DIR / "kamel" / "api_desc.json").read_text())
    kamel_facts()  # read once here: each call runs in a forked worker, which inherits what is loaded
    tools = []
    for rel, desc in api.items():
        title, rest = desc.split("(", 1)
        args, _, text = rest.partition("):")
        # the subjects the lookup knows, as JSON Schema `examples` (what `toolken synth` asks about)
        subjects = sorted(kamel_known().get(rel, {}))[:KAMEL_EXAMPLES]
        subject = {"type": "string", "description": f"the {args.strip()}", "examples": subjects}
        schema = {"type": "object", "properties": {"subject": subject}, "required": ["subject"]}
        tool = Tool(rel, text.strip(), schema, _kamel_lookup(rel, title), title=title)
        tools.append(tool)
    from .records import read_kamel_record

    return Toolset("kamel", tools, prompt="Question: {question}\nAnswer:", stop=["\n"], reader=read_kamel_record)


# ---------------------------------------------------------------- VirtualHome

VH_ACTIONS = {
    "DRINK": "drink from a cup or glass",
    "FIND": "find and locate an object",
    "SIT": "sit down on a chair, sofa or bed",
    "GRAB": "pick up an object with the hands",
    "WALK": "walk to a room or an object",
    "SWITCHON": "switch on a device or light",
    "TURNTO": "turn the body to face an object",
    "WATCH": "watch a screen or an object",
    "PUTOBJBACK": "put an object back where it was",
    "READ": "read a book, paper or screen",
    "OPEN": "open a door, drawer or container",
    "LIE": "lie down on a bed or sofa",
    "LOOKAT": "look at an object",
    "DROP": "let go of a held object",
    "TYPE": "type on a keyboard",
    "POINTAT": "point at an object",
    "PULL": "pull an object",
    "TOUCH": "touch an object",
    "SWITCHOFF": "switch off a device or light",
    "RINSE": "rinse an object with water",
    "CLOSE": "close a door, drawer or container",
    "PUSH": "push an object",
    "RUN": "run to a room or an object",
    "WASH": "wash an object or the hands",
    "PLUGIN": "plug a device into a socket",
}


def _literal(text: str):
    def emit() -> str:
        return text

    return emit


def vh_tool_name(token: str) -> str:
    """`[WALK]` -> `WALK`, `<home_office>` -> `home_office`, `[END]` -> `END`."""
    return token.strip("[]<>")


def virtualhome() -> Toolset:
    """VirtualHome's 25 actions, 32 objects and END, each a toolken that writes its own plan token."""
    func_dict = json.loads((TOOLKENGPT_DIR / "vh" / "func_dict.json").read_text())
    tools = []
    for token in func_dict:
        name = vh_tool_name(token)
        if token == "[END]":
            desc = "end the plan: the goal is reached"
        elif token.startswith("["):
            desc = VH_ACTIONS[name].capitalize()
        else:
            desc = f"the {name.replace('_', ' ')}"
        tools.append(Tool(name, desc, function=_literal(token), title=name.lower().replace("_", " ")))
    from .records import read_plan_record

    return Toolset("virtualhome", tools, prompt="{question}", stop=["\n\n"], reader=read_plan_record)


TOOLSET_NAMES = ("funcqa", "gsm8k-xl", "kamel", "virtualhome")


def funcqa() -> Toolset:
    """FuncQA's 13 math operators; one-call records call the tool as soon as the answer starts."""
    return _math_toolset("funcqa", MATH_FUNCTIONS, direct=True)


def gsm8k_xl() -> Toolset:
    """GSM8K-XL's 4 arithmetic operators."""
    return _math_toolset("gsm8k-xl", MATH_FUNCTIONS[:4], direct=False)


_FACTORIES = {"funcqa": funcqa, "gsm8k-xl": gsm8k_xl, "kamel": kamel, "virtualhome": virtualhome}


def get_toolset(name: str) -> Toolset:
    """One of the papers' tool sets by name (a fresh copy)."""
    if name not in _FACTORIES:
        raise KeyError(f"unknown tool set {name!r}; the papers' sets: {', '.join(TOOLSET_NAMES)}")
    return _FACTORIES[name]()
