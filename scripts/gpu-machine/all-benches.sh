#!/usr/bin/env bash
# Every GPU figure of issue 14 in one run on a lent GPU machine (see pack.sh), under 10 minutes
# (the device's limit for one command; each run is bounded, 560 s in all):
#   grammatical.jsonl  `bench -- train --parts grammatical --trainer webgpu --target 0.8`: the
#                      Train panel's default recipe on the GPU, seconds to 80% grammatical;
#   generate.jsonl     `bench -- generate --host node`: ms per model call, WASM and the WebGPU
#                      variants (IO binding, graph capture, top-k on the GPU), B1·L16, B8·L16,
#                      B1·L64, the default model and a 4.8M-parameter one;
#   train-b32.jsonl    `bench -- train --host node` at batch 32 and 256: our WebGPU trainer,
#   train-b256.jsonl   TensorFlow.js-WebGPU and jax-js (webgpu, wasm), the CPU reference.
# JSON lines go to $OUT/*.jsonl, logs to $OUT/*.log, the machine to $OUT/gpu.txt.
# GRAMMATICAL_ARGS, GENERATE_ARGS, TRAIN32_ARGS and TRAIN256_ARGS replace each run's options (a smoke test on
# SwiftShader with tiny shapes, say).
set -uo pipefail
# shellcheck source=setup.sh
source "$(dirname "$0")/setup.sh"
start=$(date +%s)
# shellcheck disable=SC2086
bench_run grammatical 150 ${GRAMMATICAL_ARGS:---parts grammatical --trainer webgpu --target 0.8}
# shellcheck disable=SC2086
bench_run generate 200 generate ${GENERATE_ARGS:---node-calls 60 --node-warmup 5}
# TensorFlow.js's WASM and cpu rows are in bench/results/h200-2026-11-30 already; a budget of
# 12 s per trainer bounds the slow CPU rows (the reference's losses are needed for tracking).
# shellcheck disable=SC2086
bench_run train-b32 110 ${TRAIN32_ARGS:---batch 32 --tfjs webgpu --jax webgpu,wasm --budget 12}
# shellcheck disable=SC2086
bench_run train-b256 100 ${TRAIN256_ARGS:---batch 256 --tfjs webgpu --jax webgpu --budget 12}
echo "all benches: $(($(date +%s) - start)) s" | tee -a "$OUT/gpu.txt"
