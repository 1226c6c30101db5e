"""toolken: teach a frozen causal LM to call tools through learned tool tokens.

Data flow: tools -> priors -> head -> training -> generation -> evaluation.
"""

from .data import Call, DataError, Demo, from_markup, load_demos
from .head import HeadLoadError, ToolkenConfig, ToolkenHead, ToolkenModel
from .tools import Tool, ToolCall, ToolError, call_tool, load_tool_specs, parse_arguments
from .toolsets import Toolset, get_toolset
from .training import TrainingArguments, train

__all__ = [
    "Call",
    "DataError",
    "Demo",
    "HeadLoadError",
    "Tool",
    "ToolCall",
    "ToolError",
    "ToolkenConfig",
    "ToolkenHead",
    "ToolkenModel",
    "Toolset",
    "TrainingArguments",
    "call_tool",
    "from_markup",
    "get_toolset",
    "load_demos",
    "load_tool_specs",
    "parse_arguments",
    "train",
]
