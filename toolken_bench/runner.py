"""Running the papers' benchmark: train (or reuse) a head per task family and method, answer the test
questions in batches, score them, and write per-question outputs with the call trace.

Methods: `toolken-random` (ToolkenGPT), `toolken-name`, `toolken-description` (TokenLearning priors),
each also with `-reg` (regularized); and the prompting baselines `cot` and `icl`
(`toolken_bench.baselines`). `run_all` runs a grid of them on one loaded backbone and writes a report.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial as partial_fn
from pathlib import Path

from toolken import atomic
from toolken.backbone import load_backbone
from toolken.config import Init, RegNorm, TrainingRecord
from toolken.demonstrations import Demo, add_demonstrations
from toolken.generation import Generation, GenerationConfig, generate
from toolken.head import HeadLoadError, ToolkenModel
from toolken.priors import INITS
from toolken.synthesis import synth_demos
from toolken.toolmode import REPEATED_CALL
from toolken.training import TrainingArguments, train

from . import baselines, bfcl, bfcl_methods, virtualhome
from .checkpoint import answer_in_chunks, partial_file
from .report import write_report
from .tasks import (
    GSM8K_TRAINING_NOTE,
    TASKS,
    Task,
    get_task,
    question_of,
    score,
    task_demos,
    task_records,
)

Chunked = Callable[[Callable[[slice], list[Generation]]], list[Generation]]  # `answer_in_chunks` bound to a run

SYNTH_PER_TOOL = 40  # `--train-data synth`: synthesized demonstrations per tool (a quarter as many validate)
FILE_SYNTH_PER_TOOL = 20  # `--train-data file+synth`: synthesized demonstrations per tool beside the file's
# TokenLearning's published recipe is one method: its name prior, its unsquared regularizer at 1e-2
TOKENLEARNING_METHOD = "toolken-tokenlearning"
TOKENLEARNING_REG = 1e-2
TOOLKEN_METHODS = (
    *(f"toolken-{i}{r}" for i in INITS if i != Init.TOKENLEARNING for r in ("", "-reg")),
    TOKENLEARNING_METHOD,
)
METHODS = (*TOOLKEN_METHODS, *baselines.BASELINES)
VH_MAX_NEW_TOKENS = 72  # toolken methods: an action, an object and a newline for up to 24 plan steps
HEAD_VERSION = 3  # bump when training changes what a head learns from the same demos (cached heads retrain)
REG_GRID = (1e-4, 1e-3, 1e-2)  # lambda of the -reg methods: the one with the lowest validation loss wins
# KAMEL's heads take smaller steps for longer: chosen on KAMEL's validation split, where the right
# toolken ranked first at .58 of the 234-tool calls with lr 1e-2 x 10 epochs and at .78 with lr 1e-3 x
# 30 (`benchmarks/recipe.py`); the other families keep TrainingArguments' defaults
# Every KAMEL tool counts alike in the loss (`balance_tools`): the synthetic file has 1 to 50 sentences
# per relation and the test questions ask about all of them
FAMILY_TRAINING = {"kamel": {"lr": 1e-3, "epochs": 30, "balance_tools": True}}


def parse_method(method: str) -> tuple[str, tuple[float, ...], RegNorm]:
    """`toolken-description-reg` -> ("description", REG_GRID, squared): the init, the lambdas to try
    and the regularizer's norm."""
    if method not in TOOLKEN_METHODS:
        raise KeyError(f"unknown toolken method {method!r}; methods: {', '.join(TOOLKEN_METHODS)}")
    if method == TOKENLEARNING_METHOD:
        return Init.TOKENLEARNING, (TOKENLEARNING_REG,), RegNorm.FROBENIUS
    init = method.removeprefix("toolken-").removesuffix("-reg")
    return init, REG_GRID if method.endswith("-reg") else (0.0,), RegNorm.SQUARED


def training_arguments(task: Task, seed: int = 0) -> TrainingArguments:
    """How the benchmark's heads of `task` train: its family's recipe, on exact float32 statistics
    (not "auto": a benchmark's heads must not depend on the CPU's bf16 support)."""
    return TrainingArguments(seed=seed, cache_dtype="float32", **FAMILY_TRAINING.get(task.family, {}))


