"""Demonstration loaders: markup, offsets and a tool set's own format, and clear errors on bad records.
(The papers' record formats are tested with the harness, in tests/bench/test_records.py.)"""

import json
from dataclasses import replace

import pytest
from conftest import arith_records, arith_toolset

from toolken.demonstrations import (
    Call,
    DataError,
    Demo,
    add_demonstrations,
    demos_from_records,
    from_markup,
    load_demos,
    read_record,
    read_records,
)


def test_markup():
    d = from_markup("Q: 224 plus 77?\nA: 224+77=[[add(224, 77)=301]] in total.")
    assert d.text == "Q: 224 plus 77?\nA: 224+77=301 in total."
    (c,) = d.calls
    assert (c.tool, d.text[c.start : c.end], c.arguments) == ("add", "301", "224, 77")


def test_markup_call_that_opens_the_answer_owns_the_space_before_it():
    d = from_markup("Q: What is 3 plus 4?\nA: [[add(3, 4)=7]]")
    (c,) = d.calls
    assert d.text == "Q: What is 3 plus 4?\nA: 7" and d.text[c.start : c.end] == " 7"
    assert d.text[: c.start].endswith("A:")


def test_markup_file_worked_and_direct(tmp_path):
    for direct, result in ((False, "1057"), (True, " 1057")):
        f = tmp_path / f"arith-{direct}.jsonl"
        f.write_text("".join(json.dumps(r) + "\n" for r in arith_records(40, direct=direct)))
        demos, skipped = load_demos(f, arith_toolset())
        assert len(demos) == 40 and not skipped
        first = demos[1]  # "What is 990 plus 67?"
        assert first.text[first.calls[0].start : first.calls[0].end] == result
        assert first.calls[0].tool == "add" and first.calls[0].arguments == "990, 67"
        assert first.text.endswith(" in total.") != direct


def test_a_json_list_file_reads_as_json_lines_do(tmp_path):
    records = arith_records(5)
    (tmp_path / "a.json").write_text(json.dumps(records))
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    assert read_records(tmp_path / "a.json") == read_records(tmp_path / "a.jsonl") == records


def test_a_tool_sets_own_format_is_read_by_its_reader():
    def reader(r: dict, toolset) -> Demo | None:  # {"q", "op", "args", "result"}; anything else: not mine
        if "op" not in r:
            return None
        head = toolset.prompt.format(question=r["q"])
        full = f"{head} {r['result']}"
        return Demo(full, [Call(r["op"], len(head), len(full), r["args"])])

    toolset = replace(arith_toolset(), reader=reader, prompt="Question: {question}\nAnswer:")
    own = {"q": "What is 2 plus 2?", "op": "add", "args": "2, 2", "result": "4"}
    d = read_record(own, toolset)
    assert d.text == "Question: What is 2 plus 2?\nAnswer: 4" and d.calls[0].tool == "add"
    assert read_record({"text": "1+1=[[add(1, 1)=2]]"}, toolset).text == "1+1=2"  # other formats still read
    demos, _ = demos_from_records([own, {"text": "x=[[sqrt(4)=2]]"}], toolset)
    assert [d.calls[0].tool for d in demos] == ["add", "sqrt"]


def test_offsets_format(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": "Q: 2+2?\nA: 4", "calls": [{"tool": "add", "start": 11, "end": 12}]}) + "\n")
    (d,), _ = load_demos(f, arith_toolset())
    assert d.calls[0].start == 11


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("[{]", "invalid JSON"),
        ('{"text": "a"}\nnot json\n', "line 2"),
        ('[{"foo": 1}]', "record 0: unknown record format"),
        ("[7]", "record 0: a record must be a JSON object"),
        ('[{"text": 5}]', "record 0: field 'text' must be a string"),
        ('[{"text": "x=[[nope(1)=2]]"}]', "record 0: unknown tool 'nope'"),
        ('[{"text": "a", "calls": [{"tool": "add", "start": 1}]}]', "record 0: missing field 'end'"),
        ('[{"text": "a", "calls": [{"tool": "add", "start": 5, "end": 9}]}]', "out of range"),
        ('[{"text": "no call here"}]', "no record calls a tool"),
        ("[]", "no records"),
    ],
)
def test_bad_files_name_file_and_record(tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_text(content)
    with pytest.raises(DataError, match=message) as e:
        load_demos(f, arith_toolset())
    assert "bad.json" in str(e.value)


def test_skip_bad_keeps_the_good(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"text": "1+1=[[add(1, 1)=2]]"}\n{"text": "[[nope()=1]]"}\n{"text": "2+2=[[add(2, 2)=4]]"}\n')
    demos, skipped = load_demos(f, arith_toolset(), skip_bad=True)
    assert len(demos) == 2 and len(skipped) == 1 and "record 1" in skipped[0]


def test_add_demonstrations_gives_each_tool_a_few_examples_in_context():
    tools = arith_toolset().tools
    tools[-1].demonstrations = [{"context": "given", "arguments": "9"}]  # sqrt keeps its own
    demos, _ = demos_from_records(arith_records(60, direct=False), arith_toolset())
    add_demonstrations(tools, demos, per_tool=2, context_chars=12)
    by_name = {t.name: t.demonstrations for t in tools}
    assert by_name["sqrt"] == [{"context": "given", "arguments": "9"}]
    for name in ("add", "subtract", "multiply", "divide"):
        assert len(by_name[name]) == 2
        for example in by_name[name]:
            assert len(example["context"]) <= 12 and example["context"].endswith("=")
            assert example["arguments"].count(",") == 1


def test_tool_mode_examples_show_arguments_in_more_than_one_order():
    records = [{"text": f"Q: {q}\nA: [[subtract({a}, {b})={a - b}]]\n"} for q, a, b in [
        ("9 minus 4?", 9, 4), ("8 minus 2?", 8, 2), ("Take 3 from 7.", 7, 3), ("6 minus 1?", 6, 1)]]  # fmt: skip
    demos, _ = demos_from_records(records, arith_toolset())
    tools = arith_toolset().tools
    add_demonstrations(tools, demos, per_tool=2)
    shown = [e["arguments"] for t in tools if t.name == "subtract" for e in t.demonstrations]
    assert shown == ["9, 4", "7, 3"]  # the second in order is skipped for the one written the other way round
