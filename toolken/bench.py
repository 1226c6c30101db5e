"""Benchmarks of the papers' tasks: train (or reuse) a head per task family and method, answer the
test questions in batches, score them, and write per-question outputs with the call trace.

Tasks: `funcqa-oh`, `funcqa-mh` (FuncQA one-/multi-hop), `gsm8k-xl`, `kamel-N` (N = 30, 60, 100,
234 tools), `virtualhome` (the 47 validation plans of the ToolkenGPT VirtualHome file; 20 of them have a
TrimmedTestScene1 scene graph, where executability and goal success are measured) and
`virtualhome-scene` (a seeded held-out set of 50 TrimmedTestScene1 programs, all with scene graphs);
both VirtualHome tasks share one head trained on the file's first 200 plans, validated on a seeded
10% of them (`toolken.virtualhome`
defines their metrics). Methods: `toolken-random` (ToolkenGPT), `toolken-name`, `toolken-description`
(TokenLearning priors), each also with `-reg` (regularized); and the prompting baselines `cot` and
`icl` (`toolken.baselines`). `run_all` runs a grid of them on one loaded backbone and writes a report.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import atomic, baselines, virtualhome
from .backbone import load_backbone
from .data import Demo, add_demonstrations, demos_from_records, doc_demos, kamel_question_only, read_records
from .generation import Generation, GenerationConfig, generate
from .head import HeadLoadError, ToolkenModel
from .toolsets import FUNCQA_CALL_RE, KAMEL_CALL_RE, TOOLKENGPT_DIR, Toolset, _unquote_kamel, get_toolset
from .training import TrainingArguments, split_demos, train

KAMEL_SIZES = (30, 60, 100, 234)
VH_TASKS = ("virtualhome", "virtualhome-scene")
TASKS = ("funcqa-oh", "funcqa-mh", "gsm8k-xl", *(f"kamel-{n}" for n in KAMEL_SIZES), *VH_TASKS)
INITS = ("random", "name", "description")
TOOLKEN_METHODS = tuple(f"toolken-{i}{r}" for i in INITS for r in ("", "-reg"))
METHODS = (*TOOLKEN_METHODS, *baselines.BASELINES)
VH_MAX_NEW_TOKENS = 72  # toolken methods: an action, an object and a newline for up to 24 plan steps
HEAD_VERSION = 2  # bump when training changes what a head learns from the same demos (cached heads retrain)
REG_GRID = (1e-4, 1e-3, 1e-2)  # lambda of the -reg methods: the one with the lowest validation loss wins
# KAMEL's heads take smaller steps for longer: chosen on KAMEL's validation split, where the right
# toolken ranked first at .58 of the 234-tool calls with lr 1e-2 x 10 epochs and at .78 with lr 1e-3 x
# 30 (`benchmarks/recipe.py`); the other families keep TrainingArguments' defaults
# Every KAMEL tool counts alike in the loss (`balance_tools`): the synthetic file has 1 to 50 sentences
# per relation and the test questions ask about all of them
FAMILY_TRAINING = {"kamel": {"lr": 1e-3, "epochs": 30, "balance_tools": True}}
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


def parse_method(method: str) -> tuple[str, tuple[float, ...]]:
    """`toolken-description-reg` -> ("description", REG_GRID): the init and the lambdas to try."""
    if method not in TOOLKEN_METHODS:
        raise KeyError(f"unknown toolken method {method!r}; methods: {', '.join(TOOLKEN_METHODS)}")
    parts = method.split("-")
    return parts[1], REG_GRID if parts[-1] == "reg" else (0.0,)


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


def _cap(records: list, limit: int | None, seed: int) -> list:
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


def task_demos(task: Task, seed: int = 0, train_limit: int | None = None) -> tuple[list[Demo], list[Demo] | None]:
    """The training and validation demos of `task`'s heads (validation None: `train` holds out a
    seeded 10% itself). `train_limit` caps the training records (a seeded sample, for quick runs)."""
    records, val_records = _split(task, _training_records(task, seed), seed)
    prompt, direct, source = task.toolset.prompt, task.toolset.direct, str(task.train_file)
    names = [t.name for t in task.toolset.tools]
    if val_records is not None:
        val_records = _cap(val_records, None if train_limit is None else max(1, train_limit // 10), seed)
    records = _cap(records, train_limit, seed)
    demos, _ = demos_from_records(records, names, prompt, source, True, direct)
    val = demos_from_records(val_records, names, prompt, source, True, direct)[0] if val_records else None
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
            pairs[m["rel"]].setdefault(_unquote_kamel(m["subj"]), _unquote_kamel(m["obj"]))
    return [d for t in task.toolset.tools for d in doc_demos(t, pairs.get(t.name, {}).items(), task.toolset.prompt)]


def training_arguments(task: Task, seed: int = 0) -> TrainingArguments:
    """How the benchmark's heads of `task` train: its family's recipe, on exact float32 statistics
    (not "auto": a benchmark's heads must not depend on the CPU's bf16 support)."""
    return TrainingArguments(seed=seed, cache_dtype="float32", **FAMILY_TRAINING.get(task.family, {}))


def head_plan(
    task: Task,
    method: str,
    model: str | None,
    runs: Path,
    seed: int = 0,
    prior_source: str = "wordrows",
    train_limit: int | None = None,
) -> tuple[Path, list[Demo], list[Demo] | None, TrainingArguments]:
    """Where the head of `task` x `method` lives (its folder name hashes everything it learns from and
    how), with its training demos, validation demos and training arguments."""
    family = task.name if task.family == "kamel" else task.family
    demos, val = task_demos(task, seed, train_limit)
    data = hashlib.sha256(repr([HEAD_VERSION, demos, val]).encode()).hexdigest()  # what the head learns from
    args = training_arguments(task, seed)
    settings = [family, method, str(model), repr(args), repr(parse_method(method)[1]), prior_source, data]
    key = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:10]
    return runs / "heads" / f"{family}-{method}-{key}", demos, val, args


def train_or_load(
    task: Task,
    method: str,
    model: str | None,
    backbone,
    runs: Path,
    seed: int = 0,
    prior_source: str = "wordrows",
    train_limit: int | None = None,
) -> tuple[ToolkenModel, Path, bool]:
    """Train the head of `task`'s family with `method`, or load it from `runs` if trained before.
    `train_limit` caps the training records (a seeded sample, for quick runs). Returns the head, its
    folder and whether it was reused."""
    init, regs = parse_method(method)
    folder, demos, val, args = head_plan(task, method, model, runs, seed, prior_source, train_limit)
    functions = {t.name: t.function for t in task.toolset.tools if t.function is not None}
    try:  # the saved head holds tool specs only: bind the task's functions again
        return ToolkenModel.from_pretrained(folder, backbone=backbone, functions=functions), folder, True
    except HeadLoadError:
        pass  # not trained yet (or unusable): train it
    heads, val_losses = {}, {}
    for reg in regs:  # the positions are cached after the first lambda: each further one is a cheap fit
        heads[reg] = ToolkenModel.create(task.toolset, model, init, prior_source, seed, backbone=backbone)
        add_demonstrations(heads[reg].tools, demos)
        history = train(heads[reg], demos, replace(args, reg=reg), val_demos=val)
        val_losses[reg] = history["best_val_loss"]
    head = heads[min(regs, key=val_losses.get)]
    if len(regs) > 1:  # record the choice with the head
        head.config.training["reg_chosen_on_validation"] = {"grid": list(regs), "val_loss": list(val_losses.values())}
    head.save_pretrained(folder)
    return head, folder, False


# ---------------------------------------------------------------- runs


def run(
    task_name: str,
    method: str,
    model: str | None = None,
    limit: int | None = None,
    data: str | None = None,
    runs: Path = Path("runs"),
    batch_size: int = 8,
    backbone=None,
    prior_source: str = "wordrows",
    train_limit: int | None = None,
) -> dict:
    """Run one task x method; return the result object (also holds per-question outputs)."""
    task = get_task(task_name)
    if method not in METHODS:
        raise KeyError(f"unknown method {method!r}; methods: {', '.join(METHODS)}")
    backbone = backbone or load_backbone(model)
    start = time.perf_counter()
    records = task_records(task, data, limit)
    questions = [question_of(task, r) for r in records]
    plans = task.family == "virtualhome"
    settings: dict = {"model": model or "default", "limit": limit, "data": data, "train_limit": train_limit}
    if method in baselines.BASELINES:
        trained = start
        gens, more = baselines.answer(method, task.toolset, questions, backbone, batch_size)
        settings.update(more)
        head_info, validation = None, {}
    else:
        head, folder, reused = train_or_load(
            task, method, model, backbone, runs, prior_source=prior_source, train_limit=train_limit
        )
        trained = time.perf_counter()
        max_new = VH_MAX_NEW_TOKENS if plans else baselines.MAX_NEW_TOKENS[task.toolset.answer]
        allowed = _plan_grammar(head, records, questions) if plans else None
        gens = generate(
            head, questions, GenerationConfig(max_new_tokens=max_new, batch_size=batch_size, allowed_tools=allowed)
        )
        settings.update(
            bias=head.config.bias,
            reg=head.config.reg,
            reg_chosen_on_validation=head.config.training.get("reg_chosen_on_validation"),
            init=head.config.init,
            prior_source=head.config.prior_source,
            training=head.config.training.get("arguments", {}),
        )
        if task.family == "gsm8k-xl":
            settings["training_data"] = GSM8K_TRAINING_NOTE
        if plans:
            settings["allowed_tools"] = VH_GRAMMAR_NOTE
            settings["max_new_tokens"] = max_new
        head_info = {"folder": str(folder), "reused": reused}
        validation = {k: v for k, v in head.config.training.items() if k != "arguments"}

    def judged(r: dict, g: Generation) -> dict:  # a plan's several measures, or one verdict
        return virtualhome.score(r, g.text) if plans else {"correct": score(task, r, g)}

    outputs = [{"question": q, **g.to_dict(), **judged(r, g)} for q, r, g in zip(questions, records, gens)]
    if plans:
        metrics = virtualhome.metrics(outputs)
    else:
        metrics = {"accuracy": sum(o["correct"] for o in outputs) / max(1, len(outputs))}
    n = len(outputs)
    metrics["tool_call_rate"] = sum(bool(o["calls"]) for o in outputs) / max(1, n)
    return {
        "task": task_name,
        "method": method,
        "n": n,
        "metrics": metrics,
        "settings": settings,
        "head": head_info,
        "validation": validation,
        "seconds": {"train_or_load": trained - start, "evaluate": time.perf_counter() - trained},
        "outputs": outputs,
    }


VH_GRAMMAR_NOTE = (
    "plan grammar: each step opens with an action toolken (or END), an object toolken follows it; "
    "objects limited to those in the scene graph where one is known"
)


def _plan_grammar(head: ToolkenModel, records: list[dict], questions: list[str]):
    """`allowed_tools` of the toolken methods on VirtualHome (`virtualhome.step_grammar`), with the
    objects of each record's scene graph where it has one."""
    scenes = {q: virtualhome.scene_objects(r["program"]) for q, r in zip(questions, records) if r.get("program")}
    return virtualhome.step_grammar(head.tool_names, scenes)


