"""Tool sets: tools plus the prompt format they are trained and used in, and a registry of named sets.

Named sets come from installed packages through the entry-point group `toolken.toolsets` (the bench
extra registers the papers' `funcqa`, `gsm8k-xl`, `kamel` and `virtualhome`). Nothing is imported
until a set is asked for by name, so a user's own tools never load another package's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from .config import DEFAULT_PROMPT
from .tools import Tool

if TYPE_CHECKING:
    from .demonstrations import Demo

ENTRY_POINT_GROUP = "toolken.toolsets"

# reads one record of a tool set's own data format into a Demo, or returns None if it is not one
RecordReader = Callable[[dict, "Toolset"], "Demo | None"]


@dataclass
class Toolset:
    """Tools plus the prompt format they are trained and used in.

    `prompt` is a template with `{question}`; generation stops at any of `stop`; `answer` says how to
    read the answer off a completion (`text`, or `number`); `direct` trains one-call records to call
    the tool as soon as the answer starts; `reader` reads records of the set's own data format.
    """

    name: str
    tools: list[Tool]
    prompt: str = DEFAULT_PROMPT
    stop: list[str] = field(default_factory=lambda: ["\n"])
    answer: str = "text"
    direct: bool = False
    reader: RecordReader | None = None

    @property
    def tool_names(self) -> list[str]:
        """Tool names in order."""
        return [t.name for t in self.tools]


def toolset_names() -> list[str]:
    """Names of the registered tool sets (read from package metadata; nothing is imported)."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def get_toolset(name: str) -> Toolset:
    """A registered tool set by name (a fresh copy: its tools can be edited freely)."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return ep.load()()
    names = toolset_names()
    hint = ", ".join(names) if names else "none installed; pip install 'toolken[bench]' for the papers' sets"
    raise KeyError(f"unknown tool set {name!r}; registered sets: {hint}")
