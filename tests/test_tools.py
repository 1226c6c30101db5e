"""Tool specs, argument parsing without eval, validation and guarded execution; the registry of named
tool sets. (The papers' math, KAMEL and VirtualHome tools are tested in tests/bench/test_toolsets.py.)"""

import asyncio
import dataclasses
import datetime
import enum
import json
import time
from typing import Literal

import pydantic
import pytest
from conftest import arith_toolset

from toolken.arguments import ToolError, parse_arguments
from toolken.execution import call_tool, execute
from toolken.tools import Tool, by_name, check_unique, load_tool_specs
from toolken.toolsets import get_toolset, toolset_names


def weather(city: str, days: int = 1) -> str:
    """Get the weather forecast.

    Args:
        city: The city.
        days: How many days ahead.
    """
    return f"sunny in {city} for {days} day(s)"


def test_from_function_uses_hints_and_docstring():
    t = Tool.from_function(weather)
    assert t.name == "weather" and t.description == "Get the weather forecast."
    assert t.argument_names == ["city", "days"]
    assert t.parameters["properties"]["days"]["type"] == "integer"
    assert t.parameters["required"] == ["city"]


def test_openai_and_mcp_specs_round_trip():
    openai = {
        "type": "function",
        "function": {
            "name": "weather",
            "description": "d",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    mcp = {
        "name": "lookup",
        "description": "find",
        "inputSchema": {"type": "object", "properties": {"q": {"type": "string"}}},
    }
    tools = load_tool_specs([openai, mcp], {"weather": weather})
    assert [t.name for t in tools] == ["weather", "lookup"]
    assert tools[0].function is weather and tools[1].function is None
    again = Tool.from_dict(tools[1].to_dict())
    assert again.to_dict() == tools[1].to_dict()


@pytest.mark.parametrize("spec", [[1], [{"type": "function", "function": {}}], {"x": 1}, [{"name": "bad name!"}]])
def test_bad_specs_raise_value_error(spec):
    with pytest.raises(ValueError):
        load_tool_specs(spec)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"Paris", 3', {"city": "Paris", "days": 3}),
        ("city='Rome'", {"city": "Rome"}),
        ('{"city": "Oslo", "days": 2}', {"city": "Oslo", "days": 2}),
        ("Paris, days=2", {"city": "Paris", "days": 2}),
        ('"a, b (c)"', {"city": "a, b (c)"}),
    ],
)
def test_parse_arguments_good(text, expected):
    assert parse_arguments(text, Tool.from_function(weather)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        '"Paris",',
        '"Paris" 3',
        "days=1, days=2",
        '"a", 2, 3',
        '"Paris", "many"',
        "{not json",
        "[1, 2]",
        "city=",
        ",,",
    ],
)
def test_parse_arguments_bad_text_raises_tool_error(text):
    with pytest.raises(ToolError):
        parse_arguments(text, Tool.from_function(weather))


def test_code_in_arguments_is_only_text():
    text = "__import__('os').system('echo hi')"
    assert parse_arguments(text, Tool.from_function(weather)) == {"city": text}


def test_call_tool_never_raises_and_reports_errors():
    def boom(x: int) -> int:
        """Fail.

        Args:
            x: anything
        """
        raise RuntimeError("kaput")

    assert call_tool(Tool.from_function(weather), '"Paris"').result == "sunny in Paris for 1 day(s)"
    failed = call_tool(Tool.from_function(boom), "1")
    assert failed.result is None and "kaput" in failed.error


def test_execute_times_out_and_limits_size():
    def slow(x: int) -> int:
        """Sleep.

        Args:
            x: seconds
        """
        time.sleep(x)
        return x

    def huge(n: int) -> str:
        """Return a long string.

        Args:
            n: length
        """
        return "x" * n

    start = time.perf_counter()
    with pytest.raises(ToolError, match="timed out"):
        execute(Tool.from_function(slow), {"x": 30}, timeout=0.2)
    assert time.perf_counter() - start < 5
    with pytest.raises(ToolError, match="characters"):
        execute(Tool.from_function(huge), {"n": 10_000}, max_chars=100)