def result_file(out_dir: Path, task: str, method: str) -> Path:
    """Where `bench all` writes the result of `task` x `method`."""
    return out_dir / f"{task}__{method}.json"


def outputs_file(result: Path) -> Path:
    """The per-question JSON lines beside a result file."""
    return result.with_suffix(".outputs.jsonl")


def save_result(result: dict, out: Path) -> None:
    """Write the summary JSON to `out` and per-question JSON lines beside it (atomically)."""
    atomic.write_json(out, {k: v for k, v in result.items() if k != "outputs"})
    lines = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in result["outputs"])
    atomic.write_text(outputs_file(out), lines)


def markdown_table(results: Sequence[dict], cell: Callable[[dict], str] | None = None) -> str:
    """Task x method table of `cell(result)` (default: the headline accuracy)."""
    cell = cell or (lambda r: f"{r['metrics']['accuracy']:.3f}")
    tasks = list(dict.fromkeys(r["task"] for r in results))
    methods = list(dict.fromkeys(r["method"] for r in results))
    found = {(r["task"], r["method"]): cell(r) for r in results}
    lines = ["| task | " + " | ".join(methods) + " |", "| --- |" + " --- |" * len(methods)]
    for t in tasks:
        lines.append(f"| {t} | " + " | ".join(found.get((t, m), "") for m in methods) + " |")
    return "\n".join(lines)


