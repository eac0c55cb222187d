/**
 * The adapter's ceiling for any kernel: GFLOP/s of a kernel that does nothing but multiply-adds
 * on registers (no memory reads in its loop, one write per invocation at the end). No matmul,
 * and so no trainer, can beat it on the same adapter; on a software adapter (SwiftShader) it is
 * what the CPU's JIT-compiled SIMD code can do at best.
 */
import { BufferUsage } from '../../src/train/gpuFlags';
import type { CeilingRequest, CeilingTiming } from './trainBenchApi';
import { timeRounds } from './timeRounds';

const ITERATIONS = 256;
const WORKGROUP = 64;
const INVOCATIONS = 64 * 1024;

/** 2 · accumulators · ITERATIONS flops per invocation: `c = c · a + b`, a multiply and an add. */
export function multiplyAddWgsl(accumulators: number): string {
  const acc = [...Array(accumulators).keys()];
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3u) {
  // Values depend on the invocation, so no compiler can fold the loop away.
  let a = f32(g.x) * 1e-9 + 0.999;
  let b = f32(g.x) * 1e-7;
  ${acc.map((j) => `var c${j} = f32(${j});`).join('\n  ')}
  for (var i = 0u; i < ${ITERATIONS}u; i++) {
    ${acc.map((j) => `c${j} = c${j} * a + b;`).join('\n    ')}
  }
  out[g.x] = ${acc.map((j) => `c${j}`).join(' + ')};
}`;
}

export async function timeMultiplyAddCeiling(
  device: GPUDevice,
  request: CeilingRequest,
): Promise<CeilingTiming[]> {
  const out = device.createBuffer({ size: INVOCATIONS * 4, usage: BufferUsage.STORAGE });
  try {
    const timings: CeilingTiming[] = [];
    for (const accumulators of request.accumulators) {
      const pipeline = await device.createComputePipelineAsync({
        layout: 'auto',
        compute: { module: device.createShaderModule({ code: multiplyAddWgsl(accumulators) }) },
      });
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: out } }],
      });
      const run = async () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(INVOCATIONS / WORKGROUP);
        pass.end();
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      };
      const gflop = (2 * accumulators * ITERATIONS * INVOCATIONS) / 1e9;
      const ms = await timeRounds(run, request.rounds);
      timings.push({ accumulators, gflops: ms.map((t) => gflop / (t / 1000)) });
    }
    return timings;
  } finally {
    out.destroy();
  }
}
