"""Tool specs, argument parsing without eval, validation and guarded execution."""

import time

import pytest

from toolken.tools import Tool, ToolError, call_tool, execute, load_tool_specs, parse_arguments
from toolken.toolsets import TOOLSET_NAMES, get_toolset


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


def test_builtin_math_tools_and_their_guards():
    tools = {t.name: t for t in get_toolset("funcqa").tools}
    assert call_tool(tools["remainder"], "5572, 3241").result == "2331"
    assert call_tool(tools["power"], "0.89, 8").result == "0.393659"
    assert call_tool(tools["choose"], "12, 4").result == "495"
    assert call_tool(tools["permutate"], "5, 2").result == "20"
    assert call_tool(tools["log"], "1000").result == "3"
    assert call_tool(tools["lcm"], "4, 6").result == "12"
    for name, args in [
        ("power", "10, 1000000000"),
        ("choose", "10000000, 5000000"),
        ("permutate", "100000, 90000"),
        ("sqrt", "-1"),
        ("log", "-5"),
        ("divide", "1, 0"),
        ("gcd", "1.5, 3"),
    ]:
        start = time.perf_counter()
        call = call_tool(tools[name], args)
        assert call.error and call.result is None, (name, args)
        assert time.perf_counter() - start < 1


def test_list_parameter_takes_all_positional_values():
    tools = {t.name: t for t in get_toolset("funcqa").tools}
    assert call_tool(tools["add"], "17.83, 18.99, 23.45").result == "60.27"
    assert call_tool(tools["gcd"], "66, 34, 54, 32").result == "2"
    assert call_tool(tools["lcm"], "23, 33, 42").result == "10626"
    assert call_tool(tools["multiply"], '{"numbers": [2, "3"]}').result == "6"
    assert "at least one" in call_tool(tools["add"], "").error


def test_builtin_toolsets_sizes():
    sizes = {name: len(get_toolset(name).tools) for name in TOOLSET_NAMES}
    assert sizes == {"funcqa": 13, "gsm8k-xl": 4, "kamel": 234, "virtualhome": 58}
    kamel = get_toolset("kamel").tools
    owner = next(t for t in kamel if t.name == "P127")
    assert call_tool(owner, '"Nike"').result in {"Mark G. Parker", "Phil Knight"}
    assert "no" in call_tool(owner, '"Nobody Inc"').error