ORDERING = ("toolken-description-reg", "toolken-random", "icl", "cot")  # TokenLearning > ToolkenGPT > ICL > CoT


def ordering_table(results: Sequence[dict]) -> str:
    """Per task: the accuracy of TokenLearning (description prior, regularized), ToolkenGPT (random
    init), ICL and CoT, and whether the papers' ordering holds: yes (each above the next), tied (none
    below the next, some equal) or no."""
    acc = {(r["task"], r["method"]): r["metrics"]["accuracy"] for r in results}
    lines = ["| task | " + " | ".join(ORDERING) + " | ordering holds |", "| --- |" + " --- |" * (len(ORDERING) + 1)]
    for t in dict.fromkeys(r["task"] for r in results):
        if all((t, m) in acc for m in ORDERING):
            values = [acc[(t, m)] for m in ORDERING]
            pairs = list(zip(values, values[1:]))
            holds = "no" if any(a < b for a, b in pairs) else "tied" if any(a == b for a, b in pairs) else "yes"
            lines.append(f"| {t} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {holds} |")
    return "\n".join(lines)


def _chosen(r: dict) -> str:  # the bias and lambda a toolken head took from validation
    s = r["settings"]
    return f"{s['bias']:g} / {s['reg']:g}" if "bias" in s else ""


def _plan_cells(r: dict) -> str:
    m = r["metrics"]
    cells = [f"{m['exact_match']:.2f}", f"{m['lcs']:.2f}"]
    cells += [f"{m[k]:.2f}" if m.get(k) is not None else "-" for k in ("executability", "success")]
    return " / ".join(cells)


