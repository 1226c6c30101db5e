"""Training demonstrations: text with tool calls marked by character offsets (never token indices),
and loaders that turn the ToolkenGPT data files (FuncQA, KAMEL, VirtualHome, GSM8K-style) and
toolken's own formats into them.

toolken's own formats, one JSON object per record (a JSON list or JSON lines):
- inline markup: `{"text": "... 224+77=[[add(224, 77)=301]] employees"}`: the call's result text
  (`301`) stays in the text; the toolken is predicted where it begins;
- offsets: `{"text": "...", "calls": [{"tool": "add", "start": 120, "end": 123, "arguments": "224, 77"}]}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .tools import Tool
from .toolsets import FUNCQA_CALL_RE, KAMEL_CALL_RE, _unquote_kamel, vh_tool_name

MARKUP_RE = re.compile(r"\[\[([A-Za-z_][\w.\-]*)\((.*?)\)=(.*?)\]\]", re.DOTALL)
OPENING_QUESTION_RE = re.compile(r"^([^?.!]{5,300}\?)\s")  # a text's first sentence, if it is a question


class DataError(ValueError):
    """A malformed data file or record; the message names the file and the record."""


@dataclass(frozen=True)
class Call:
    """A tool call in a demonstration: the result text is `text[start:end]`; the toolken is the target
    of the position just before `start`, and the result's own tokens are not supervised."""

    tool: str
    start: int
    end: int
    arguments: str = ""


@dataclass
class Demo:
    """One training text with its calls (sorted, non-overlapping)."""

    text: str
    calls: list[Call] = field(default_factory=list)

    def validate(self, tool_names: set[str]) -> None:
        """Raise `ValueError` if a call is out of range, overlapping, or names an unknown tool."""
        prev_end = 0
        for c in self.calls:
            if c.tool not in tool_names:
                raise ValueError(f"unknown tool {c.tool!r}")
            if not (0 < c.start <= c.end <= len(self.text)) or c.start < prev_end:
                raise ValueError(f"call span {c.start}:{c.end} is out of range or overlaps another")
            prev_end = c.end


def _span_with_space(text: str, start: int, end: int) -> tuple[int, int]:
    # a result that follows a space owns that space, as the inserted result will at inference
    while start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end


def from_markup(text: str) -> Demo:
    """Parse `[[tool(args)=result]]` markup into a `Demo` whose text keeps only the results."""
    out, calls, pos = [], [], 0
    for m in MARKUP_RE.finditer(text):
        out.append(text[pos : m.start()])
        start = sum(map(len, out))
        out.append(m.group(3))
        start, end = _span_with_space("".join(out), start, start + len(m.group(3)))
        calls.append(Call(m.group(1), start, end, m.group(2).strip()))
        pos = m.end()
    out.append(text[pos:])
    return Demo("".join(out), calls)


def _locate(text: str, needle: str, start: int, before: str = "") -> int:
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
        start = _locate(text, number, pos, before="=")
        start, end = _span_with_space(text, start, start + len(number))
        calls.append(Call(m.group(1), start, end, m.group(2).strip()))
        pos = end
    return Demo(text, calls)


def _qa_answer_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    # ToolkenGPT's per-tool files: {"question", "answer": "...=<op>(a, b)=r<eoe>r ..."}
    answer = FUNCQA_CALL_RE.sub(lambda m: f"[[{m.group(1)}({m.group(2)})={m.group(3)}]]", r["answer"])
    # the data repeats the result after <eoe>: drop the copy so the text reads once
    answer = re.sub(r"(\[\[[^\]]*=([^\]]*)\]\])\2", r"\1", answer)
    demo = from_markup(prompt.format(question=r["question"]) + " " + answer)
    return demo


def _kamel_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    # wrap the synthetic sentence, up to the object, as the question of the test prompt: the toolken
    # is then predicted exactly where the test prompt asks for the answer
    m = KAMEL_CALL_RE.match(r["call"][0])
    if not m:
        raise ValueError(f"cannot read call {r['call'][0]!r}")
    subject, obj = _unquote_kamel(m["subj"]), _unquote_kamel(m["obj"])
    text = r["text"]
    i = _locate(text, obj, 0)
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
    obj = _unquote_kamel(call["obj"])
    if not obj or obj in m.group(1) or obj not in r["text"][m.end() :]:
        return None
    return {**r, "text": f"{m.group(1)} {obj}"}


def _vh_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    # every plan token ([WALK], <chair>, [END]) of the last plan is a toolken, in order
    text, calls = r["text"], []
    pos = text.rfind("Plan:\n")
    if pos < 0:
        raise ValueError("no 'Plan:' in the text")
    for token in r["tar_eq"]:
        start = _locate(text, token, pos)
        start, end = _span_with_space(text, start, start + len(token))
        calls.append(Call(vh_tool_name(token), start, end))
        pos = end
    return Demo(text, calls)


def _offsets_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    calls = [Call(c["tool"], int(c["start"]), int(c["end"]), str(c.get("arguments", ""))) for c in r["calls"]]
    return Demo(r["text"], sorted(calls, key=lambda c: c.start))


def _markup_record(r: dict, prompt: str, direct: bool = False) -> Demo:
    return from_markup(r["text"])


