#!/usr/bin/env bash
# Runs `bench -- train` on a lent GPU machine (see pack.sh): Node host, Dawn on the machine's
# own Vulkan driver. JSON lines go to $OUT/train-*.jsonl, progress and errors to $OUT/*.log.
# Arguments: the runs, each one quoted string of bench train options, or of `npm run train`
# options after the word train (packages written under /tmp/unmask-models come back in
# $OUT/models), e.g.
#   bash scripts/gpu-machine/train-bench.sh "--batch 32" "--batch 256 --tfjs webgpu,wasm" \
#     "train --trainer webgpu --gpu-adapter native --out /tmp/unmask-models"
# RUN_TIMEOUT (seconds, default 240) bounds each run. all-benches.sh runs every bench at once.
set -uo pipefail
# shellcheck source=setup.sh
source "$(dirname "$0")/setup.sh"
i=0
for args in "$@"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  bench_run "train-$i" "${RUN_TIMEOUT:-240}" $args
done
if [ -d /tmp/unmask-models ]; then cp -r /tmp/unmask-models "$OUT/models"; fi