def write_report(results: Sequence[dict], out_dir: Path) -> None:
    """Write `results.json`, `report.md` (accuracy, the papers' ordering, VirtualHome's measures, the
    bias and lambda chosen on validation, wall-clock per task) and, if KAMEL tasks ran,
    `kamel_tools.png` to `out_dir`."""
    summaries = [{k: v for k, v in r.items() if k != "outputs"} for r in results]
    atomic.write_json(out_dir / "results.json", summaries)
    seconds: dict[str, float] = {}
    for r in results:
        seconds[r["task"]] = seconds.get(r["task"], 0.0) + sum(r["seconds"].values())
    n = {r["task"]: r["n"] for r in results}
    clock = ["| task | questions | seconds (all methods) |", "| --- | --- | --- |"]
    clock += [f"| {t} | {n[t]} | {s:.1f} |" for t, s in seconds.items()]
    clock.append(f"| all | | {sum(seconds.values()):.1f} |")
    report = ["# Benchmark", "", "Accuracy (the task's headline metric):", "", markdown_table(results), ""]
    report += ["The papers' ordering, TokenLearning > ToolkenGPT > ICL > CoT:", "", ordering_table(results), ""]
    plans = [r for r in results if r["task"] in VH_TASKS]
    if plans:
        report += ["VirtualHome, exact / LCS / executable / success:", "", markdown_table(plans, _plan_cells), ""]
    toolken = [r for r in results if r["method"] in TOOLKEN_METHODS]
    if toolken:
        report += ["Chosen on validation, logit bias / lambda:", "", markdown_table(toolken, _chosen), ""]
    report += ["Wall-clock:", "", *clock, ""]
    atomic.write_text(out_dir / "report.md", "\n".join(report))
    if any(r["task"].startswith("kamel-") for r in results):
        plot_kamel(results, out_dir / "kamel_tools.png")


def plot_kamel(results: Sequence[dict], out: Path) -> None:
    """Plot KAMEL accuracy against the number of tools, one line per method, to `out` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for method in dict.fromkeys(r["method"] for r in results):
        points = sorted(
            (int(r["task"][6:]), r["metrics"]["accuracy"])
            for r in results
            if r["method"] == method and r["task"].startswith("kamel-")
        )
        if points:
            ax.plot(*zip(*points), marker="o", label=method)
    ax.set(xlabel="number of tools", ylabel="accuracy", title="KAMEL", ylim=(-0.02, 1.02), xticks=KAMEL_SIZES)
    ax.legend(fontsize="small")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def _finished(
    out: Path, model: str | None, limit: int | None, train_limit: int | None, runs: Path, prior_source: str
) -> dict | None:
    """The summary saved at `out` if it is a finished run with these settings (and, for a toolken
    method, the head the task would train now: same data, recipe and init), else None."""
    try:
        saved = json.loads(out.read_text())
        settings = saved["settings"]
        if saved["method"] in TOOLKEN_METHODS:
            task = get_task(saved["task"])
            folder = head_plan(task, saved["method"], model, runs, 0, prior_source, train_limit)[0]
            if Path(saved["head"]["folder"]).name != folder.name:
                return None  # trained from other data or another way: run again
    except (OSError, ValueError, KeyError, TypeError):
        return None
    same = (settings.get("model"), settings.get("limit"), settings.get("data"), settings.get("train_limit"))
    return saved if same == (model or "default", limit, None, train_limit) else None


def run_all(
    tasks: Sequence[str] = TASKS,
    methods: Sequence[str] = METHODS,
    out_dir: Path = Path("bench"),
    model: str | None = None,
    limit: int | None = None,
    runs: Path = Path("runs"),
    prior_source: str = "wordrows",
    train_limit: int | None = None,
) -> list[dict]:
    """Run every task x method on one loaded backbone (every pair is meaningful: the baselines need
    no training and every task has a toolken head), writing `out_dir/<task>__<method>.json` with its
    per-question JSON lines after each run, then the report (`write_report`). Heads are cached in `runs`;
    a pair whose result file already holds a run with the same settings is read back, not rerun, so a
    killed `bench all` resumes where it stopped."""
    for name in tasks:
        get_task(name)  # fail on a typo before hours of work
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise KeyError(f"unknown method(s) {', '.join(unknown)}; methods: {', '.join(METHODS)}")
    backbone = load_backbone(model)
    results = []
    for task in tasks:
        for method in methods:
            out = result_file(out_dir, task, method)
            done = _finished(out, model, limit, train_limit, runs, prior_source)
            if done:
                results.append(done)
                continue
            result = run(
                task,
                method,
                model,
                limit,
                runs=runs,
                backbone=backbone,
                prior_source=prior_source,
                train_limit=train_limit,
            )
            save_result(result, out)
            results.append(result)
    write_report(results, out_dir)
    return results
