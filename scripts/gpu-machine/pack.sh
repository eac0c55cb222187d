#!/usr/bin/env bash
# Packs, on this machine, what all-benches.sh and train-bench.sh need on a lent GPU machine that
# has a GPU but no Node, npm, browser or network: Node itself, the Node host's bundle of
# `bench -- train` and `bench -- generate` (bench/nodeTrainBundle.ts) with onnxruntime-web's
# .wasm files, Dawn's addon (the webgpu package), TensorFlow.js-WASM's .wasm files, and the
# Vulkan loader (Debian's libvulkan1). Writes .gpu/ and .gl/ (both git-ignored);
# the device call carries them: carry [".gpu", ".gl"], command `bash scripts/gpu-machine/all-benches.sh`
# (every figure: generate and train) or `bash scripts/gpu-machine/train-bench.sh "…"` (chosen runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/node_modules/@tensorflow/tfjs-backend-wasm/dist"
npx tsx bench/nodeTrainBundle.ts "$out/train-bench.mjs"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
cp node_modules/@tensorflow/tfjs-backend-wasm/package.json "$out/node_modules/@tensorflow/tfjs-backend-wasm/"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/node_modules/@tensorflow/tfjs-backend-wasm/dist/"
# The large binaries travel compressed (the working tree may carry 64 MiB in all): Node, Dawn,
# and the onnxruntime-web .wasm builds the bundle copied beside itself (setup.sh unpacks them).
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$out/dawn.node.xz"
xz -T0 -6 -c "$(command -v node)" >"$out/node.xz"
for f in "$out"/ort-wasm-*.wasm; do xz -T0 -6 "$f"; done
# The Vulkan loader and glvnd, fetched for amd64 whatever this machine is.
if ! ls .gl/libvulkan1_*.deb .gl/libglvnd0_*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update -qq
  # shellcheck disable=SC2086
  (cd .gl && apt-get $o download libvulkan1 libglvnd0 libegl1 libglx0 libgl1 libopengl0 libgles2)
fi
du -sh "$out" .gl
