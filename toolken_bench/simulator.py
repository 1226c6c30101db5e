"""VirtualHome's simulator and scene programs: a plan becomes script lines on a scene graph, runs in the
evolving-graph `ScriptExecutor`, and is checked against the goal conditions of its gold program.

The simulator is the `virtualhome` PyPI package (2.3.0, installed with `--no-deps`): only its
`simulation/evolving_graph` modules are loaded, straight from their files, because the package's
`__init__` imports the Unity client (opencv, requests, IPython) that the executor does not need. Scene
graphs come from the `virtualhome-eval` package (0.1.1, `--no-deps`): the VirtualHome program dataset of
TrimmedTestScene1 (scripts with init and final graphs), found with `importlib.util.find_spec` and never
imported.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from toolken.backbone import package_folder

Step = tuple[str, str | None]  # (ACTION, object or None)

SCENE = "TrimmedTestScene1_graph"
PROGRAMS = Path("dataset/programs_processed_precond_nograb_morepreconds")
IGNORED_RELATIONS = frozenset({"CLOSE", "FACING"})  # proximity that any walk changes, not a goal
STEP_RE = re.compile(r"\[(\w+)\][ \t]*(?:<([^<>\n]+)>[ \t]*(?:\(([\d.]+)\))?)?[ \t]*")


class SimulatorUnavailable(OSError):
    """The `virtualhome` or `virtualhome-eval` package is not installed (an `OSError`: a missing
    resource, which the CLI reports as an error message)."""


# ---------------------------------------------------------------- the installed packages


def _package_dir(name: str) -> Path:
    return package_folder(name, "VirtualHome's simulator and scenes", SimulatorUnavailable)


def programs_dir() -> Path:
    """The TrimmedTestScene1 program dataset shipped by `virtualhome-eval`."""
    return _package_dir("virtualhome_eval") / PROGRAMS


@cache
def simulator() -> SimpleNamespace:
    """VirtualHome's evolving-graph modules `scripts`, `environment` and `execution`, loaded from the
    installed `virtualhome` package without running its package `__init__`s."""
    folder = _package_dir("virtualhome") / "simulation" / "evolving_graph"
    name = "toolken._virtualhome_evolving_graph"
    if name not in sys.modules:  # an empty package whose submodules are the simulator's files
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
    modules = {m: importlib.import_module(f"{name}.{m}") for m in ("scripts", "environment", "execution")}
    modules["execution"].JoinedExecutor.execute = _joined_execute
    return SimpleNamespace(**modules)


def _joined_execute(self, script, state, info, char_index, modify=True, in_place=False):
    """virtualhome 2.3.0's `JoinedExecutor.execute` lacks the `modify` and `in_place` arguments that
    `FindExecutor` passes it (a TypeError on every [FIND] of an object the character is not close to):
    the same method with the signature of the other executors."""
    for executor in self.executors:
        yield from executor.execute(script, state, info, char_index, modify, in_place)


# ---------------------------------------------------------------- scene programs


@dataclass(frozen=True)
class Program:
    """A VirtualHome program of the dataset: its goal, hint, steps and gold script (graph node ids)."""

    name: str  # e.g. results_intentions_march-13-18/file1003_2
    title: str
    description: str
    steps: tuple[Step, ...]
    script: tuple[str, ...]  # the gold script lines, `[WALK] <home_office> (319)`

    def graphs(self) -> dict:
        """The program's `init_graph` and `final_graph` (read from the installed package)."""
        path = programs_dir() / "init_and_final_graphs" / SCENE / f"{self.name}.json"
        return json.loads(path.read_text())


def read_program(name: str, text: str) -> Program:
    """Parse a program file: goal title, hint, then script lines `[Walk] <home_office> (1.319)` whose
    instance is `<script index>.<graph node id>`."""
    lines = text.split("\n")
    steps, script = [], []
    for line in lines[2:]:
        m = STEP_RE.fullmatch(line.strip())
        if m is None:
            continue
        objects = re.findall(r"<([^<>]+)>\s*\(\d+\.(\d+)\)", line)
        action = m.group(1).upper()
        steps.append((action, objects[0][0] if len(objects) == 1 else None))
        script.append(f"[{action}]" + "".join(f" <{o}> ({i})" for o, i in objects))
    return Program(name, lines[0].strip(), lines[1].strip() if len(lines) > 1 else "", tuple(steps), tuple(script))


