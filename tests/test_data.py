"""Demonstration loaders: every format, and clear errors on bad records."""

import json

import pytest

from toolken.data import (
    DataError,
    demos_from_records,
    doc_demos,
    from_markup,
    kamel_question_only,
    load_demos,
    read_records,
)
from toolken.tools import Tool
from toolken.toolsets import TOOLKENGPT_DIR, get_toolset


def names(toolset):
    return [t.name for t in get_toolset(toolset).tools]


def test_markup():
    d = from_markup("Q: 224 plus 77?\nA: 224+77=[[add(224, 77)=301]] in total.")
    assert d.text == "Q: 224 plus 77?\nA: 224+77=301 in total."
    (c,) = d.calls
    assert (c.tool, d.text[c.start : c.end], c.arguments) == ("add", "301", "224, 77")


def test_funcqa_train_file_inline_and_direct():
    demos, skipped = load_demos(TOOLKENGPT_DIR / "funcqa" / "train.json", names("funcqa"))
    assert len(demos) == 650 and not skipped
    first = demos[0]
    assert first.text[first.calls[0].start : first.calls[0].end] == "2331"
    direct, _ = load_demos(TOOLKENGPT_DIR / "funcqa" / "train.json", names("funcqa"), direct=True)
    c = direct[0].calls[0]
    assert direct[0].text.endswith("\nA: 2331") and direct[0].text[c.start : c.end] == " 2331"


def test_kamel_wraps_sentence_as_question():
    ts = get_toolset("kamel")
    demos, skipped = load_demos(TOOLKENGPT_DIR / "kamel" / "train_clean.json", names("kamel"), ts.prompt, skip_bad=True)
    assert len(demos) > 9000 and 0 < len(skipped) < 100
    d = demos[1]
    assert d.text == "Question: Who owns Nike? The owner entity of Nike is\nAnswer: Mark G. Parker\n"
    assert d.calls[0].tool == "P127" and d.calls[0].arguments == '"Nike"'
    assert d.text[d.calls[0].start : d.calls[0].end] == " Mark G. Parker"  # the newline is the model's


def test_kamel_question_only_keeps_the_opening_question():
    records = read_records(TOOLKENGPT_DIR / "kamel" / "train_clean.json")
    short = kamel_question_only(records[1])
    assert short["text"] == "Who owns Nike? Mark G. Parker" and short["call"] == records[1]["call"]
    (d,), _ = demos_from_records([short], names("kamel"), get_toolset("kamel").prompt)
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
    demos, _ = load_demos(TOOLKENGPT_DIR / "vh" / "legal_train_v4_embedding.json", names("virtualhome"))
    d = demos[0]
    assert [c.tool for c in d.calls][:3] == ["WALK", "home_office", "WALK"] and d.calls[-1].tool == "END"


def test_offsets_format(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": "Q: 2+2?\nA: 4", "calls": [{"tool": "add", "start": 11, "end": 12}]}) + "\n")
    (d,), _ = load_demos(f, names("funcqa"))
    assert d.calls[0].start == 11


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("[{]", "invalid JSON"),
        ('{"text": "a"}\nnot json\n', "line 2"),
        ('[{"foo": 1}]', "record 0: unknown record format"),
        ('[{"text": "x=[[nope(1)=2]]"}]', "record 0: unknown tool 'nope'"),
        ('[{"text": "Q: a\\nA: b", "tar_eq": ["<add>(1,2)=3<eoe>"], "tar_number": ["3"]}]', "not found"),
        ('[{"text": "a", "calls": [{"tool": "add", "start": 5, "end": 9}]}]', "out of range"),
        ("[]", "no records"),
    ],
)
def test_bad_files_name_file_and_record(tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_text(content)
    with pytest.raises(DataError, match=message) as e:
        load_demos(f, names("funcqa"))
    assert "bad.json" in str(e.value)


def test_skip_bad_keeps_the_good(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"text": "1+1=[[add(1, 1)=2]]"}\n{"text": "[[nope()=1]]"}\n{"text": "2+2=[[add(2, 2)=4]]"}\n')
    demos, skipped = load_demos(f, names("funcqa"), skip_bad=True)
    assert len(demos) == 2 and len(skipped) == 1 and "record 1" in skipped[0]
