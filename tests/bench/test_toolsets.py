"""The papers' tool sets: registered under their names, their math operators and guards, KAMEL's
lookups, and fuzzed calls of every kind of their tools never raising."""

import time

from conftest import argument_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolken import toolsets as registry
from toolken.execution import call_tool
from toolken.tools import by_name
from toolken_bench.toolsets import TOOLSET_NAMES, get_toolset

MAX_CHARS = 200
PAPER_TOOLS = (
    get_toolset("funcqa").tools
    + [t for t in get_toolset("kamel").tools if t.name in {"P17", "P127", "P36"}]
    + [t for t in get_toolset("virtualhome").tools if t.name in {"WALK", "END"}]
)


def test_the_papers_sets_are_registered_by_entry_point():
    assert set(TOOLSET_NAMES) <= set(registry.toolset_names())
    for name in TOOLSET_NAMES:
        assert registry.get_toolset(name).tool_names == get_toolset(name).tool_names


def test_builtin_math_tools_and_their_guards():
    tools = by_name(get_toolset("funcqa").tools)
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
    tools = by_name(get_toolset("funcqa").tools)
    assert call_tool(tools["add"], "17.83, 18.99, 23.45").result == "60.27"
    assert call_tool(tools["gcd"], "66, 34, 54, 32").result == "2"
    assert call_tool(tools["lcm"], "23, 33, 42").result == "10626"
    assert call_tool(tools["multiply"], '{"numbers": [2, "3"]}').result == "6"
    assert "at least one" in call_tool(tools["add"], "").error
    assert "too long" in call_tool(tools["add"], "1" * 20_000).error


def test_builtin_toolsets_sizes():
    sizes = {name: len(get_toolset(name).tools) for name in TOOLSET_NAMES}
    assert sizes == {"funcqa": 13, "gsm8k-xl": 4, "kamel": 234, "virtualhome": 58}
    kamel = get_toolset("kamel").tools
    owner = next(t for t in kamel if t.name == "P127")
    assert call_tool(owner, '"Nike"').result in {"Mark G. Parker", "Phil Knight"}
    assert "no" in call_tool(owner, '"Nobody Inc"').error
    plan = by_name(get_toolset("virtualhome").tools)
    assert call_tool(plan["WALK"], "").result == "[WALK]"
    assert call_tool(plan["home_office"], "").result == "<home_office>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PAPER_TOOLS), argument_texts)
def test_paper_tools_never_raise(tool, text):
    call = call_tool(tool, text, timeout=2.0, max_chars=MAX_CHARS)
    assert (call.result is None) != (call.error is None)
    assert call.result is None or (isinstance(call.result, str) and len(call.result) <= MAX_CHARS)


def test_tools_listing(capsys):
    from toolken.cli import main

    assert main(["tools"]) == 0
    assert "kamel: 234 tools" in capsys.readouterr().out
    assert main(["tools", "funcqa"]) == 0
    assert "power(base, exponent)" in capsys.readouterr().out
