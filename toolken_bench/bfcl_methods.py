"""The methods of the BFCL benchmark, all on one frozen backbone:

- `toolken` (description prior; `toolken-random`, `toolken-name` with the other inits): one toolken
  per distinct function of the evaluated questions, trained only on `toolken synth` output from the
  function docs (`toolken synth --multi-calls`: also questions asking for two or three calls, for
  parallel calls); bias (eagerly, as `toolken train --synth`) and epoch chosen on synthesized
  validation data. A question may fire only the toolkens of the functions it offers; no
  toolken winning is no call; arguments are written under the function's JSON schema; a turn may hold
  several calls. BFCL functions have no implementation: each gets a stand-in returning `STAND_IN`
  (BFCL scores the calls, not their results).
- `prompt`: the offered functions' JSON schemas in the system prompt of the chat template; the model
  writes its calls as a JSON list, which is parsed (BFCL's "prompt" mode).
- `native`: the chat template's own tool format (`apply_chat_template(tools=...)`), for backbones
  whose template renders tools; its `<tool_call>` JSON is parsed the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial as partial_fn
from pathlib import Path

from toolken.config import DEFAULT_PROMPT, Init
from toolken.demonstrations import Demo, add_demonstrations, demos_from_records
from toolken.generation import Generation, GenerationConfig, generate
from toolken.head import HeadLoadError, ToolkenModel
from toolken.synthesis import synth
from toolken.tools import Tool
from toolken.toolsets import Toolset
from toolken.training import TrainingArguments, train

from .bfcl import (
    ABSTAIN,
    BFCL_VERSION,
    RELEVANCE,
    Question,
    as_declared,
    category_files,
    checker_category,
    json_schema,
    load_questions,
    score,
)
from .checkpoint import answer_in_chunks

TOOLKEN_METHODS = {"toolken": Init.DESCRIPTION, "toolken-description": Init.DESCRIPTION}
TOOLKEN_METHODS |= {"toolken-random": Init.RANDOM, "toolken-name": Init.NAME}
METHODS = (*TOOLKEN_METHODS, "prompt", "native")
STAND_IN = "ok"  # every BFCL function's result: neutral and the same for all, as the calls alone are scored
PER_TOOL = 12  # synthesized one-call questions per function (a quarter as many validate)
MULTI_SHARE = 0.5  # questions asking for two or three calls per function, as a share of PER_TOOL
BIAS = "eager"  # the logit bias `toolken train --synth` chooses on synthesized validation
TOOLKEN_MAX_NEW = 24  # tokens after the prompt: a few calls, each " ok", then the line ends
TEXT_MAX_NEW = 96  # the prompt baselines write JSON calls (a simple call takes about 40 tokens)
HEAD_VERSION = 4  # bump when the recipe changes what a head learns
PROMPT_SYSTEM = (
    "You are an expert in composing functions. You are given a question and a set of possible functions. "
    "Based on the question, make one or more function calls to achieve the purpose. If none of the functions "
    "can be used, answer []. Answer with only a JSON list of calls, each "
    '{{"name": "function name", "arguments": {{"parameter": value}}}}, and nothing else.\n\n'
    "Here is a list of functions in JSON format that you can invoke:\n{functions}"
)


def _stand_in(**_: object) -> str:
    return STAND_IN


def openai_spec(function: dict) -> dict:
    """A BFCL function as an OpenAI `tools` entry (its schema through `bfcl.json_schema`)."""
    params = json_schema(function.get("parameters") or {"type": "dict", "properties": {}})
    body = {"name": function["name"], "description": function.get("description", ""), "parameters": params}
    return {"type": "function", "function": body}


# ---------------------------------------------------------------- toolkens


@dataclass
class BfclTools:
    """The distinct functions of some questions as tools: toolken names (BFCL names made valid and
    unique: the same name with another schema is another function), what each stands for, and the
    toolkens each question may fire."""

    tools: list[Tool]
    original: dict[str, str]  # toolken name -> BFCL function name
    allowed: list[list[str]]  # per question
    parameters: dict[str, dict] = field(default_factory=dict)  # toolken name -> BFCL's parameter schema


def bfcl_tools(questions: Sequence[Question]) -> BfclTools:
    """One tool per distinct function spec of `questions`, bound to the stand-in."""
    by_spec: dict[str, str] = {}
    tools, original, allowed, parameters = [], {}, [], {}
    for q in questions:
        names = []
        for f in q.functions:
            key = json.dumps(f, sort_keys=True)
            if key not in by_spec:
                base = re.sub(r"[^A-Za-z0-9_.\-]", "_", f["name"])
                base = base if re.match(r"[A-Za-z_]", base) else f"f_{base}"
                name, k = base, 1
                while name in original:
                    k += 1
                    name = f"{base}-{k}"
                spec = openai_spec(f)["function"]
                tools.append(Tool(name, spec["description"], spec["parameters"], _stand_in, isolation="thread"))
                by_spec[key], original[name], parameters[name] = name, f["name"], f.get("parameters") or {}
            names.append(by_spec[key])
        allowed.append(names)
    return BfclTools(tools, original, allowed, parameters)


def synth_data(tools: Sequence[Tool], seed: int, split: str, per_tool: int) -> list[Demo]:
    """`toolken synth --multi-calls MULTI_SHARE` demos of `tools` (with the shipped no-tool questions)."""
    records = synth(tools, per_tool, seed, DEFAULT_PROMPT, split=split, multi_calls=MULTI_SHARE)
    toolset = Toolset("bfcl", list(tools))
    # a drawn value the library's argument parsing reads otherwise (an enum of numbers written as
    # strings, "4" read as 4) makes a record that teaches nothing true: it is left out
    return demos_from_records(records, toolset, f"synthesized ({split})", skip_bad=True)[0]


def train_head(bt: BfclTools, method: str, runs: Path, model: str | None, backbone, seed: int = 0):
    """The head of `bt`'s functions with `method`'s init, trained on synthesized data only (or loaded
    from `runs` if trained before). Returns the head, its folder and whether it was reused."""
    specs = [t.to_dict() for t in bt.tools]
    key = json.dumps([HEAD_VERSION, method, str(model), PER_TOOL, MULTI_SHARE, BIAS, seed, specs], sort_keys=True)
    folder = runs / "heads" / f"bfcl-{method}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    functions = {t.name: _stand_in for t in bt.tools}
    try:
        return ToolkenModel.from_pretrained(folder, backbone=backbone, functions=functions), folder, True
    except HeadLoadError:
        pass
    demos = synth_data(bt.tools, seed, "train", PER_TOOL)
    val = synth_data(bt.tools, seed + 1, "validation", max(2, PER_TOOL // 4))
    toolset = Toolset("bfcl", list(bt.tools))
    head = ToolkenModel.create(toolset, model, TOOLKEN_METHODS[method], seed=seed, backbone=backbone)
    add_demonstrations(head.tools, demos)
    args = TrainingArguments(seed=seed, cache_dtype="float32", bias=BIAS)
    train(head, demos, args, val_demos=val, progress=False)
    head.save_pretrained(folder)
    return head, folder, False


def _unique_passes(prompts: Sequence[str]) -> list[list[int]]:
    """Question indices in passes with no prompt twice in a pass (the allowed toolkens are looked up
    by the prompt)."""
    passes: list[list[int]] = []
    seen: list[set[str]] = []
    for i, p in enumerate(prompts):
        k = next((k for k, s in enumerate(seen) if p not in s), len(passes))
        if k == len(passes):
            passes.append([])
            seen.append(set())
        passes[k].append(i)
        seen[k].add(p)
    return passes


def toolken_answers(
    head: ToolkenModel, bt: BfclTools, questions: Sequence[Question], cfg: GenerationConfig, part: slice = slice(None)
) -> list[Generation]:
    """Answer the questions in `part` of `questions` with the head, each allowed only its offered
    functions' toolkens."""
    tok = head.tokenizer
    chosen = list(range(len(questions)))[part]
    prompts = [head.config.prompt.format(question=questions[i].text) for i in chosen]
    decoded = [tok.decode(tok(p).input_ids, skip_special_tokens=True) for p in prompts]
    gens: list[Generation | None] = [None] * len(chosen)
    for indices in _unique_passes(decoded):
        allowed = {decoded[j]: bt.allowed[chosen[j]] for j in indices}

        def allowed_here(text: str, allowed: dict = allowed) -> list[str]:
            return next((names for p, names in allowed.items() if text.startswith(p)), [])

        out = generate(head, [questions[chosen[j]].text for j in indices], replace(cfg, allowed_tools=allowed_here))
        for j, g in zip(indices, out):
            gens[j] = g
    return gens