@cache
def scene_programs() -> tuple[Program, ...]:
    """Every TrimmedTestScene1 program of the installed dataset, sorted by name."""
    folder = programs_dir() / "executable_programs" / SCENE
    return tuple(
        read_program(f"{p.parent.name}/{p.stem}", p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(folder.glob("*/*.txt"))
    )


def find_program(name: str) -> Program | None:
    """The scene program called `name`, or None."""
    return next((p for p in scene_programs() if p.name == name), None)


# ---------------------------------------------------------------- execution and goals


class PlanError(ValueError):
    """A plan that cannot become a script of the scene (unknown action or object, missing object)."""


def character_room(graph: dict) -> int | None:
    """The node id of the room the character starts in."""
    rooms = {n["id"] for n in graph["nodes"] if n.get("category") == "Rooms"}
    chars = {n["id"] for n in graph["nodes"] if n["class_name"] == "character"}
    return next(
        (
            e["to_id"]
            for e in graph["edges"]
            if e["from_id"] in chars and e["relation_type"] == "INSIDE" and e["to_id"] in rooms
        ),
        None,
    )


def to_script(steps: list[Step], graph: dict) -> list[str]:
    """Script lines `[WALK] <chair> (356)` for `steps` in the scene `graph`. Each object is resolved
    without looking at any gold program: a room is the room of that class; another object is the
    instance of its class inside the room the plan last walked to (the character's room at first),
    else the one with the lowest id. Raises `PlanError` for an unknown action or absent object."""
    actions = simulator().scripts.Action.__members__
    by_class: dict[str, list[dict]] = {}
    for n in graph["nodes"]:
        by_class.setdefault(n["class_name"], []).append(n)
    room_of = {e["from_id"]: e["to_id"] for e in graph["edges"] if e["relation_type"] == "INSIDE"}
    room, lines = character_room(graph), []
    for action, obj in steps:
        if action not in actions or action in ("END",):
            raise PlanError(f"unknown action [{action}]")
        if obj is None:
            raise PlanError(f"[{action}] has no object")
        nodes = sorted(by_class.get(obj, []), key=lambda n: n["id"])
        if not nodes:
            raise PlanError(f"no <{obj}> in the scene")
        if nodes[0].get("category") == "Rooms":
            node = nodes[0]
            room = node["id"]
        else:
            node = next((n for n in nodes if room_of.get(n["id"]) == room), nodes[0])
        lines.append(f"[{action}] <{obj}> ({node['id']})")
    return lines


def execute(script: list[str], init_graph: dict) -> tuple[bool, dict | None, str | None]:
    """Run script lines in VirtualHome's `ScriptExecutor` from `init_graph`. Returns whether every
    line ran, the final graph (None if not executable) and the simulator's error message."""
    sim = simulator()
    try:
        parsed = sim.scripts.read_script_from_list_string(script)
        executor = sim.execution.ScriptExecutor(sim.environment.EnvironmentGraph(init_graph), {})
        ok, state, _ = executor.execute(parsed, w_graph_list=False)
    except Exception as e:  # noqa: BLE001 - third-party simulator on model-made scripts: a verdict, not a crash
        return False, None, f"{type(e).__name__}: {e}"
    if not ok:
        return False, None, executor.info.get_error_string() or "a step's precondition failed"
    return True, state.to_dict(), None


def _relation(name: str) -> str:
    return "HOLDS" if name.startswith("HOLDS") else name  # either hand


def _edges(graph: dict) -> set[tuple[int, str, int]]:
    return {
        (e["from_id"], _relation(e["relation_type"]), e["to_id"])
        for e in graph["edges"]
        if e["relation_type"] not in IGNORED_RELATIONS
    }


def _states(graph: dict) -> set[tuple[int, str]]:
    return {(n["id"], s) for n in graph["nodes"] for s in n.get("states", [])}


@dataclass(frozen=True)
class Goal:
    """What a gold program changes: facts (node states `(id, STATE)` and relations `(from, REL, to)`)
    that must hold after a plan, and facts that must not."""

    present: frozenset
    absent: frozenset

    def satisfied_by(self, graph: dict) -> bool:
        """Whether `graph` has every `present` fact and none of the `absent` ones."""
        facts = _states(graph) | _edges(graph)
        return self.present <= facts and not (self.absent & facts)


def goal_conditions(init_graph: dict, final_graph: dict) -> Goal:
    """The goal of a gold program: the object states and relations (other than CLOSE and FACING; the
    two HOLDS relations count as one) that differ between its initial and final graph."""
    before, after = _states(init_graph) | _edges(init_graph), _states(final_graph) | _edges(final_graph)
    return Goal(frozenset(after - before), frozenset(before - after))


def evaluate(steps: list[Step], program: Program, graphs: dict | None = None) -> dict:
    """Executability and goal success of predicted `steps` in `program`'s scene. Returns
    `{"executable", "success", "script", "error"}`; bad plans are verdicts, never exceptions."""
    graphs = graphs or program.graphs()
    try:
        script = to_script(steps, graphs["init_graph"])
    except PlanError as e:
        return {"executable": False, "success": False, "script": None, "error": str(e)}
    ok, final, error = execute(script, graphs["init_graph"])
    goal = goal_conditions(graphs["init_graph"], graphs["final_graph"])
    return {"executable": ok, "success": ok and goal.satisfied_by(final), "script": script, "error": error}
