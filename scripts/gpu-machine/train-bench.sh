#!/usr/bin/env bash
# Runs `bench -- train` on a lent GPU machine (see pack.sh): Node host, Dawn on the machine's
# own Vulkan driver. JSON lines go to $OUT/train-*.jsonl, progress and errors to $OUT/*.log.
# Arguments: the runs, each one quoted string of bench train options, or of `npm run train`
# options after the word train (packages written under /tmp/unmask-models come back in
# $OUT/models), e.g.
#   bash scripts/gpu-machine/train-bench.sh "--batch 32" "--batch 256 --tfjs webgpu,wasm" \
#     "train --trainer webgpu --gpu-adapter native --out /tmp/unmask-models"
# RUN_TIMEOUT (seconds, default 240) bounds each run.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
work=/tmp/unmask-gpu
mkdir -p "$work"
# The Vulkan loader and glvnd (the NVIDIA driver's Vulkan library needs its GL dispatch):
# the lent machine's own recipe unpacks them into / (it starts bare and is given back).
if [ -d /usr/local/nvidia ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
python3 - <<'PY'
import lzma, shutil, os
for src, dst in [('.gpu/node.xz', '/tmp/unmask-gpu/node'),
                 ('.gpu/dawn.node.xz', '.gpu/node_modules/webgpu/dist/linux-x64/dawn.node')]:
    with lzma.open(src) as f, open(dst, 'wb') as g:
        shutil.copyfileobj(f, g)
os.chmod('/tmp/unmask-gpu/node', 0o755)
PY
node=$work/node
ldconfig -p | grep -E 'libvulkan|libGLX_nvidia|libGLdispatch' | head -5
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv | tee "$OUT/gpu.txt"
echo "node $($node --version), icd ${VK_DRIVER_FILES:-none}, $(nproc) cores" | tee -a "$OUT/gpu.txt"
# Which adapters Dawn sees, before any timing.
(cd .gpu && $node --input-type=module -e "
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const gpu = create([]);
for (const p of ['high-performance', 'low-power']) {
  const a = await gpu.requestAdapter({ powerPreference: p });
  const i = a?.info;
  console.log(p, i ? [i.vendor, i.architecture, i.device, i.description].join(' / ') : 'none');
}") 2>&1 | tee -a "$OUT/gpu.txt"
if grep -q '^high-performance none' "$OUT/gpu.txt"; then
  echo "Dawn found no adapter: not timing anything" | tee -a "$OUT/gpu.txt"
  cat "${VK_DRIVER_FILES:-/dev/null}"
  ls /usr/local/nvidia/lib64 2>/dev/null | grep -iE 'glx|vulkan|dispatch' | head
  exit 3
fi
i=0
for args in "$@"; do
  i=$((i + 1))
  echo "== run $i: $args" | tee -a "$OUT/gpu.txt"
  # shellcheck disable=SC2086
  timeout "${RUN_TIMEOUT:-240}" $node .gpu/train-bench.mjs $args >"$work/stdout-$i" 2>"$OUT/train-$i.log"
  echo "exit $?" | tee -a "$OUT/gpu.txt"
  # Dawn prints WebGPU validation errors on stdout: keep the bench lines apart.
  grep '^{"bench":' "$work/stdout-$i" >"$OUT/train-$i.jsonl"
  grep -v '^{"bench":' "$work/stdout-$i" >>"$OUT/train-$i.log"
  grep -E '"metric":"(steps_per_second|speedup|loss_tracking|multiply_add_ceiling|matmul_speedup|steps_to_grammatical|seconds_to_grammatical|validity_curve)"' "$OUT/train-$i.jsonl" |
    python3 -c "
import sys, json
for line in sys.stdin:
    r = json.loads(line)
    print(r['metric'], r.get('trainer',''), r.get('backend',''), (round(r['value'], 4) if isinstance(r['value'], float) else r['value']), r.get('against',''), r.get('shape',''), r.get('step',''))"
  tail -3 "$OUT/train-$i.log"
done
if [ -d /tmp/unmask-models ]; then cp -r /tmp/unmask-models "$OUT/models"; fi
