"""Prompting baselines of the benchmark, on the same frozen LM and without toolkens:

- `cot`: the model reasons in words after a few worked examples (greedy, no tools); the answer is the
  last number of the completion for math tasks, the completion itself for KAMEL;
- `icl`: the tools are described in the prompt and a few demonstrations show calls written as text,
  `name(args)=`. When the model writes such a call, decoding stops, the arguments are parsed (never
  eval'd) and the tool runs, its result is appended and decoding goes on, so one answer may chain
  several calls (ReAct-style) up to `GenerationConfig.max_calls`. Both decode with the library's one loop
  (`toolken.generation.generate`, its `text_tools`) on a head with no toolkens.

The tool list of `icl` is capped at `ICL_MAX_TOOL_CHARS` characters: every tool with its signature and
description if that fits (FuncQA, GSM8K-XL, KAMEL-30 and -60), otherwise every tool as `name: title`
(KAMEL-100, and KAMEL-234 in about 5,400 characters: a 2,300-token prompt for SmolLM2), and if even that is
too long, the first tools that fit. The examples and prompts are written for this package.

VirtualHome plans are written as text by both baselines, one step per line (`[WALK] <home_office>`),
after two own examples: `cot` first writes a thought, then the plan; `icl` is shown the actions with
their descriptions and the objects (the tools) and writes the plan straight away. The plan is scored
(and run in the simulator) after decoding: nothing runs mid-generation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from toolken.config import Init
from toolken.generation import Generation, GenerationConfig, extract_answer, generate
from toolken.head import ToolkenModel
from toolken.tools import Tool
from toolken.toolsets import Toolset

BASELINES = ("cot", "icl")
ICL_MAX_TOOL_CHARS = 6000  # every KAMEL relation's title fits; the prompt stays far below the context size
MAX_NEW_TOKENS = {"number": 96, "text": 32}  # math answers reason over several steps, KAMEL's are short
PLAN_MAX_NEW_TOKENS = 288  # a VirtualHome thought and ~24 plan steps of ~10 tokens (the longest gold plan: 22)


@dataclass(frozen=True)
class Example:
    """A worked example for the prompts: the answer in words (`cot`) and with text calls (`icl`)."""

    question: str
    cot: str
    icl: str
    tools: frozenset[str] = frozenset()  # tools its `icl` answer calls: shown only if the task has them


def _example(question: str, cot: str, icl: str) -> Example:
    return Example(question, cot, icl, frozenset(re.findall(r"(\w+)\(", icl)))


MATH_EXAMPLES = (
    _example(
        "A library had 1372 books and lent out 589 of them. How many books are still on the shelves?",
        "1372-589=783 books are on the shelves. The answer is 783.",
        "subtract(1372, 589)=783 books are on the shelves. The answer is 783.",
    ),
    _example(
        "A cinema has 38 rows with 27 seats in each row. How many seats does it have?",
        "38*27=1026 seats. The answer is 1026.",
        "multiply(38, 27)=1026 seats. The answer is 1026.",
    ),
    _example(
        "Nora earns 2150 dollars a month and spends 1460 of it. How much does she save in 9 months?",
        "She saves 2150-1460=690 dollars a month, so 690*9=6210 dollars in 9 months. The answer is 6210.",
        "She saves subtract(2150, 1460)=690 dollars a month, so multiply(690, 9)=6210 dollars in 9 months. "
        "The answer is 6210.",
    ),
    _example(
        "A 93.5 meter rope is cut into 4 equal pieces, and 12 meters are added to one piece. How long is it?",
        "Each piece is 93.5/4=23.375 meters, and 23.375+12=35.375 meters. The answer is 35.375.",
        "Each piece is divide(93.5, 4)=23.375 meters, and add(23.375, 12)=35.375 meters. The answer is 35.375.",
    ),
    _example(
        "What is 1.07 raised to the power of 12?",
        "1.07^12=2.25219. The answer is 2.25219.",
        "power(1.07, 12)=2.25219. The answer is 2.25219.",
    ),
)

KAMEL_EXAMPLES = (
    _example(
        "In which country is Kyoto located?",
        "Kyoto is a city in Japan, so the answer is Japan.",
        'P17("Kyoto")=Japan',
    ),
    _example(
        "Which constellation is Betelgeuse part of?",
        "Betelgeuse is the bright red star of Orion, so the answer is Orion.",
        'P59("Betelgeuse")=Orion',
    ),
    _example(
        "Where is the headquarters of Nokia?",
        "Nokia is a Finnish company based in Espoo, so the answer is Espoo.",
        'P159("Nokia")=Espoo',
    ),
)


@dataclass(frozen=True)
class PlanExample:
    """A worked VirtualHome task: the task as the data states it, a thought (`cot`) and the plan."""

    task: str
    thought: str
    plan: str


PLAN_EXAMPLES = (
    PlanExample(
        "I am in ['bedroom']. The objects I can manipulate are ['bedroom', 'dining_room', 'chair', 'table', "
        "'freezer', 'food_food', 'plate', 'light'].\nGoal:\nHave a snack\nHint:\nI take some food out of the "
        "freezer and eat it sitting at the table.",
        "The food is in the freezer in the dining room: I go there, open the freezer, take the food, close "
        "the freezer and sit down at the table.",
        "[WALK] <dining_room>\n[WALK] <freezer>\n[FIND] <freezer>\n[OPEN] <freezer>\n[FIND] <food_food>\n"
        "[GRAB] <food_food>\n[CLOSE] <freezer>\n[WALK] <chair>\n[SIT] <chair>\n[END]",
    ),
    PlanExample(
        "I am in ['dining_room']. The objects I can manipulate are ['home_office', 'bedroom', 'light', 'bed', "
        "'desk', 'computer'].\nGoal:\nGo to sleep\nHint:\nI switch off the office light before going to bed.",
        "The light is in the home office: I walk to it and switch it off, then go to the bedroom and lie "
        "down on the bed.",
        "[WALK] <home_office>\n[WALK] <light>\n[FIND] <light>\n[SWITCHOFF] <light>\n[WALK] <bedroom>\n"
        "[WALK] <bed>\n[LIE] <bed>\n[END]",
    ),
)


def plan_prompt(method: str, toolset: Toolset, question: str) -> str:
    """The few-shot prompt of `method` for a VirtualHome question (a record's text up to its last
    `Plan:` line: only its last task is kept, the data's example tasks are replaced by ours)."""
    task = question[question.rfind("I am in ") :].removesuffix("\n").removesuffix("Plan:").rstrip("\n")
    actions = [t for t in toolset.tools if t.name.isupper() and t.name != "END"]
    objects = [t.name for t in toolset.tools if t.name.islower()]
    if method == "cot":
        intro = "Plan household tasks in a home. Think about what to do, then write the plan, one step per line."
        shots = [f"{e.task}\nThought: {e.thought}\nPlan:\n{e.plan}" for e in PLAN_EXAMPLES]
        end = "\nThought:"
    else:
        listed = "\n".join(f"- [{t.name}] <object>: {t.description}" for t in actions)
        intro = (
            "Plan household tasks in a home with these actions, one per line, each on one object:\n"
            f"{listed}\nObjects: {', '.join(f'<{o}>' for o in objects)}\nEnd the plan with [END]."
        )
        shots = [f"{e.task}\nPlan:\n{e.plan}" for e in PLAN_EXAMPLES]
        end = "\nPlan:\n"
    return "\n\n".join([intro, *shots, task + end])


def tool_list(tools: Sequence[Tool], max_chars: int = ICL_MAX_TOOL_CHARS) -> tuple[str, int, bool]:
    """The tools as prompt lines, capped at `max_chars` (see the module docstring). Returns the text,
    how many tools it lists and whether it kept their descriptions."""
    full = [f"- {t.signature}: {t.description}" for t in tools]
    if sum(len(line) + 1 for line in full) <= max_chars:
        return "\n".join(full), len(full), True
    lines, used = [], 0
    for t in tools:
        line = f"- {t.name}: {t.readable_name}"  # the examples show how to call
        if used + len(line) + 1 > max_chars:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines), len(lines), False