def test_list_parameter_takes_all_positional_values():
    tools = by_name(arith_toolset().tools)
    assert call_tool(tools["add"], "17.83, 18.99, 23.45").result == "60.27"
    assert call_tool(tools["multiply"], "2, 3, 4, 5").result == "120"
    assert call_tool(tools["multiply"], '{"numbers": [2, "3"]}').result == "6"
    assert "at least one" in call_tool(tools["add"], "").error
    assert call_tool(tools["subtract"], "1, 2, 3").error == "subtract takes 2 argument(s), got 3"


def test_duplicate_tool_names_are_refused():
    tools = arith_toolset().tools
    check_unique(tools)
    with pytest.raises(ValueError, match="duplicate tool name 'add'"):
        check_unique([*tools, Tool("add", "again")])


def test_registered_tool_sets_load_only_when_asked_for(arith_registered):
    assert toolset_names() == ["arith"]
    first, second = get_toolset("arith"), get_toolset("arith")
    assert first.tool_names == ["add", "subtract", "multiply", "divide", "sqrt"] and first.answer == "number"
    first.tools.pop()
    assert len(second.tools) == 5  # a fresh copy each time
    with pytest.raises(KeyError, match="unknown tool set 'nope'; registered sets: arith"):
        get_toolset("nope")


def test_no_registered_tool_sets_says_how_to_get_some(monkeypatch):
    monkeypatch.setattr("toolken.toolsets.entry_points", lambda group: [])
    assert toolset_names() == []
    with pytest.raises(KeyError, match="pip install 'toolken\\[bench\\]'"):
        get_toolset("funcqa")


def test_list_arguments_written_as_json_lists():
    from conftest import add

    tool = Tool.from_function(add)
    assert parse_arguments("numbers=[1, 2]", tool) == {"numbers": [1, 2]}
    assert parse_arguments("[1, 2.5]", tool) == {"numbers": [1, 2.5]}
    assert parse_arguments("1, 2, 3", tool) == {"numbers": [1, 2, 3]}
    with pytest.raises(ToolError, match="cannot read list"):
        parse_arguments("numbers=[1, x]", tool)


class Size(enum.Enum):
    SMALL = "small"
    LARGE = "large"


def _order(drink: Literal["latte", "tea"], size: Size = Size.SMALL, day: datetime.date | None = None) -> str:
    """Order a drink.

    Args:
        drink: Which drink.
        size: The cup size.
        day: When to serve it.
    """
    return f"{size.value} {drink} on {day.isoformat() if day else 'today'}"


@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_a_python_function_gets_its_arguments_as_its_annotations_say(isolation):
    tool = Tool.from_function(_order)
    assert tool.parameters["properties"]["size"]["enum"] == ["small", "large"]
    assert tool.parameters["properties"]["day"]["format"] == "date"  # transformers alone refuses a date
    assert execute(tool, {"drink": "tea"}, isolation=isolation) == "small tea on today"
    args = {"drink": "latte", "size": "large", "day": "2026-12-01"}
    assert execute(tool, args, isolation=isolation) == "large latte on 2026-12-01"  # an Enum member, a date
    with pytest.raises(ToolError, match="argument day"):
        execute(tool, {"drink": "tea", "day": "someday"}, isolation=isolation)
    assert execute(Tool("f", "f", {"type": "object"}, function=lambda **kw: "ok"), {}) == "ok"  # nothing to convert


async def _price(symbol: str) -> float:
    """Latest price of a coin.

    Args:
        symbol: Ticker such as BTC.
    """
    await asyncio.sleep(0)
    if symbol == "NONE":
        raise KeyError(symbol)
    return 67000.5


async def _stuck(symbol: str) -> str:
    """Never answers.

    Args:
        symbol: Anything.
    """
    await asyncio.sleep(3600)
    return symbol


@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_an_async_function_runs_to_its_result(isolation):
    tool = Tool.from_function(_price)
    assert tool.parameters["required"] == ["symbol"]
    assert execute(tool, {"symbol": "BTC"}, isolation=isolation) == "67000.5"  # not "<coroutine object ...>"
    with pytest.raises(ToolError, match="KeyError"):
        execute(tool, {"symbol": "NONE"}, isolation=isolation)
    with pytest.raises(ToolError, match="time"):
        execute(Tool.from_function(_stuck), {"symbol": "x"}, timeout=0.5, isolation=isolation)


