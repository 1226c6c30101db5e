#!/usr/bin/env bash
# On any machine with a CUDA GPU: the unit tests, then FuncQA trained and answered on `cuda` with the
# default model, printing how long each step took. Usage: benchmarks/gpu_check.sh [N_QUESTIONS]
# (DEVICE=cpu gives the same steps on the CPU, to compare; TESTS=0 skips the unit tests.)
# (PYTHON=... picks the interpreter; the venv of scripts/setup.sh --bench by default; a CUDA build
# of torch must be installed in it: pip install torch --index-url https://download.pytorch.org/whl/cu126).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
N=${1:-50}
DEVICE=${DEVICE:-cuda}
OUT=$(mktemp -d -t toolken-gpu-XXXXXX)
FUNCQA=toolken_bench/data/toolkengpt/funcqa
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-4}

"$PY" - "$DEVICE" <<'EOF'
import sys

import torch

if sys.argv[1] == "cuda" and not torch.cuda.is_available():
    sys.exit(f"gpu_check: torch {torch.__version__} sees no CUDA GPU")
gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
print(f"gpu_check: torch {torch.__version__}, {gpu}, running on {sys.argv[1]}")
EOF

step() {  # step NAME COMMAND...: run it, print its wall time
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  awk -v n="$name" -v s="$start" -v e="$end" 'BEGIN { printf "gpu_check: %-38s %8.1f s\n", n, e - s }' |
    tee -a "$OUT/times.txt"
}

# the unit tests (the tiny model on the CPU, as everywhere, so a failure here is not the GPU's)
if [ "${TESTS:-1}" != 0 ]; then
  step "unit tests (not slow)" env TOOLKEN_DEVICE=cpu "$PY" -m pytest -q -x -m "not slow"
fi
# FuncQA on the device: the LM pass, training and decoding all there
step "train FuncQA head on $DEVICE" "$PY" -m toolken train --tools funcqa --data "$FUNCQA/train.json" --skip-bad \
  --out "$OUT/head" --device "$DEVICE"
"$PY" -c "import json, sys; [print(r['question']) for r in json.load(open(sys.argv[1]))[:int(sys.argv[2])]]" \
  "$FUNCQA/funcqa_oh.json" "$N" >"$OUT/questions.txt"
step "answer $N FuncQA questions on $DEVICE" sh -c \
  "\"$PY\" -m toolken run \"$OUT/head\" --device $DEVICE --json <\"$OUT/questions.txt\" >\"$OUT/answers.jsonl\""
echo "gpu_check: $(wc -l <"$OUT/answers.jsonl") answers in $OUT/answers.jsonl; the head in $OUT/head"
cat "$OUT/times.txt"