def toolken_calls(gen: Generation, bt: BfclTools) -> list[dict]:
    """A generation's calls that ran, as BFCL's `[{name: {parameter: value}}]`, each value in the type
    its function declares (`bfcl.as_declared`: 12 as 12.0 for a float, as toolken passes a Python
    tool's arguments)."""
    return [
        {bt.original[c.tool]: as_declared(c.arguments, {"type": "dict", **bt.parameters.get(c.tool, {})})}
        for c in gen.calls
        if c.error is None and c.arguments is not None
    ]


# ---------------------------------------------------------------- prompt and native


def chat_prompt(tokenizer, messages: list[dict], tools: list[dict] | None) -> str:
    """`messages` through the backbone's chat template (with `tools` for the native format); a
    backbone without a template gets plain `role: content` lines."""
    if getattr(tokenizer, "chat_template", None):
        kwargs = {"tools": tools} if tools is not None else {}
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, **kwargs)
    return "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant:"


def template_takes_tools(tokenizer) -> bool:
    """Whether the chat template renders a `tools=` list (else it has no native tool format)."""
    if not getattr(tokenizer, "chat_template", None):
        return False
    messages = [{"role": "user", "content": "hi"}]
    probe = [openai_spec({"name": "probe_tool_xyz", "description": "d", "parameters": {"type": "dict"}})]
    return "probe_tool_xyz" in chat_prompt(tokenizer, messages, probe)


