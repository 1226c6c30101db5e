"""Polynomials in x a question writes ("Solve x^2 - 5x + 6 = 0", "2x² + 3x - 2") and the number
parameters that take their coefficients, by their descriptions ("Coefficient of x^2.", "The constant
term."): the copy reads each coefficient off the polynomial (1 where none is written, the sign
kept, a number after "=" moved over), and synthesis writes an equation's coefficients as such a
polynomial, as people write them."""

from __future__ import annotations

import random
import re

# a run of terms in x: "x^2 - 5x + 6", "2x² + 3*x - 2", "-x**2 + 4"; an "=" and a number may follow
_NUMBER = r"\d+(?:\.\d+)?"
_POWER = r"(?:\s*(?:\^|\*\*)\s*\d|[²³])"
_TERM_TEXT = rf"(?:{_NUMBER}\s*\*?\s*)?x{_POWER}?|{_NUMBER}"
_POLYNOMIAL = re.compile(
    rf"(?<![\w.^*])(-\s*)?(?:{_TERM_TEXT})(?:\s*[+-]\s*(?:{_TERM_TEXT}))+(?:\s*=\s*(-?\s*{_NUMBER}))?(?![\w.])"
)
_TERM = re.compile(rf"([+-]?)\s*(?:({_NUMBER})\s*\*?\s*)?(x)?(?:\s*(?:\^|\*\*)\s*(\d)|([²³]))?")
_SUPERSCRIPTS = {"²": 2, "³": 3}

# the degree of the term a parameter's description says it is the coefficient of
_DEGREES = (
    (3, re.compile(r"x\s*(?:\^|\*\*)\s*3|x³|x cubed|cubic term|third[- ]degree", re.I)),
    (2, re.compile(r"x\s*(?:\^|\*\*)\s*2|x²|x squared|squared term|quadratic term|second[- ]degree", re.I)),
    (1, re.compile(r"coefficient of x\b(?!\s*(?:\^|\*\*|²))|linear term|first[- ]degree", re.I)),
    (0, re.compile(r"\bconstant\b|free term", re.I)),
)
_SOLVES = re.compile(r"\b(?:solve|solves|solving|roots?|equations?)\b", re.I)  # a tool that solves one


def polynomials_in(text: str) -> list[dict[int, float | int]]:
    """The polynomials in x `text` writes with an x-term, each as {degree: coefficient}, a number
    written after "=" moved to the constant ("x^2 + 2x = 8": {2: 1, 1: 2, 0: -8})."""
    found = []
    for m in _POLYNOMIAL.finditer(text):
        body = m.group(0).split("=")[0]
        terms: dict[int, float | int] = {}
        for sign, number, x, power, superscript in _TERM.findall(body):
            if not (number or x):
                continue
            degree = (int(power) if power else _SUPERSCRIPTS.get(superscript, 1)) if x else 0
            value = _number(number) if number else 1
            terms[degree] = terms.get(degree, 0) + (-value if sign == "-" else value)
        if m.group(2):
            terms[0] = terms.get(0, 0) - _number(m.group(2).replace(" ", ""))
        if any(d > 0 for d in terms):
            found.append(terms)
    return found


def _number(text: str) -> float | int:
    """`text` as an int where it is whole, else a float."""
    value = float(text)
    return int(value) if value.is_integer() else value


def coefficient_degree(schema: object) -> int | None:
    """The degree of the term a number parameter takes the coefficient of, by its description
    ("Coefficient of x^2." 2, "Coefficient of x." 1, "The constant term." 0), else None."""
    if not isinstance(schema, dict) or schema.get("type") not in ("number", "integer"):
        return None
    description = str(schema.get("description", ""))
    return next((d for d, said in _DEGREES if said.search(description)), None)


def coefficients_for(props: dict, text: str) -> dict[str, list[float | int]]:
    """For the number parameters of `props` that take a polynomial's coefficients (two or more, of
    different degrees), the coefficient of each in every polynomial of their highest degree `text`
    writes, in order (0 for a term it leaves out); {} where it writes none."""
    degrees = {n: d for n, p in props.items() if (d := coefficient_degree(p)) is not None}
    if len(set(degrees.values())) < 2:
        return {}
    found = [p for p in polynomials_in(text) if max(p) == max(degrees.values())]  # a cubic's, not a quadratic's
    return {n: list(dict.fromkeys(p.get(d, 0) for p in found)) for n, d in degrees.items()} if found else {}


def polynomial_question(tool_text: str, props: dict, rng: random.Random) -> tuple[dict, str, str] | None:
    """For a tool that solves an equation (`tool_text`: its name and description) of coefficient
    parameters, half the time: small whole coefficients, a question writing them as a polynomial
    ("Solve 3x^2 - 2x + 5 = 0.") and the polynomial; else None (`rng` untouched for any other tool)."""
    degrees = {n: d for n, p in props.items() if (d := coefficient_degree(p)) is not None}
    if len(set(degrees.values())) < 2 or not _SOLVES.search(tool_text) or rng.random() < 0.5:
        return None
    args = {n: rng.choice([k for k in range(-9, 10) if k]) for n in degrees}
    terms = []
    for name, degree in sorted(degrees.items(), key=lambda nd: -nd[1]):
        value = args[name]
        shown = "" if abs(value) == 1 and degree else str(abs(value))
        term = shown + ("x" if degree else "") + (f"^{degree}" if degree > 1 else "")
        terms.append(("-" if value < 0 else "+", term))
    poly = ("-" if terms[0][0] == "-" else "") + terms[0][1] + "".join(f" {s} {t}" for s, t in terms[1:])
    template = rng.choice(["Solve {} = 0.", "What are the roots of {} = 0?", "Find x if {} = 0."])
    return args, template.format(poly), poly
