"""The papers' record formats (FuncQA, ToolkenGPT's per-tool files, KAMEL, VirtualHome), read by the
readers of their tool sets, and the KAMEL questions written in a relation's own words."""

import json
from dataclasses import replace

import pytest

from toolken.demonstrations import DataError, demos_from_records, load_demos, read_records
from toolken.tools import Tool
from toolken_bench.records import kamel_question_only
from toolken_bench.tasks import doc_demos
from toolken_bench.toolsets import TOOLKENGPT_DIR, get_toolset


def test_funcqa_train_file_inline_and_direct():
    worked = replace(get_toolset("funcqa"), direct=False)
    demos, skipped = load_demos(TOOLKENGPT_DIR / "funcqa" / "train.json", worked, skip_bad=True)
    # 7 of the 650 records write an expression as an argument (`power(2, 8/5)`): not what the tool takes
    assert len(demos) == 643 and len(skipped) == 7
    assert all("is not of type 'number'" in s for s in skipped) and "record 432: call power(2, 8/5)" in skipped[1]
    first = demos[0]
    assert first.text[first.calls[0].start : first.calls[0].end] == "2331"
    direct, _ = load_demos(TOOLKENGPT_DIR / "funcqa" / "train.json", get_toolset("funcqa"), skip_bad=True)
    c = direct[0].calls[0]
    assert direct[0].text.endswith("\nA: 2331") and direct[0].text[c.start : c.end] == " 2331"


def test_funcqa_per_tool_files_read_as_questions_with_calls():
    demos, skipped = load_demos(TOOLKENGPT_DIR / "funcqa" / "training_data" / "add.jsonl", get_toolset("funcqa"))
    assert demos and not skipped
    assert all(d.text.startswith("Q: ") and "\nA: " in d.text and d.calls for d in demos)
    assert {c.tool for d in demos for c in d.calls} <= set(get_toolset("funcqa").tool_names)


def test_kamel_wraps_sentence_as_question():
    demos, skipped = load_demos(TOOLKENGPT_DIR / "kamel" / "train_clean.json", get_toolset("kamel"), skip_bad=True)
    assert len(demos) > 9000 and 0 < len(skipped) < 100
    d = demos[1]
    assert d.text == "Question: Who owns Nike? The owner entity of Nike is\nAnswer: Mark G. Parker\n"
    assert d.calls[0].tool == "P127" and d.calls[0].arguments == '"Nike"'
    assert d.text[d.calls[0].start : d.calls[0].end] == " Mark G. Parker"  # the newline is the model's


def test_kamel_question_only_keeps_the_opening_question():
    records = read_records(TOOLKENGPT_DIR / "kamel" / "train_clean.json")
    short = kamel_question_only(records[1])
    assert short["text"] == "Who owns Nike? Mark G. Parker" and short["call"] == records[1]["call"]
    (d,), _ = demos_from_records([short], get_toolset("kamel"))
    assert d.text == "Question: Who owns Nike?\nAnswer: Mark G. Parker\n"
    assert kamel_question_only(records[0]) is None  # opens with a statement
    asks_the_object = {"text": "Is Paris in France? Yes, Paris is in France.", "call": ['<f>P17("Paris")="Paris"</f>']}
    assert kamel_question_only(asks_the_object) is None  # the question would give the answer away


def test_doc_demos_ask_in_the_tools_own_words():
    tool = Tool("P54", "gets the list of teams a person was a member of.", title="team_membership")
    demos = doc_demos(tool, [("Tom", "Ajax"), ("Ann", "PSV")], "Question: {question}\nAnswer:")
    assert len(demos) == 2 * 3
    assert demos[0].text == "Question: What is the team membership of Tom?\nAnswer: Ajax\n"
    assert demos[1].text == "Question: Can you tell me the list of teams Tom was a member of?\nAnswer: Ajax\n"
    assert demos[2].text.startswith("Question: I want to know the list of teams Tom was a member of.\n")
    for d in demos:
        d.validate({"P54"})
        (c,) = d.calls
        assert c.tool == "P54" and d.text[c.start : c.end] in (" Ajax", " PSV")
        assert c.arguments in ('"Tom"', '"Ann"') and d.text[: c.start].endswith("Answer:")
    assert doc_demos(tool, []) == []
    # a doc whose subject cannot be found is asked about as it stands
    vague = Tool("opens", "gets the year when a TV show or a movie started airing", title="start_year")
    (_, asked, _) = doc_demos(vague, [("Lost", "2004")])
    assert asked.text.startswith("Q: Can you tell me the year when a TV show or a movie started airing, for Lost?")


def test_virtualhome_plan_tokens_are_calls():
    demos, _ = load_demos(TOOLKENGPT_DIR / "vh" / "legal_train_v4_embedding.json", get_toolset("virtualhome"))
    d = demos[0]
    assert [c.tool for c in d.calls][:3] == ["WALK", "home_office", "WALK"] and d.calls[-1].tool == "END"


@pytest.mark.parametrize(
    "content, message",
    [
        ('[{"text": "Q: a\\nA: b", "tar_eq": ["<add>(1,2)=3<eoe>"], "tar_number": ["3"]}]', "not found"),
        ('[{"text": "Q: a\\nA: 1", "tar_number": ["1"]}]', "missing field 'tar_eq'"),
        ('[{"text": "Q: a\\nA: 3", "tar_eq": ["add(1,2)=3"], "tar_number": ["3"]}]', "cannot read call"),
        ('[{"text": "Q: a\\nA: 3", "tar_eq": [], "tar_number": ["3"]}]', "differ in length"),
    ],
)
def test_bad_funcqa_records_name_file_and_record(tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_text(content)
    with pytest.raises(DataError, match=message) as e:
        load_demos(f, replace(get_toolset("funcqa"), direct=False))  # direct: a one-call answer is not searched
    assert "bad.json" in str(e.value) and "record 0" in str(e.value)


def test_bad_kamel_and_plan_records_are_skipped_with_a_reason(tmp_path):
    f = tmp_path / "kamel.json"
    good = json.loads((TOOLKENGPT_DIR / "kamel" / "train_clean.json").read_text())[1]
    f.write_text(json.dumps([good, {"text": "Nike", "call": ["P127(Nike)"]}]))
    demos, skipped = load_demos(f, get_toolset("kamel"), skip_bad=True)
    assert len(demos) == 1 and "record 1: cannot read call" in skipped[0]
    f.write_text(json.dumps([{"text": "no plan", "tar_eq": ["[WALK]"]}]))
    with pytest.raises(DataError, match="no 'Plan:'"):
        load_demos(f, get_toolset("virtualhome"))