def _numpy_doc(value: float, to: str = "F") -> float:
    """Convert a temperature.

    Parameters
    ----------
    value : float
        The temperature to convert,
        in degrees.
    to : str
        Target scale, "C" or "F".
    """
    return value


def _rest_doc(text: str, unique: bool = False) -> int:
    """Count the words in a text.

    :param text: The text to count.
    :param unique: Count each distinct word once.
    """
    return len(text.split())


def test_numpy_and_rest_docstrings_describe_a_python_tool():
    numpy_tool, rest_tool = Tool.from_function(_numpy_doc), Tool.from_function(_rest_doc)
    assert numpy_tool.description == "Convert a temperature."
    value = numpy_tool.parameters["properties"]["value"]
    assert value == {"type": "number", "description": "The temperature to convert, in degrees."}
    assert numpy_tool.parameters["required"] == ["value"]
    assert rest_tool.parameters["properties"]["unique"]["description"] == "Count each distinct word once."
    assert rest_tool.description == "Count the words in a text."


class _Address(pydantic.BaseModel):
    city: str
    zip_code: str | None = None


@dataclasses.dataclass
class _Line:
    product: str
    qty: int = 1


class _Parcel(pydantic.BaseModel):
    to: _Address
    lines: list[_Line]


class _Node(pydantic.BaseModel):
    children: "list[_Node]" = []


def _ship(parcel: _Parcel, to: _Address | None = None) -> str:
    """Ship a parcel.

    Args:
        parcel: What to ship and where.
        to: Another address to ship it to.
    """
    return f"{len(parcel.lines)} lines to {(to or parcel.to).city}"


def _tree(root: _Node) -> int:
    """Count a tree's nodes.

    Args:
        root: The tree.
    """
    return 1


def test_pydantic_models_and_dataclasses_are_parameters_as_pydantic_describes_them():
    tool = Tool.from_function(_ship)
    parcel = tool.parameters["properties"]["parcel"]
    assert parcel["description"] == "What to ship and where." and "$defs" not in json.dumps(tool.parameters)
    assert parcel["properties"]["to"]["required"] == ["city"]  # the nested model, in place of its $ref
    assert parcel["properties"]["lines"]["items"]["properties"]["qty"] == {"type": "integer", "default": 1}
    assert tool.parameters["required"] == ["parcel"]
    args = {"parcel": {"to": {"city": "Oslo"}, "lines": [{"product": "tea"}, {"product": "cups", "qty": 2}]}}
    assert execute(tool, args) == "2 lines to Oslo"  # the function gets the model and the dataclasses
    with pytest.raises(ValueError, match="holds itself"):
        Tool.from_function(_tree)


def test_a_tools_name_reads_as_words_however_it_is_cased_or_joined():
    def named(name: str, title: str = "") -> str:
        return Tool(name=name, description="", parameters={"type": "object"}, title=title).readable_name

    assert [named(n) for n in ("get_weather", "get-weather", "getWeather", "GetWeather", "weather.get")] == [
        "get weather", "get weather", "get weather", "get weather", "weather get"]  # fmt: skip
    assert named("getHTTPStatus") == "get HTTP status" and named("send_SMS") == "send SMS"
    assert named("P17") == "P17" and named("mp3_to_wav") == "mp3 to wav" and named("x", "Main topics") == "Main topics"


class _Category(enum.Enum):
    groceries = "groceries"
    rent = "rent"


def _left(category: _Category, month: int = 1) -> str:
    """How much money is left in a budget category."""
    return f"{category.value}: 142.50 left in month {month}"


def _undocumented(x: int, y: str = "a") -> str:
    return y * x


def test_a_function_that_leaves_parameters_undescribed_is_still_a_tool():
    left = Tool.from_function(_left)
    assert left.description == "How much money is left in a budget category."
    assert left.parameters["properties"] == {
        "category": {"type": "string", "enum": ["groceries", "rent"]},
        "month": {"type": "integer", "default": 1},  # a default the function gives, which a call may leave out
    }
    assert execute(left, {"category": "rent", "month": 2}, isolation="thread") == "rent: 142.50 left in month 2"
    with pytest.raises(Exception, match="docstring"):
        Tool.from_function(_undocumented)  # no docstring at all: a helper, no tool
