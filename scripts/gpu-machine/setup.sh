#!/usr/bin/env bash
# Sourced by train-bench.sh and all-benches.sh on a lent GPU machine (see pack.sh): unpacks the
# Vulkan loader, Node, Dawn's addon and onnxruntime-web's .wasm files, points Vulkan at the
# NVIDIA driver, and stops (exit 3) when Dawn finds no adapter. Sets OUT (default /tmp/out),
# work and node; writes $OUT/gpu.txt.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
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
# The large binaries travel compressed (the working tree may carry 64 MiB in all).
python3 - <<'PY'
import glob, lzma, shutil, os
pairs = [('.gpu/node.xz', '/tmp/unmask-gpu/node'),
         ('.gpu/dawn.node.xz', '.gpu/node_modules/webgpu/dist/linux-x64/dawn.node')]
pairs += [(f, f[:-3]) for f in glob.glob('.gpu/ort-wasm-*.wasm.xz')]
for src, dst in pairs:
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

# bench_run NAME TIMEOUT ARGS…: one run of the bundle; JSON lines to $OUT/NAME.jsonl, the rest
# to $OUT/NAME.log, a summary on stdout.
bench_run() {
  local name=$1 limit=$2
  shift 2
  echo "== $name: $*" | tee -a "$OUT/gpu.txt"
  timeout "$limit" $node .gpu/train-bench.mjs "$@" >"$work/stdout-$name" 2>"$OUT/$name.log"
  echo "exit $?" | tee -a "$OUT/gpu.txt"
  # Dawn prints WebGPU validation errors on stdout: keep the bench lines apart.
  grep '^{"bench":' "$work/stdout-$name" >"$OUT/$name.jsonl"
  grep -v '^{"bench":' "$work/stdout-$name" >>"$OUT/$name.log"
  grep -E '"metric":"(steps_per_second|speedup|loss_tracking|multiply_add_ceiling|matmul_speedup|steps_to_grammatical|seconds_to_grammatical|validity_curve|ms_per_call|fastest_variant|variant_agreement)"' "$OUT/$name.jsonl" |
    python3 -c "
import sys, json
for line in sys.stdin:
    r = json.loads(line)
    v = r['value']
    print(r['metric'], r.get('trainer', r.get('model', '')), r.get('backend', r.get('variant', '')),
          (round(v, 4) if isinstance(v, float) else v), r.get('against', ''), r.get('shape', ''),
          r.get('step', ''), ('B%s·L%s' % (r['batch'], r['length'])) if 'length' in r and r.get('bench') == 'generate' else '',
          '' if r.get('met', True) else 'NOT MET')"
  tail -3 "$OUT/$name.log"
}
