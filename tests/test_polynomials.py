"""Polynomials a question writes and the coefficients they give: `toolken.polynomials`."""

from __future__ import annotations

import random

from toolken.copying import copy_schema
from toolken.polynomials import coefficients_for, polynomial_question, polynomials_in
from toolken.synthesis import tool_drafts
from toolken.tools import Tool

QUADRATIC = {
    "type": "object",
    "properties": {
        "a": {"type": "number", "description": "Coefficient of x^2."},
        "b": {"type": "number", "description": "Coefficient of x."},
        "c": {"type": "number", "description": "The constant term."},
    },
    "required": ["a", "b", "c"],
}


def test_a_polynomials_coefficients_are_read_with_their_signs():
    assert polynomials_in("Solve x^2 - 5x + 6 = 0.") == [{2: 1, 1: -5, 0: 6}]
    assert polynomials_in("-x**2 + 4 = 0") == [{2: -1, 0: 4}]
    assert polynomials_in("x² + 2x = 8") == [{2: 1, 1: 2, 0: -8}]  # the number after "=" moved over
    assert polynomials_in("What is 5 - 3?") == [] and polynomials_in("Differentiate sin(x) * x^2.") == []


def test_each_coefficient_goes_to_the_parameter_of_its_degree():
    props = copy_schema(QUADRATIC, "Find the roots of 2x^2 + 3x - 2 = 0.")["properties"]
    assert [props[n]["enum"] for n in "abc"] == [[2], [3], [-2]]
    two = "First 3x^2 + 4x + 2 = 0, then 5x^2 - 7x + 3 = 0."
    assert coefficients_for(QUADRATIC["properties"], two) == {"a": [3, 5], "b": [4, -7], "c": [2, 3]}
    cubic = {n: {"type": "number", "description": f"Coefficient of the {d}-degree term."}
             for n, d in zip("abc", ["third", "second", "first"])}  # fmt: skip
    assert coefficients_for(cubic, "3x^2 + 4x - 7 = 0 and 2x^3 - 5x^2 + 3x - 1 = 0") == {"a": [2], "b": [-5], "c": [3]}
    assert coefficients_for({"x": {"type": "number", "description": "Coefficient of x."}}, "2x + 1") == {}  # one


def test_an_equation_solvers_coefficients_are_synthesized_as_a_polynomial():
    solver = Tool("solve_quadratic", "Solve a quadratic equation.", QUADRATIC, lambda a, b, c: f"{a},{b},{c}")
    drafts = tool_drafts(solver, 40, random.Random(0))
    written = [d for d in drafts if d.question.endswith(("= 0.", "= 0?"))]
    assert written and len(written) < len(drafts)  # half the time, beside the usual phrasings
    for draft in written:
        args = {k: v for k, v in zip("abc", draft.result.split(","))}
        assert polynomials_in(draft.question) == [{d: int(args[n]) for n, d in zip("abc", (2, 1, 0))}]
    derivative = Tool("derivative", "Differentiate a polynomial.", QUADRATIC, lambda a, b, c: "ok")
    assert (
        polynomial_question("derivative Differentiate a polynomial.", QUADRATIC["properties"], random.Random(0)) is None
    )
    assert all(not d.question.endswith("= 0.") for d in tool_drafts(derivative, 10, random.Random(0)))
