"""Readers of the papers' training records (ToolkenGPT's FuncQA `tar_eq`/`tar_number`, its per-tool
`{"question", "answer"}` files, KAMEL's `call` and VirtualHome's plan lines) as toolken `Demo`s; each
tool set of `toolken_bench.toolsets` reads its records with one of them."""

from __future__ import annotations

import json
import re

from toolken.demonstrations import Call, Demo, from_markup, span_with_space
from toolken.toolsets import Toolset

from .toolsets import FUNCQA_CALL_RE, KAMEL_CALL_RE, unquote_kamel, vh_tool_name

OPENING_QUESTION_RE = re.compile(r"^([^?.!]{5,300}\?)\s")  # a text's first sentence, if it is a question


def locate(text: str, needle: str, start: int, before: str = "") -> int:
    """Find `needle` in `text` from `start`, preferring an occurrence right after `before`."""
    if before:
        i = text.find(before + needle, start)
        if i >= 0:
            return i + len(before)
    i = text.find(needle, start)
    if i < 0:
        raise ValueError(f"result text {needle!r} not found in the text")
    return i


def _funcqa_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    text, calls, pos = r["text"], [], 0
    if len(r["tar_eq"]) != len(r["tar_number"]):
        raise ValueError("tar_eq and tar_number differ in length")
    if direct and len(r["tar_eq"]) == 1 and text.startswith("Q: ") and "\nA:" in text:
        # answer straight away with the call: the question goes into the inference prompt
        m = FUNCQA_CALL_RE.match(r["tar_eq"][0])
        if not m:
            raise ValueError(f"cannot read call {r['tar_eq'][0]!r}")
        head = prompt.format(question=text[3 : text.index("\nA:")])
        full = f"{head} {r['tar_number'][0]}"
        return Demo(full, [Call(m.group(1), len(head), len(full), m.group(2).strip())])
    for eq, number in zip(r["tar_eq"], r["tar_number"]):
        m = FUNCQA_CALL_RE.match(eq)
        if not m:
            raise ValueError(f"cannot read call {eq!r}")
        start = locate(text, number, pos, before="=")
        start, end = span_with_space(text, start, start + len(number))
        calls.append(Call(m.group(1), start, end, m.group(2).strip()))
        pos = end
    return Demo(text, calls)


def _qa_answer_record(r: dict, prompt: str) -> Demo:
    # ToolkenGPT's per-tool files: {"question", "answer": "...=<op>(a, b)=r<eoe>r ..."}
    answer = FUNCQA_CALL_RE.sub(lambda m: f"[[{m.group(1)}({m.group(2)})={m.group(3)}]]", r["answer"])
    # the data repeats the result after <eoe>: drop the copy so the text reads once
    answer = re.sub(r"(\[\[[^\]]*=([^\]]*)\]\])\2", r"\1", answer)
    demo = from_markup(prompt.format(question=r["question"]) + " " + answer)
    return demo


def _kamel_record(r: dict, prompt: str) -> Demo:
    # wrap the synthetic sentence, up to the object, as the question of the test prompt: the toolken
    # is then predicted exactly where the test prompt asks for the answer
    m = KAMEL_CALL_RE.match(r["call"][0])
    if not m:
        raise ValueError(f"cannot read call {r['call'][0]!r}")
    subject, obj = unquote_kamel(m["subj"]), unquote_kamel(m["obj"])
    text = r["text"]
    i = locate(text, obj, 0)
    question = text[:i].rstrip()
    if not question:
        raise ValueError("the object opens the sentence: nothing to ask")
    head = prompt.format(question=question)
    full = f"{head} {obj}"
    # the answer ends the line: the position after the result learns not to call again
    return Demo(full + "\n", [Call(m["rel"], len(head), len(full), json.dumps(subject))])


def kamel_question_only(r: dict) -> dict | None:
    """A KAMEL training record cut to its opening question and the object ("Who owns Nike? Mark G.
    Parker"), the form of a test question; None if the text does not open with a question that
    leaves the object out."""
    m, call = OPENING_QUESTION_RE.match(r["text"]), KAMEL_CALL_RE.match(r["call"][0])
    if not m or not call:
        return None
    obj = unquote_kamel(call["obj"])
    if not obj or obj in m.group(1) or obj not in r["text"][m.end() :]:
        return None
    return {**r, "text": f"{m.group(1)} {obj}"}


def _vh_record(r: dict) -> Demo:
    # every plan token ([WALK], <chair>, [END]) of the last plan is a toolken, in order
    text, calls = r["text"], []
    pos = text.rfind("Plan:\n")
    if pos < 0:
        raise ValueError("no 'Plan:' in the text")
    for token in r["tar_eq"]:
        start = locate(text, token, pos)
        start, end = span_with_space(text, start, start + len(token))
        calls.append(Call(vh_tool_name(token), start, end))
        pos = end
    return Demo(text, calls)


def read_math_record(r: dict, toolset: Toolset) -> Demo | None:
    """FuncQA (`tar_eq`/`tar_number`) and ToolkenGPT's per-tool `{"question", "answer"}` records."""
    if "tar_number" in r:
        return _funcqa_record(r, toolset.prompt, toolset.direct)
    if "question" in r and isinstance(r.get("answer"), str):
        return _qa_answer_record(r, toolset.prompt)
    return None


def read_kamel_record(r: dict, toolset: Toolset) -> Demo | None:
    """KAMEL's synthetic sentences with their `call`."""
    return _kamel_record(r, toolset.prompt) if "call" in r and "text" in r else None


def read_plan_record(r: dict, toolset: Toolset) -> Demo | None:
    """VirtualHome's plans with their plan tokens (`tar_eq`)."""
    return _vh_record(r) if "tar_eq" in r and "text" in r else None
