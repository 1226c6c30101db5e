"""Word problems for arithmetic tools. People ask for a sum, a difference, a product or a quotient in
everyday terms ("How many are left?", "How much does each friend pay?") that a tool's name and
description never use. A tool that takes two numbers, or one list of numbers, and behaves as one of
the four operations (found by calling it on probe numbers, whatever it is named) is also asked in the
shipped frames of `resources/word_problems.json`, its operands passed in the order the probes showed."""

from __future__ import annotations

import json
import math
import operator
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .arguments import ToolError
from .execution import execute
from .tools import Tool
from .values import draw_value, resources

FRAMES = Path(__file__).with_name("resources") / "word_problems.json"
OPERATIONS = {"sum": operator.add, "difference": operator.sub, "product": operator.mul, "quotient": operator.truediv}
# probe operands no other common operation maps onto a basic one: lcm(7, 3) is 7 * 3, gcd(9, 6) is 9 - 6
PROBES = ((20, 8), (30, 12))
# a tool must also say it does arithmetic: a formula's tool (a density from a mass and a volume) computes
# a quotient too, but is not what "how many sweets does each child get?" asks for
ARITHMETIC_WORDS = re.compile(r"\b(?:add|sum|plus|total|subtract|minus|difference|multipl\w*|product|times|divi\w*|quotient)")
COUNTS = (2, 60)  # the whole numbers a frame's count ("among {b} children") is drawn from


@cache
def frames() -> dict[str, list[dict]]:
    """The shipped word-problem frames by operation."""
    return {k: v for k, v in json.loads(FRAMES.read_text(encoding="utf-8")).items() if k in OPERATIONS}


@dataclass(frozen=True)
class Arithmetic:
    """How a tool computes an operation: which parameters take the operands (one list parameter when
    `listed`) and whether it computes op(b, a) for the arguments (a, b)."""

    operation: str
    params: tuple[str, ...]
    listed: bool
    swapped: bool

    def arguments(self, a: float, b: float) -> dict:
        """The tool's arguments computing op(a, b)."""
        first, second = (b, a) if self.swapped else (a, b)
        return {self.params[0]: [first, second]} if self.listed else {self.params[0]: first, self.params[1]: second}


def _is_number(schema: object) -> bool:
    return isinstance(schema, dict) and schema.get("type") in ("number", "integer")


def _operand_params(tool: Tool) -> tuple[tuple[str, ...], bool] | None:
    """The parameters that would take two operands: exactly two required numbers, or one required list
    of numbers, and no other required parameter."""
    props = tool.parameters.get("properties", {})
    required = [n for n in tool.parameters.get("required", []) if n in props]
    if len(required) == 2 and all(_is_number(props[n]) for n in required):
        return tuple(required), False
    if len(required) == 1 and props[required[0]].get("type") == "array" and _is_number(props[required[0]].get("items")):
        return tuple(required), True
    return None


def _result(tool: Tool, args: dict, timeout: float) -> float | None:
    try:
        return float(execute(tool, args, timeout))
    except (ToolError, ValueError, OverflowError):
        return None


def arithmetic(tool: Tool, timeout: float = 5.0) -> Arithmetic | None:
    """How `tool` computes a sum, difference, product or quotient of two numbers, if its name or
    description speaks of arithmetic and it computes one on every probe (it is called on them), else None."""
    found = _operand_params(tool)
    if found is None or tool.function is None or not ARITHMETIC_WORDS.search(f"{tool.readable_name} {tool.description}".lower()):
        return None
    params, listed = found
    for operation, op in OPERATIONS.items():
        for swapped in (False, True):
            how = Arithmetic(operation, params, listed, swapped)
            if all(_close(_result(tool, how.arguments(a, b), timeout), op(a, b)) for a, b in PROBES):
                return how
    return None


def _close(got: float | None, want: float) -> bool:
    return got is not None and math.isclose(got, want, rel_tol=1e-3)


def _operand(tool: Tool, how: Arithmetic, index: int, kind: str | None, rng: random.Random) -> tuple[float, str]:
    """An operand drawn from its parameter's schema (a whole number for a frame's "whole"), or a count
    from `COUNTS` for a frame's "count"."""
    if kind == "count":
        value = rng.randint(*COUNTS)
        return value, str(value)
    props = tool.parameters["properties"]
    name = how.params[0] if how.listed else how.params[index if not how.swapped else 1 - index]
    schema = props[name].get("items", {}) if how.listed else props[name]
    return draw_value(name, {**schema, "type": "integer"} if kind == "whole" else schema, rng)


def word_problem(tool: Tool, how: Arithmetic, rng: random.Random) -> tuple[str, dict, list[str]] | None:
    """A word problem asking for `how`'s operation: the question, the tool's arguments and the values
    it writes; None if the drawn operands do not make one (a divisor of 0)."""
    frame = rng.choice(frames()[how.operation])
    (a, said_a), (b, said_b) = (_operand(tool, how, i, frame.get(slot), rng) for i, slot in enumerate("ab"))
    if how.operation == "difference" and a < b:
        (a, said_a), (b, said_b) = (b, said_b), (a, said_a)  # "had 40 and gave 12 away", not the reverse
    if how.operation == "quotient" and b == 0:
        return None
    text = frame["text"].format(a=said_a, b=said_b, person=rng.choice(resources()["pools"]["person"]))
    return text, how.arguments(a, b), [said_a, said_b]
