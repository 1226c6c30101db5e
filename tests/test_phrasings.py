"""A user's own questions as synth phrasings (`--examples`): values found and made into fields."""

from __future__ import annotations

import json

import pytest

from toolken import Tool, synth
from toolken.cli import main
from toolken.demonstrations import DataError
from toolken.phrasings import load_examples, templatize
from toolken.questions import fields_of


def weather(city: str, unit: str = "celsius") -> str:
    return f"{city}: 20 {unit}"


def convert(value: float, from_unit: str, to_unit: str) -> float:
    return value * 2


def tip(bill: float, percent: float) -> float:
    return round(bill * percent / 100, 2)


def count(word: str, letter: str) -> int:
    return word.count(letter)


def days(date: str) -> int:
    return len(date)


UNITS = ["miles", "kilometers", "feet", "meters"]
TOOLS = {
    "weather": Tool("weather", "Get the weather in a city.", {"type": "object", "properties": {
        "city": {"type": "string", "description": "The city."},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}, weather),
    "convert": Tool("convert", "Convert a length.", {"type": "object", "properties": {
        "value": {"type": "number"}, "from_unit": {"type": "string", "enum": UNITS},
        "to_unit": {"type": "string", "enum": UNITS}}, "required": ["value", "from_unit", "to_unit"]}, convert),
    "tip": Tool("tip", "Calculate a tip.", {"type": "object", "properties": {
        "bill": {"type": "number"}, "percent": {"type": "number", "description": "The tip in percent."}},
        "required": ["bill", "percent"]}, tip),
    "count": Tool("count", "Count a letter.", {"type": "object", "properties": {
        "word": {"type": "string"}, "letter": {"type": "string"}}, "required": ["word", "letter"]}, count),
    "days": Tool("days", "Days until a date.", {"type": "object", "properties": {
        "date": {"type": "string", "format": "date"}}, "required": ["date"]}, days),
}  # fmt: skip


@pytest.mark.parametrize(
    "tool, question, template",
    [
        ("weather", "What's the weather in Reykjavik today?", "What's the weather in {city} today?"),
        ("weather", "Is it cold in Oslo, in celsius?", "Is it cold in {city}, in {unit}?"),
        ("convert", "what is 3 meters in feet", "what is {value} {from_unit} in {to_unit}"),
        ("convert", "How many feet is 30 meters?", "How many {to_unit} is {value} {from_unit}?"),  # source: after 30
        ("tip", "What tip on $52 at 18%?", "What tip on ${bill} at {percent}?"),  # the percent one by its sign
        ("tip", "tip at 20 percent for a 75 dollar meal", "tip at {percent} for a {bill} dollar meal"),
        ("count", 'How many "l" are in "parallel"?', 'How many "{letter}" are in "{word}"?'),
        ("days", "How long until March 3, 2027?", "How long until {date}?"),
        ("days", "Days to 2027-01-05, please", "Days to {date}, please"),
        ("convert", "How far is {value} {from_unit} in {to_unit}?", "How far is {value} {from_unit} in {to_unit}?"),
    ],
)
def test_values_in_a_question_become_fields(tool, question, template):
    assert templatize(question, TOOLS[tool]) == template


def test_a_question_missing_a_required_value_is_not_a_template():
    assert templatize("what is that in feet", TOOLS["convert"]) is None
    assert templatize("How far is {distance}?", TOOLS["convert"]) is None  # unknown field
    assert templatize("How much is {value} {from_unit}?", TOOLS["convert"]) is None  # a required field missing


def test_load_examples_names_the_bad_record(tmp_path):
    path = tmp_path / "ex.jsonl"
    path.write_text(json.dumps({"tool": "weather", "question": "Rain in Lima?"}) + "\n"
                    + json.dumps({"tool": "convert", "question": "feet please"}) + "\n")  # fmt: skip
    with pytest.raises(DataError, match=r"ex.jsonl: record 1: cannot find .*convert"):
        load_examples(path, list(TOOLS.values()))
    path.write_text(json.dumps({"tool": "teleport", "question": "x"}) + "\n")
    with pytest.raises(DataError, match="record 0: unknown tool 'teleport'"):
        load_examples(path, list(TOOLS.values()))


def test_synth_fills_a_phrasing_with_exactly_its_fields():
    examples = {"weather": ["Any rain in {city}?"]}  # `unit` is optional: never drawn into this phrasing
    records = synth([TOOLS["weather"]], per_tool=40, seed=2, examples=examples)
    phrased = [r for r in records if "Any rain in" in r["text"]]
    assert 5 < len(phrased) < 40  # about half the questions
    for r in phrased:
        args = json.loads(r["calls"][0]["arguments"])
        assert set(args) == {"city"} and f"Any rain in {args['city']}?" in r["text"]


def test_synth_cli_takes_plain_questions_as_examples(tmp_path, user_files, capsys):
    ex = tmp_path / "ex.jsonl"
    ex.write_text(json.dumps({"tool": "subtract", "question": "I had 9 apples and ate 4: how many are left?"}) + "\n")
    out = tmp_path / "demos.jsonl"
    rc = main(["synth", "--tools", str(user_files.tools), "--functions", str(user_files.functions),
               "--per-tool", "30", "--examples", str(ex), "--out", str(out)])  # fmt: skip
    assert rc == 0, capsys.readouterr().err
    assert "apples and ate" in out.read_text()
    assert fields_of("a {x} b {y}") == {"x", "y"}