@dataclass(frozen=True)
class BenchSettings:
    """How a benchmark run is set up, beside its task and method."""

    model: str | None = None  # backbone folder (default: SmolLM2-135M-Instruct)
    limit: int | None = None  # only the first N test records
    data: str | None = None  # another test file in the task's format
    runs: Path = Path("runs")  # where trained heads are cached
    batch_size: int = 8
    prior_source: str = "wordrows"
    train_limit: int | None = None  # train heads on a seeded sample of at most N records
    arguments: str = "copy"  # how toolken methods write tool arguments (GenerationConfig.arguments)
    train_data: str = "file"  # "file": the task's training file; "synth": `toolken synth` from the tools alone;
    # "file+synth": both
    dtype: str | None = None  # backbone weights (load_backbone)
    device: str | None = None  # where the backbone runs (load_backbone)
    train_per_tool: int | None = None  # train heads on a seeded sample of at most N records per tool
    prompt_format: str = "plain"  # toolken heads: the task's template (the papers'), or "chat": the model's own
    seed: int = 0  # bfcl: the seed of the synthesized data and of the head (others: seed 0)

    def same_run(self, saved: dict, toolken: bool) -> bool:
        """Whether a saved result's settings are these; `arguments` and `name_bias` count for toolken
        methods only (results saved before they were recorded wrote free text, with no name bias)."""
        keys = ("model", "limit", "data", "train_limit", "train_per_tool")
        mine = (self.model or "default", self.limit, self.data, self.train_limit, self.train_per_tool)
        same = tuple(saved.get(k) for k in keys) == mine
        same = same and saved.get("train_data", "file") == self.train_data
        same = same and saved.get("prompt_format", "plain") == self.prompt_format
        same = same and (not toolken or saved.get("arguments", "text") == self.arguments)
        return same and (not toolken or saved.get("name_bias", 0.0) == GenerationConfig.name_bias)


