#!/usr/bin/env bash
# The main job on the default model: train the 13 FuncQA toolkens (name prior, lambda 1e-3: the best of the six
# methods on FuncQA one-hop, BENCHMARKS.md; the cosine learning rate, better on its validation questions), then
# answer unseen questions with visible tool calls.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/toolken train --tools funcqa --data toolken_bench/data/toolkengpt/funcqa/train.json --skip-bad --init name --reg 1e-3 --lr-schedule cosine --out runs/funcqa
printf '%s\n' \
  "What is the square root of 1764?" \
  "In how many ways can 4 books be chosen from a shelf of 12 books?" \
  "What is the greatest common divisor of 84 and 126?" \
  "What is 7 raised to the power of 5?" \
  | .venv/bin/toolken run runs/funcqa
