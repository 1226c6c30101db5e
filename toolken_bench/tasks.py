"""The papers' benchmark tasks: their tool sets, training, validation and test records, how a
question is asked and how an answer is scored.

Tasks: `funcqa-oh`, `funcqa-mh` (FuncQA one-/multi-hop), `gsm8k-xl`, `kamel-N` (N = 30, 60, 100,
234 tools), `virtualhome` (the 47 validation plans of the ToolkenGPT VirtualHome file; 20 of them have a
TrimmedTestScene1 scene graph, where executability and goal success are measured) and
`virtualhome-scene` (a seeded held-out set of 50 TrimmedTestScene1 programs, all with scene graphs);
both VirtualHome tasks share one head trained on the file's first 200 plans, validated on a seeded
10% of them (`toolken_bench.virtualhome` defines their metrics).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolken.config import DEFAULT_PROMPT
from toolken.demonstrations import Call, Demo, demos_from_records, read_records
from toolken.generation import Generation
from toolken.tools import Tool
from toolken.toolsets import Toolset
from toolken.training import split_demos

from . import virtualhome
from .records import kamel_question_only
from .toolsets import FUNCQA_CALL_RE, KAMEL_CALL_RE, TOOLKENGPT_DIR, get_toolset, unquote_kamel

KAMEL_SIZES = (30, 60, 100, 234)
VH_TASKS = ("virtualhome", "virtualhome-scene")
TASKS = ("funcqa-oh", "funcqa-mh", "gsm8k-xl", *(f"kamel-{n}" for n in KAMEL_SIZES), *VH_TASKS)
DOC_EXAMPLES = 3  # KAMEL: known (subject, object) pairs per relation asked in its doc's words (`doc_demos`)
GSM8K_TOOLS = ("add", "subtract", "multiply", "divide")
GSM8K_SYNTHETIC = 300  # generated word problems in the substitute GSM8K-XL training data
GSM8K_TRAINING_NOTE = (
    "substitute: the papers' GSM8K-XL training file is not available; trained on the FuncQA training "
    f"records that call only {', '.join(GSM8K_TOOLS)}, their per-tool files and {GSM8K_SYNTHETIC} "
    "generated word problems"
)


@dataclass
class Task:
    """A benchmark task: its family (funcqa, gsm8k-xl, kamel, virtualhome), tool set, training and test
    files (the VirtualHome tasks build their test records: see `task_records`)."""

    name: str
    family: str
    toolset: Toolset
    train_file: Path
    test_file: Path
    n_val: int | None  # the last n_val training records validate (None: a seeded 10%)


def get_task(name: str) -> Task:
    """Look up a task by name."""
    if name in ("funcqa-oh", "funcqa-mh"):
        test = "funcqa_oh.json" if name == "funcqa-oh" else "funcqa_mh.json"
        folder = TOOLKENGPT_DIR / "funcqa"
        return Task(name, "funcqa", get_toolset("funcqa"), folder / "train.json", folder / test, 39)
    if name == "gsm8k-xl":
        funcqa = TOOLKENGPT_DIR / "funcqa" / "train.json"
        test = TOOLKENGPT_DIR / "gsm8k-xl" / "test.json"
        return Task(name, "gsm8k-xl", get_toolset("gsm8k-xl"), funcqa, test, None)
    if name.startswith("kamel-") and name[6:].isdigit() and int(name[6:]) in KAMEL_SIZES:
        n = int(name[6:])
        toolset = get_toolset("kamel")
        toolset.tools = toolset.tools[:n]  # the first N relations, as the test files are drawn
        folder = TOOLKENGPT_DIR / "kamel"
        return Task(name, "kamel", toolset, folder / "train_clean.json", folder / f"test_first_{n}.json", None)
    if name in VH_TASKS:
        train = virtualhome.TRAIN_FILE
        # the file's last N_VAL plans are the test: the head validates on a seeded 10% of the first 200
        return Task(name, "virtualhome", get_toolset("virtualhome"), train, train, None)
    raise KeyError(f"unknown task {name!r}; tasks: {', '.join(TASKS)}")


# ---------------------------------------------------------------- test questions and scoring


def _number_text(x: float | int | str) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def task_records(task: Task, data: str | None = None, limit: int | None = None) -> list:
    """The first `limit` test records of `task`, from `data` if given. VirtualHome: the validation
    plans (`virtualhome`) or the held-out scene programs (`virtualhome-scene`), each with the name of
    its scene program where one is known."""
    if task.family != "virtualhome":
        return read_records(data or task.test_file)[:limit]
    if data:
        return virtualhome.with_programs(read_records(data)[:limit])
    if task.name == "virtualhome-scene":
        return virtualhome.heldout_records(limit)
    return virtualhome.validation_records()[:limit]


def question_of(task: Task, record: dict) -> str:
    """The question of a test record; GSM8K-XL's `{v_i}` are filled with its enlarged numbers
    (`enhanced_v`, or `v` for the few records whose placeholders are words); a VirtualHome record's
    text up to its last `Plan:` line."""
    if task.family == "virtualhome":
        return virtualhome.question(record)
    if task.family != "gsm8k-xl":
        return record["question"]
    values = record["enhanced_v"] or record["v"]
    return re.sub(r"\{v_(\d+)\}", lambda m: _number_text(values[int(m.group(1)) - 1]), record["question"])


def numeric_match(pred: str, gold: float | str) -> bool:
    """Within 0.1% relative tolerance, or equal after rounding to 2 decimals."""
    try:
        p, g = float(pred), float(gold)
    except (TypeError, ValueError):
        return False
    return abs(p - g) <= 1e-3 * abs(g) or round(p, 2) == round(g, 2)


def kamel_match(record: dict, gen: Generation) -> bool:
    """The right relation tool was called, or a gold object (or an alternative) is in the answer."""
    if any(c.tool == record["api"] for c in gen.calls):
        return True
    golds = {a for ans in record["answer"] for a in [ans.get("chosen"), *ans.get("alternative", [])] if a}
    return any(g.lower() in gen.text.lower() for g in golds)


def score(task: Task, record: dict, gen: Generation) -> bool:
    """Whether one answer is right, as the papers score the task."""
    if task.family == "kamel":
        return kamel_match(record, gen)
    gold = record["enhanced_result"] if task.family == "gsm8k-xl" else record["answer"]
    return numeric_match(gen.answer, gold)


# ---------------------------------------------------------------- training data and heads

_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Farah", "Gus", "Hana", "Ivo", "Jade")
_ITEMS = ("stamps", "coins", "bottles", "tickets", "bricks", "seeds", "books", "marbles", "cards", "shells")
_STEPS = {  # operator: (its symbol, the question's sentence)
    "add": ("+", "Then {name} gets {more} more."),
    "subtract": ("-", "Then {name} gives away {more}."),
    "multiply": ("*", "Then {name} trades each of them for {more} new ones."),
    "divide": ("/", "Then {name} splits them into {more} equal piles and keeps one pile."),
}


def _word_step(rng: random.Random, value: int) -> tuple[str, list[int], int]:
    """One random operation on `value` that keeps whole positive numbers: operator, operands, result."""
    divisors = [d for d in range(2, 13) if value % d == 0]
    op = rng.choice(["add", "multiply"] + ["subtract"] * (value > 1) + ["divide"] * bool(divisors))
    if op == "add":
        args = [rng.randint(2, 999) for _ in range(rng.choice((1, 1, 2)))]  # add takes a list: sometimes 3 numbers
        return op, args, value + sum(args)
    if op == "subtract":
        b = rng.randint(1, value - 1)
        return op, [b], value - b
    if op == "multiply":
        b = rng.randint(2, 12)
        return op, [b], value * b
    b = rng.choice(divisors)
    return op, [b], value // b


def synthetic_word_problems(n: int, seed: int = 0) -> list[dict]:
    """`n` seeded word problems of 1-3 chained operations in `[[op(args)=result]]` markup, as
    `{"text": "Q: ...\nA: ..."}` records (part of the substitute GSM8K-XL training data)."""
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        name, item = rng.choice(_NAMES), rng.choice(_ITEMS)
        value = rng.randint(2, 99) if rng.random() < 0.5 else rng.randint(100, 9999)
        question, answer = [f"{name} has {value} {item}."], []
        for _ in range(rng.randint(1, 3)):
            op, args, result = _word_step(rng, value)
            symbol, sentence = _STEPS[op]
            operands = [value, *args]
            expression = symbol.join(map(str, operands))
            call = f"{op}({', '.join(map(str, operands))})={result}"
            question.append(sentence.format(name=name, more=" and ".join(map(str, args))))
            answer.append(f"{name} has {expression}=[[{call}]] {item}.")
            value = result
        question.append(f"How many {item} does {name} have now?")
        records.append({"text": f"Q: {' '.join(question)}\nA: {' '.join(answer)} The answer is {value}."})
    return records


def _training_records(task: Task, seed: int = 0) -> list:
    names = {t.name for t in task.toolset.tools}
    records = read_records(task.train_file)
    if task.family == "kamel":
        return [r for r in records if r.get("api") in names]
    if task.family == "gsm8k-xl":
        basic = [r for r in records if all(FUNCQA_CALL_RE.match(eq).group(1) in names for eq in r["tar_eq"])]
        folder = task.train_file.parent / "training_data"
        per_tool = [r for op in GSM8K_TOOLS for r in read_records(folder / f"{op}.jsonl")]
        return basic + per_tool + synthetic_word_problems(GSM8K_SYNTHETIC, seed)
    if task.family == "virtualhome":  # never the last N_VAL plans: the `virtualhome` task tests on them
        return [virtualhome.training_record(r) for r in records[: -virtualhome.N_VAL]]
    return records


def seeded_sample(records: list, limit: int | None, seed: int) -> list:
    """A seeded sample of at most `limit` records, in their order (all of them if `limit` is None)."""
    if limit is None or len(records) <= limit:
        return records
    keep = sorted(random.Random(seed).sample(range(len(records)), limit))
    return [records[i] for i in keep]


def _split(task: Task, records: list, seed: int) -> tuple[list, list | None]:
    """The training and validation records of `task` (validation None: `train` holds out a seeded
    10% of the demos itself). KAMEL validates on a seeded 10% of its records in the form of a test
    question (their opening question, where they have one) and trains on the rest in both forms."""
    if task.n_val:
        return records[: -task.n_val], records[-task.n_val :]
    if task.family != "kamel":
        return records, None
    records = list({r["text"]: r for r in records}.values())  # the file repeats a few texts
    train_idx, val_idx = split_demos(len(records), 0.1, seed)
    val = [kamel_question_only(records[i]) or records[i] for i in sorted(val_idx)]
    asked = {r["text"] for r in val}
    train_records = [records[i] for i in sorted(train_idx)]
    short = [q for q in map(kamel_question_only, train_records) if q and q["text"] not in asked]
    return train_records + short, val


def record_tool(record: dict) -> str | None:
    """The tool a training record (KAMEL or FuncQA) demonstrates, its first call's; None if it marks
    no call (3 FuncQA records write theirs in the text only)."""
    if "api" in record:
        return record["api"]
    match = FUNCQA_CALL_RE.match(record["tar_eq"][0]) if record.get("tar_eq") else None
    return match.group(1) if match else None


def per_tool_sample(records: list, per_tool: int, seed: int) -> list:
    """A seeded sample of at most `per_tool` records of each tool, in their order; records that mark
    no call are left out."""
    by_tool: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        tool = record_tool(r)
        if tool is not None:
            by_tool.setdefault(tool, []).append(i)
    rng = random.Random(seed)
    keep = sorted(i for tool in sorted(by_tool) for i in rng.sample(by_tool[tool], min(per_tool, len(by_tool[tool]))))
    return [records[i] for i in keep]


def task_demos(
    task: Task, seed: int = 0, train_limit: int | None = None, per_tool: int | None = None
) -> tuple[list[Demo], list[Demo] | None]:
    """The training and validation demos of `task`'s heads (validation None: `train` holds out a
    seeded 10% itself). `train_limit` caps the training records (a seeded sample, for quick runs);
    `per_tool` caps each tool's (KAMEL and FuncQA, for low-data curves), and validation is then a
    seeded tenth as many records as train."""
    records, val_records = _split(task, _training_records(task, seed), seed)
    source = str(task.train_file)
    if per_tool is not None:
        records = per_tool_sample(records, per_tool, seed)
        train_limit = len(records)
    if val_records is not None:
        val_records = seeded_sample(val_records, None if train_limit is None else max(1, train_limit // 10), seed)
    records = seeded_sample(records, train_limit, seed)
    demos, _ = demos_from_records(records, task.toolset, source, skip_bad=True)
    val = demos_from_records(val_records, task.toolset, source, skip_bad=True)[0] if val_records else None
    if task.family == "kamel":
        demos += _kamel_doc_demos(task, records)
    return demos, val


def _kamel_doc_demos(task: Task, records: list) -> list[Demo]:
    """`doc_demos` of every KAMEL tool, on the first DOC_EXAMPLES distinct subjects of its training
    records: the relations with one or two synthetic sentences get questions in their doc's words."""
    pairs: dict[str, dict[str, str]] = {}
    for r in records:
        m = KAMEL_CALL_RE.match(r["call"][0])
        if m and len(pairs.setdefault(m["rel"], {})) < DOC_EXAMPLES:
            pairs[m["rel"]].setdefault(unquote_kamel(m["subj"]), unquote_kamel(m["obj"]))
    return [d for t in task.toolset.tools for d in doc_demos(t, pairs.get(t.name, {}).items(), task.toolset.prompt)]


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


def doc_demos(tool: Tool, examples: Iterable[tuple[str, str]], prompt: str = DEFAULT_PROMPT) -> list[Demo]:
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
