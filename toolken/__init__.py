"""toolken: teach a frozen causal LM to call tools through learned tool tokens.

Data flow: tools -> demonstrations -> priors -> head -> (cached pass) training -> generation.
Names are imported on first use, so `import toolken` (and `toolken --help`) stays fast.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ToolError": "arguments",
    "parse_arguments": "arguments",
    "Init": "config",
    "PriorSource": "config",
    "ToolkenConfig": "config",
    "TrainingRecord": "config",
    "Call": "demonstrations",
    "DataError": "demonstrations",
    "Demo": "demonstrations",
    "add_demonstrations": "demonstrations",
    "from_markup": "demonstrations",
    "load_demos": "demonstrations",
    "ToolCall": "execution",
    "call_tool": "execution",
    "GenerationConfig": "generation_config",
    "generate": "generation",
    "generate_continuous": "generation",
    "Request": "generation",
    "RowOptions": "generation",
    "HeadLoadError": "head",
    "ToolkenHead": "head",
    "ToolkenModel": "head",
    "rank_tools": "ranking",
    "synth": "synthesis",
    "synth_demos": "synthesis",
    "Tool": "tools",
    "load_tool_specs": "tools",
    "Toolset": "toolsets",
    "get_toolset": "toolsets",
    "TrainingArguments": "config",
    "train": "training",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'toolken' has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