def head_plan(
    task: Task, method: str, cfg: BenchSettings, seed: int = 0
) -> tuple[Path, list[Demo], list[Demo] | None, TrainingArguments]:
    """Where the head of `task` x `method` lives (its folder name hashes everything it learns from and
    how), with its training demos, validation demos and training arguments."""
    family = task.name if task.family == "kamel" else task.family
    if cfg.train_data == "synth":
        demos = synth_demos(task.toolset.tools, SYNTH_PER_TOOL, seed, task.toolset.prompt)
        val = synth_demos(task.toolset.tools, max(3, SYNTH_PER_TOOL // 4), seed + 1, task.toolset.prompt, "validation")
    else:
        demos, val = task_demos(task, seed, cfg.train_limit, cfg.train_per_tool)
    if (
        cfg.train_data == "file+synth"
    ):  # as `toolken train --data FILE --synth N`: all of the file, synthesized validation
        tools, prompt = task.toolset.tools, task.toolset.prompt
        demos = demos + (val or []) + synth_demos(tools, FILE_SYNTH_PER_TOOL, seed, prompt)
        val = synth_demos(tools, max(3, FILE_SYNTH_PER_TOOL // 4), seed + 1, prompt, "validation")
    data = hashlib.sha256(repr([HEAD_VERSION, demos, val]).encode()).hexdigest()  # what the head learns from
    args = training_arguments(task, seed)
    if cfg.train_data != "file":
        args = replace(args, bias="eager")  # as `toolken train --synth` chooses it
    settings = [family, method, str(cfg.model), repr(args), repr(parse_method(method)[1:]), cfg.prior_source, data]
    if cfg.prompt_format != "plain":  # heads cached before the option keep their folders
        settings.append(cfg.prompt_format)
    key = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:10]
    return cfg.runs / "heads" / f"{family}-{method}-{key}", demos, val, args


def train_or_load(
    task: Task, method: str, cfg: BenchSettings, backbone, seed: int = 0
) -> tuple[ToolkenModel, Path, bool]:
    """Train the head of `task`'s family with `method`, or load it from `cfg.runs` if trained before.
    Returns the head, its folder and whether it was reused."""
    init, regs, norm = parse_method(method)
    folder, demos, val, args = head_plan(task, method, cfg, seed)
    functions = {t.name: t.function for t in task.toolset.tools if t.function is not None}
    try:  # the saved head holds tool specs only: bind the task's functions again
        return ToolkenModel.from_pretrained(folder, backbone=backbone, functions=functions), folder, True
    except HeadLoadError:
        pass  # not trained yet (or unusable): train it
    heads, val_losses = {}, {}
    for reg in regs:  # the positions are cached after the first lambda: each further one is a cheap fit
        heads[reg] = ToolkenModel.create(
            task.toolset, cfg.model, init, cfg.prior_source, seed, backbone=backbone, prompt_format=cfg.prompt_format
        )
        add_demonstrations(heads[reg].tools, demos)
        history = train(heads[reg], demos, replace(args, reg=reg, reg_norm=norm), val_demos=val)
        val_losses[reg] = history["best_val_loss"]
    head = heads[min(regs, key=val_losses.get)]
    if len(regs) > 1:  # record the choice with the head
        head.training.reg_choice = {"grid": list(regs), "val_loss": list(val_losses.values())}
    head.save_pretrained(folder)
    return head, folder, False


# ---------------------------------------------------------------- runs


def _toolken_answers(
    task: Task, method: str, cfg: BenchSettings, backbone, records: list, questions: list[str], chunked: Chunked
) -> tuple[list[Generation], dict, dict, dict]:
    """Train (or load) the head of `task` x `method` and answer `questions` with it. Returns the
    answers, the settings to report (with `seconds_to_head`), the head's folder and its validation."""
    start = time.perf_counter()
    plans = task.family == "virtualhome"
    settings: dict = {}
    head, folder, reused = train_or_load(task, method, cfg, backbone)
    seconds = time.perf_counter() - start
    record = head.training or TrainingRecord()  # a head saved without a training record: nothing measured
    max_new = VH_MAX_NEW_TOKENS if plans else baselines.MAX_NEW_TOKENS[task.toolset.answer]
    allowed = _plan_grammar(head, records, questions) if plans else None
    generation = GenerationConfig(
        max_new_tokens=max_new, batch_size=cfg.batch_size, allowed_tools=allowed, arguments=cfg.arguments
    )
    gens = chunked(lambda part: generate(head, questions[part], generation))
    settings.update(
        bias=head.config.bias,
        reg=head.config.reg,
        reg_chosen_on_validation=record.reg_choice,
        init=head.config.init,
        prior_source=head.config.prior_source,
        training=record.arguments,
        arguments=cfg.arguments,
        name_bias=generation.name_bias,
    )
    if task.family == "gsm8k-xl":
        settings["training_data"] = GSM8K_TRAINING_NOTE
    if plans:
        settings["allowed_tools"] = VH_GRAMMAR_NOTE
        settings["max_new_tokens"] = max_new
    head_info = {"folder": str(folder), "reused": reused}
    validation = {k: v for k, v in record.to_dict().items() if k != "arguments"}
    settings["seconds_to_head"] = seconds
    return gens, settings, head_info, validation


def run(
    task_name: str, method: str, settings: BenchSettings | None = None, backbone=None, partial: Path | None = None
) -> dict:
    """Run one task x method; return the result object (also holds per-question outputs). With
    `partial`, answers are saved there as they come and a killed run with the same settings resumes
    from them (`checkpoint.answer_in_chunks`)."""
    task = get_task(task_name)
    if method not in METHODS:
        raise KeyError(f"unknown method {method!r}; methods: {', '.join(METHODS)}")
    cfg = settings or BenchSettings()
    backbone = backbone or load_backbone(cfg.model, cfg.dtype, cfg.device)
    start = time.perf_counter()
    records = task_records(task, cfg.data, cfg.limit)
    questions = [question_of(task, r) for r in records]
    plans = task.family == "virtualhome"
    settings: dict = {
        "model": cfg.model or "default",
        "limit": cfg.limit,
        "data": cfg.data,
        "train_limit": cfg.train_limit,
        "train_per_tool": cfg.train_per_tool,
        "train_data": cfg.train_data,
        "prompt_format": cfg.prompt_format,
    }
    key = json.dumps([HEAD_VERSION, task_name, method, {k: str(v) for k, v in asdict(cfg).items()}])
    chunked = partial_fn(answer_in_chunks, n=len(questions), path=partial, key=key)
    if method in baselines.BASELINES:
        trained = start
        gens, more = baselines.answer(method, task.toolset, questions, backbone, cfg.batch_size, chunked)
        settings.update(more)
        head_info, validation = None, {}
    else:
        gens, more, head_info, validation = _toolken_answers(task, method, cfg, backbone, records, questions, chunked)
        settings.update(more)
        trained = start + more.pop("seconds_to_head")

    def judged(r: dict, g: Generation) -> dict:  # a plan's several measures, or one verdict
        return virtualhome.score(r, g.text) if plans else {"correct": score(task, r, g)}

    outputs = [{"question": q, **g.to_dict(), **judged(r, g)} for q, r, g in zip(questions, records, gens)]
    if plans:
        metrics = virtualhome.metrics(outputs)
    else:
        metrics = {"accuracy": sum(o["correct"] for o in outputs) / max(1, len(outputs))}
    n = len(outputs)
    metrics["tool_call_rate"] = sum(bool(o["calls"]) for o in outputs) / max(1, n)
    metrics["argument_errors"] = sum(is_argument_error(c) for o in outputs for c in o["calls"])
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


def read_outputs(result: Path) -> list[dict] | None:
    """The per-question outputs of a result file: its JSON lines, or else their gzipped copy
    (`X.outputs.jsonl.gz`, as the committed results keep them); None if there are neither."""
    plain = outputs_file(result)
    packed = plain.with_name(plain.name + ".gz")
    if plain.is_file():
        text = plain.read_text(encoding="utf-8")
    elif packed.is_file():
        text = gzip.decompress(packed.read_bytes()).decode("utf-8")
    else:
        return None
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def save_result(result: dict, out: Path) -> None:
    """Write the summary JSON to `out` and per-question JSON lines beside it (atomically)."""
    atomic.write_json(out, {k: v for k, v in result.items() if k != "outputs"})
    lines = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in result["outputs"])
    atomic.write_text(outputs_file(out), lines)


def is_argument_error(call: dict) -> bool:
    """A call whose arguments could not be parsed or did not fit the tool's schema (it never ran; a
    call refused as a repeat of an earlier one is not an argument error)."""
    return call["error"] is not None and call["arguments"] is None and call["error"] != REPEATED_CALL


def _finished(out: Path, settings: BenchSettings) -> dict | None:
    """The summary saved at `out` if it is a finished run with these settings (and, for a toolken
    method, the head the task would train now: same data, recipe and init), else None."""
    try:
        saved = json.loads(out.read_text())
        if saved["task"].startswith("bfcl-"):  # heads trained on synth only, cached by what they learn from
            keys = ("model", "limit", "data")
            return (
                saved
                if [saved["settings"][k] for k in keys] == [settings.model or "default", settings.limit, settings.data]
                else None
            )
        if saved["method"] in TOOLKEN_METHODS:
            task = get_task(saved["task"])
            if Path(saved["head"]["folder"]).name != head_plan(task, saved["method"], settings)[0].name:
                return None  # trained from other data or another way: run again
        return saved if settings.same_run(saved["settings"], saved["method"] in TOOLKEN_METHODS) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_all(
    tasks: Sequence[str] = TASKS,
    methods: Sequence[str] | None = None,
    out_dir: Path = Path("bench"),
    settings: BenchSettings | None = None,
) -> list[dict]:
    """Run every task x method on one loaded backbone (every pair is meaningful: the baselines need
    no training and every task has a toolken head), writing `out_dir/<task>__<method>.json` with its
    per-question JSON lines after each run, then the report (`write_report`). Heads are cached in `runs`;
    a pair whose result file already holds a run with the same settings is read back, not rerun, so a
    killed `bench all` resumes where it stopped. BFCL tasks (`bfcl-<category>`, opt-in) run the BFCL
    methods among `methods` (all that the backbone allows if `methods` is None)."""
    for name in tasks:
        if name.startswith("bfcl-"):  # fail on a typo before hours of work
            bfcl.check_category(name[5:])
        else:
            get_task(name)
    unknown = [m for m in methods or () if m not in (*METHODS, *bfcl_methods.METHODS)]
    if unknown:
        raise KeyError(f"unknown method(s) {', '.join(unknown)}; methods: {', '.join(METHODS)}")
    settings = settings or BenchSettings()
    backbone = load_backbone(settings.model, settings.dtype, settings.device)
    results = []
    for task in tasks:
        is_bfcl = task.startswith("bfcl-")
        for method in bfcl_methods.methods_for(methods, backbone[1]) if is_bfcl else methods or METHODS:
            out = result_file(out_dir, task, method)
            done = _finished(out, settings)
            if done:
                results.append(done)
                continue
            if is_bfcl:
                result = bfcl_methods.run(task[5:], method, settings, backbone, partial=partial_file(out))
            else:
                result = run(task, method, settings, backbone, partial_file(out))
            save_result(result, out)
            partial_file(out).unlink(missing_ok=True)
            results.append(result)
    write_report(results, out_dir)
    return results
