"""Math expressions and equations: which parameters take one (`takes_expression`, `takes_equation`),
how a question writes them ("3x^2 + 2x - 1", "exp(-x^2)", "2x + 3 = 11": copied whole, in Python's
notation, their numbers no values of their own) and one drawn for a synthesized question."""

from __future__ import annotations

import random
import re

# a math expression as people write it: "3x^2 + 2x - 1", "exp(-x^2)", "x^3", "12 * 7"
_VAR = r"(?<![A-Za-z])[xyzt](?![A-Za-z(])"
_CALL = r"(?<![A-Za-z])(?:sin|cos|tan|exp|log|ln|sqrt|abs)\([^()]{1,40}\)"
_NUM = r"\d+(?:\.\d+)?"
_POWER = r"(?:\s*(?:\^|\*\*)\s*(?:-?\d+(?:\.\d+)?|[xyzt]|\([^()]{1,20}\)))?"
_TERM = rf"(?:{_NUM}\s*\*?\s*(?:{_VAR}|{_CALL})|{_VAR}|{_CALL}|{_NUM}){_POWER}"
EXPRESSION_RE = re.compile(rf"-?{_TERM}(?:\s*[-+*/]\s*{_TERM})*")
_MATH = re.compile(rf"[-+*/^]|{_CALL}|\d\s*\*?\s*[xyzt]")  # what makes a run of numbers an expression
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXPRESSION_WORDS = re.compile(r"\b(?:expression|equation|formula|polynomial|function|func)s?\b")
_EXPRESSION_DESCRIPTION = re.compile(r"\b(?:mathematical|math|polynomial)\s+(?:function|expression)")


def takes_expression(name: str, schema: object) -> bool:
    """Whether a free string parameter takes a math expression: its name says expression, equation,
    formula, polynomial or function ("func"; not a function's name or variable), or its description
    says so; not where the description's examples are no expressions ("a chemical formula, such as H2O")."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
        return False
    from .values import described_examples  # which imports this module

    if (examples := described_examples(schema)) and not any(expressions_in(e) for e in examples):
        return False
    words = re.sub(r"_|(?<=[a-z])(?=[A-Z])", " ", name).lower()
    if _EXPRESSION_WORDS.search(words):
        return not {"name", "variable"} & set(words.split())  # a function's name or variable is no expression
    return bool(_EXPRESSION_DESCRIPTION.search(str(schema.get("description", ""))))


def expressions_in(text: str) -> list[str]:
    """The math expressions `text` writes, in Python's notation ("x^2" as "x**2", which Python, sympy
    and numexpr all read), the side after "y =" or "f(x) =" alone; a date or a lone number is none."""
    return list(dict.fromkeys(m.group(0).strip().replace("^", "**") for m in _expressions(text)))


_EQUATION = re.compile(rf"(?<![\w.])({EXPRESSION_RE.pattern})\s*=\s*({EXPRESSION_RE.pattern})")
_HAS_VARIABLE = re.compile(_VAR)


def takes_equation(name: str, schema: object) -> bool:
    """Whether a math expression parameter (`takes_expression`) takes an equation: its name or
    description says so ("The equation, like 2x + 3 = 7.")."""
    said = f"{name} {schema.get('description', '')}" if isinstance(schema, dict) else name
    return takes_expression(name, schema) and bool(re.search(r"equation", said, re.IGNORECASE))


def equations_in(text: str) -> list[str]:
    """The equations `text` writes, both sides whole and a variable in one, in Python's notation
    ("Solve 2x + 3 = 11": "2x + 3 = 11", not its left side alone)."""
    found = (m for m in _EQUATION.finditer(text) if _HAS_VARIABLE.search(m.group(0)))
    return list(dict.fromkeys(f"{m.group(1).strip()} = {m.group(2).strip()}".replace("^", "**") for m in found))


def without_expressions(text: str) -> str:
    """`text` with the math expressions it writes blanked out: their numbers are no values of their own."""
    for m in _expressions(text):
        text = text[: m.start()] + " " * len(m.group(0)) + text[m.end() :]
    return text


def _expressions(text: str) -> list[re.Match]:
    """The matches of EXPRESSION_RE that are expressions: with an operator, a power, a function or a
    coefficient ("2x"), and no date."""
    found = ((m, m.group(0).strip()) for m in EXPRESSION_RE.finditer(text))
    return [m for m, e in found if e and _MATH.search(e.lstrip("-")) and not _DATE.fullmatch(e)]


def drawn_expression(rng: random.Random, equation: bool) -> str:
    """A math expression in x as people write it ("3x^2 - 2x + 5", "4x + 7"), or an equation of one."""
    a, b, c = rng.randint(2, 9), rng.randint(1, 20), rng.randint(1, 30)
    if equation:
        return f"{a}x {rng.choice('+-')} {b} = {c}"
    return rng.choice([f"{a}x^2 {rng.choice('+-')} {b}x + {c}", f"{a}x {rng.choice('+-')} {b}", f"x^{a % 3 + 2} + {b}"])