def text_prompt(method: str, tokenizer, q: Question) -> str:
    """The prompt of a question for `prompt` (functions in the system prompt) or `native`."""
    specs = [openai_spec(f) for f in q.functions]
    user = [m for m in q.messages if m.get("role") != "system"] or [{"role": "user", "content": q.text}]
    system = "\n".join(m["content"] for m in q.messages if m.get("role") == "system")
    if method == "native":
        messages = ([{"role": "system", "content": system}] if system else []) + user
        return chat_prompt(tokenizer, messages, specs)
    listed = json.dumps([s["function"] for s in specs], ensure_ascii=False)
    system = PROMPT_SYSTEM.format(functions=listed) + (f"\n\n{system}" if system else "")
    return chat_prompt(tokenizer, [{"role": "system", "content": system}, *user], None)


def parse_calls(text: str) -> list[dict]:
    """The calls a completion writes as JSON: a list of `{"name", "arguments"}` (or `{name: {...}}`)
    objects, one such object, or several (`<tool_call>` blocks); anything unparsable is no call."""
    decoder, calls, pos = json.JSONDecoder(), [], 0
    while True:
        m = re.compile(r"[\[{]").search(text, pos)
        if m is None:
            return calls
        try:
            value, end = decoder.raw_decode(text, m.start())
        except json.JSONDecodeError:
            pos = m.start() + 1
            continue
        items = value if isinstance(value, list) else [value]
        calls += [c for c in map(_one_call, items) if c is not None]
        pos = end


def _one_call(item: object) -> dict | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("name"), str):
        args = item.get("arguments", item.get("parameters", {}))
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except json.JSONDecodeError:
                return None
        return {item["name"]: args} if isinstance(args, dict) else None
    if len(item) == 1 and isinstance(next(iter(item.values())), dict):
        return dict(item)
    return None


def methods_for(methods: Sequence[str] | None, tokenizer) -> list[str]:
    """The BFCL methods among `methods` (None: `toolken`, `prompt` and, where the chat template renders
    tools, `native`)."""
    if methods is None:
        return ["toolken", "prompt", *(["native"] if template_takes_tools(tokenizer) else [])]
    return [m for m in methods if m in METHODS]


def text_answers(method: str, backbone, questions: Sequence[Question], batch_size: int = 8) -> list[Generation]:
    """Greedy completions of the `prompt` or `native` prompts (no toolkens)."""
    _, tokenizer = backbone
    if method == "native" and not template_takes_tools(tokenizer):
        raise ValueError("native: the backbone's chat template does not render tools= (it has no tool-call format)")
    model = ToolkenModel.create(Toolset("bfcl-text", [], stop=["\n\n\n"]), init=Init.RANDOM, backbone=backbone)
    prompts = [text_prompt(method, tokenizer, q) for q in questions]
    cfg = GenerationConfig(max_new_tokens=TEXT_MAX_NEW, batch_size=batch_size)
    return generate(model, [q.text for q in questions], cfg, prompts=prompts)


# ---------------------------------------------------------------- a run