def _shots(method: str, toolset: Toolset) -> list[tuple[str, str]]:
    examples = KAMEL_EXAMPLES if toolset.answer == "text" else MATH_EXAMPLES
    names = {t.name for t in toolset.tools}
    return [(e.question, e.cot if method == "cot" else e.icl) for e in examples if e.tools <= names]


def build_prompt(method: str, toolset: Toolset, question: str, max_tool_chars: int = ICL_MAX_TOOL_CHARS) -> str:
    """The few-shot prompt of `method` (`cot` or `icl`) for one question, in the tool set's format."""
    if method not in BASELINES:
        raise KeyError(f"unknown baseline {method!r}; baselines: {', '.join(BASELINES)}")
    if method == "cot":
        intro = "Answer each question. Think step by step, then give the answer."
    else:
        listed, _, _ = tool_list(toolset.tools, max_tool_chars)
        intro = (
            "Answer each question. You can call these tools by writing name(arguments)= ; "
            f"the tool's result is then written after the = sign.\n{listed}"
        )
    shots = [toolset.prompt.format(question=q) + " " + a for q, a in _shots(method, toolset)]
    return "\n\n".join([intro, *shots, toolset.prompt.format(question=question)])


def answer(
    method: str,
    toolset: Toolset,
    questions: Sequence[str],
    backbone: tuple,
    batch_size: int = 8,
    chunked: Callable[[Callable[[slice], list[Generation]]], list[Generation]] | None = None,
) -> tuple[list[Generation], dict]:
    """Answer `questions` with baseline `method` on a loaded `backbone` (greedy); returns the
    generations and the settings to report. `chunked(answer)` may answer them part by part
    (`checkpoint.answer_in_chunks`)."""
    plans = toolset.name == "virtualhome"
    budget = PLAN_MAX_NEW_TOKENS if plans else MAX_NEW_TOKENS[toolset.answer]
    cfg = GenerationConfig(max_new_tokens=budget, batch_size=batch_size)
    # no toolkens: the model decodes words in the tool set's format, calling tools only as text
    model = ToolkenModel.create(replace(toolset, tools=[]), init=Init.RANDOM, backbone=backbone, prompt_format="plain")
    prompts = [(plan_prompt if plans else build_prompt)(method, toolset, q) for q in questions]
    tools = toolset.tools if method == "icl" and not plans else []  # plans run in the simulator afterwards
    whole = chunked or (lambda answer: answer(slice(None)))
    gens = whole(lambda part: generate(model, questions[part], cfg, prompts=prompts[part], text_tools=tools))
    for g in gens:  # a baseline's answer is read off its text alone, whatever its calls returned
        g.answer = extract_answer(g.text, toolset.answer)
    shots = len(PLAN_EXAMPLES) if plans else len(_shots(method, toolset))
    settings: dict = {"prompt": f"{method}: {shots} own examples", "greedy": True}
    settings["max_new_tokens"] = cfg.max_new_tokens
    if plans:
        settings["plan"] = "written as text, parsed and run in the simulator after decoding"
    elif method == "icl":
        _, listed, described = tool_list(toolset.tools)
        settings.update(tools_listed=listed, tool_descriptions=described, max_calls=cfg.max_calls)
    return gens, settings