def _reader(r: dict) -> Callable[[dict, str, bool], Demo]:
    """Pick the record format from its keys."""
    if not isinstance(r, dict):
        raise ValueError(f"a record must be a JSON object, got {type(r).__name__}")
    if "tar_number" in r:
        return _funcqa_record
    if "call" in r and "text" in r:
        return _kamel_record
    if "tar_eq" in r and "text" in r:
        return _vh_record
    if "calls" in r and "text" in r:
        return _offsets_record
    if "question" in r and "answer" in r and isinstance(r["answer"], str):
        return _qa_answer_record
    if "text" in r:
        return _markup_record
    raise ValueError(f"unknown record format (keys: {', '.join(sorted(r)) or 'none'})")


def read_records(path: str | Path) -> list:
    """Read a JSON list or JSON-lines file; `DataError` names the file and line on bad JSON."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read: {e}") from None
    if not raw.strip():
        raise DataError(f"{path}: the file is empty")
    if raw.lstrip().startswith("["):
        try:
            records = json.loads(raw)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}: invalid JSON at line {e.lineno}: {e.msg}") from None
    else:
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise DataError(f"{path}: line {n} is not valid JSON: {e.msg}") from None
    if not records:
        raise DataError(f"{path}: no records")
    return records


def demos_from_records(
    records: Iterable,
    tool_names: Iterable[str],
    prompt: str = "Q: {question}\nA:",
    source: str = "data",
    skip_bad: bool = False,
    direct: bool = False,
) -> tuple[list[Demo], list[str]]:
    """Turn records into validated `Demo`s. Returns the demos and a message per skipped record;
    without `skip_bad` the first bad record raises `DataError` naming `source` and the record.
    With `direct`, one-call FuncQA records become `prompt(question) + result`: the toolken fires as
    soon as the answer starts (what a small model does best)."""
    names = set(tool_names)
    demos, skipped = [], []
    for i, r in enumerate(records):
        try:
            demo = _reader(r)(r, prompt, direct)
            demo.validate(names)
        except (ValueError, KeyError, TypeError, IndexError) as e:
            msg = f"{source}: record {i}: {e if not isinstance(e, KeyError) else f'missing field {e}'}"
            if not skip_bad:
                raise DataError(msg + " (use --skip-bad to skip bad records)") from None
            skipped.append(msg)
            continue
        demos.append(demo)
    if not any(d.calls for d in demos):
        raise DataError(f"{source}: no record calls a tool")
    return demos, skipped


def load_demos(
    path: str | Path,
    tool_names: Iterable[str],
    prompt: str = "Q: {question}\nA:",
    skip_bad: bool = False,
    direct: bool = False,
) -> tuple[list[Demo], list[str]]:
    """Read a demonstration file in any supported format; see `demos_from_records`."""
    return demos_from_records(read_records(path), tool_names, prompt, str(path), skip_bad, direct)


# questions that ask for a tool's answer in the words of its own name and doc: `about` is the doc with
# the subject put in place of what it describes ("gets the teams a person was a member of." -> "the
# teams Tom was a member of"); written once for every tool, never per task
DOC_QUESTIONS = (
    "What is the {name} of {subject}?",
    "Can you tell me {about}?",
    "I want to know {about}.",
)
_DOC_VERB_RE = re.compile(r"^(?:gets?|returns?|retrieves?|provides?|finds?|looks? up|computes?)\s+", re.IGNORECASE)
# the doc's first "a/an [given] ..." of at most five words, up to a verb or the end: what the argument
# stands for
_DOC_ARTICLE_RE = re.compile(r"\b(?:a|an)\s")
_DOC_SUBJECT_RE = re.compile(
    r"(?:a|an)\s+(?:given\s+)?(?:[\w/-]+,?\s+){0,3}?[\w/-]+(?=\s+(?:is|was|are|were|has|have|had|belongs?)\b|[.;]?$)"
)


def _about(doc: str, subject: str) -> str:
    """`doc` with `subject` in place of the thing it describes, or `doc, for subject`."""
    article = _DOC_ARTICLE_RE.search(doc)
    m = _DOC_SUBJECT_RE.match(doc, article.start()) if article else None
    return f"{doc[: m.start()]}{subject}{doc[m.end() :]}" if m else f"{doc}, for {subject}"


def doc_demos(tool: Tool, examples: Iterable[tuple[str, str]], prompt: str = "Q: {question}\nA:") -> list[Demo]:
    """Demos asked in the words of `tool`'s name and description, one per question form in
    `DOC_QUESTIONS` and known `(subject, result)` pair: `prompt(question) + " " + result`, the call
    due where the answer starts. They give a tool with few demonstrations some in its own words."""
    doc = _DOC_VERB_RE.sub("", tool.description.strip()).rstrip(". ")
    demos = []
    for subject, result in examples:
        about = _about(doc, subject)
        for form in DOC_QUESTIONS:
            head = prompt.format(question=form.format(name=tool.readable_name, about=about, subject=subject))
            full = f"{head} {result}"
            demos.append(Demo(full + "\n", [Call(tool.name, len(head), len(full), json.dumps(subject))]))
    return demos


def add_demonstrations(tools: Iterable, demos: list[Demo], per_tool: int = 3, context_chars: int = 300) -> None:
    """Give each tool up to `per_tool` tool-mode examples (context before the call + argument text)
    taken from the training demos, unless it already has some."""
    wanted = {t.name: t for t in tools if not t.demonstrations}
    for demo in demos:
        for c in demo.calls:
            tool = wanted.get(c.tool)
            if tool is not None and c.arguments and len(tool.demonstrations) < per_tool:
                context = demo.text[max(0, c.start - context_chars) : c.start]
                tool.demonstrations.append({"context": context, "arguments": c.arguments})