def run(
    category: str,
    method: str,
    settings,
    backbone=None,
    questions_file: Path | None = None,
    answers_file: Path | None = None,
    partial: Path | None = None,
) -> dict:
    """Run BFCL `category` (or a user's `questions_file` + `answers_file` in BFCL's format, scored as
    `category`, "custom" picking the checker from the calls' shape) with `method`. `settings` is the
    harness's `BenchSettings` (model, limit, runs, batch size, arguments). With `partial`, answers are
    saved there as they come and a killed run resumes from them (`checkpoint.answer_in_chunks`)."""
    from toolken.backbone import load_backbone

    if method not in METHODS:
        raise KeyError(f"unknown BFCL method {method!r}; methods: {', '.join(METHODS)}")
    if questions_file is None:
        questions_file, answers_file = category_files(category)
    needs = category not in ABSTAIN + RELEVANCE
    questions = load_questions(Path(questions_file), answers_file and Path(answers_file), settings.limit, needs)
    scored_as = checker_category(category, questions)
    backbone = backbone or load_backbone(settings.model)
    start = time.perf_counter()
    info: dict = {"model": settings.model or "default", "limit": settings.limit, "data": settings.data}
    info.update(train_limit=None, train_data="synth", questions=Path(questions_file).name)
    if method in TOOLKEN_METHODS:
        # in the key: answers resumed under other settings differ
        info.update(name_bias=GenerationConfig.name_bias, named_call_bias=GenerationConfig.named_call_bias)
        info.update(seed=settings.seed)
    key = json.dumps([HEAD_VERSION, category, method, info, settings.arguments, str(answers_file)])
    chunked = partial_fn(answer_in_chunks, n=len(questions), path=partial, key=key)
    head_info, validation = None, {}
    if method in TOOLKEN_METHODS:
        gens, calls, head_info, validation = _toolken_answers(questions, method, settings, backbone, chunked, info)
        trained = start + head_info.pop("train_or_load")
    else:
        trained = start
        gens = chunked(lambda part: text_answers(method, backbone, questions[part], settings.batch_size))
        calls = [parse_calls(g.text) for g in gens]
        info.update(max_new_tokens=TEXT_MAX_NEW, greedy=True)
    outputs = [
        {"id": q.id, "question": q.text, "text": g.text, "calls": c, **score(scored_as, q, c)}
        for q, g, c in zip(questions, gens, calls)
    ]
    n = len(outputs)
    metrics = {
        "accuracy": sum(o["correct"] for o in outputs) / max(1, n),
        "call_rate": sum(bool(o["calls"]) for o in outputs) / max(1, n),
        "failures": dict(Counter(o["error"] for o in outputs if not o["correct"])),
    }
    return {
        "task": f"bfcl-{category}",
        "method": method,
        "n": n,
        "metrics": metrics,
        "settings": {**info, "checker": f"bfcl_eval {BFCL_VERSION} ast_checker ({scored_as})"},
        "head": head_info,
        "validation": validation,
        "seconds": {"train_or_load": trained - start, "evaluate": time.perf_counter() - trained},
        "outputs": outputs,
    }


def _toolken_answers(questions: Sequence[Question], method: str, settings, backbone, chunked, info: dict):
    """A toolken method's answers: its head for the questions' functions (trained on synthesized data,
    or reused), then each question answered with its offered functions. Returns the generations, their
    calls, the head's description (with the seconds it took to train or load) and its validation."""
    start = time.perf_counter()
    bt = bfcl_tools(questions)
    head, folder, reused = train_head(bt, method, Path(settings.runs), settings.model, backbone, settings.seed)
    head_info = {"folder": str(folder), "reused": reused, "toolkens": len(bt.tools)}
    head_info["train_or_load"] = time.perf_counter() - start
    cfg = GenerationConfig(TOOLKEN_MAX_NEW, batch_size=settings.batch_size, arguments=settings.arguments)
    gens = chunked(lambda part: toolken_answers(head, bt, questions, cfg, part))
    record = head.training
    validation = {"bias": record.bias, "val_firing": record.val_firing} if record else {}
    info.update(arguments=settings.arguments, bias=head.config.bias, training_data=SYNTH_NOTE, stand_in=STAND_IN,
                max_new_tokens=TOOLKEN_MAX_NEW)  # fmt: skip
    return gens, [toolken_calls(g, bt) for g in gens], head_info, validation


SYNTH_NOTE = (
    f"toolken synth from the function docs only ({PER_TOOL} one-call questions per function, "
    f"{round(PER_TOOL * MULTI_SHARE)} asking for two or three calls, the shipped no-tool questions); "
    "never BFCL questions"
)
