import type * as OrtModule from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import type { Denoiser } from '../core/denoiser';
import type { ModelManifest } from '../model/manifest';
import {
  checkGraphAgainstManifest,
  checkLogitsSize,
  type GraphValue,
} from '../model/graphContract';
import { windowCostProblem } from '../model/windowCost';
import { type CallModeDecision, CallModeTrials, type GpuCallMode } from './gpuCallModes';
import type { Provider } from './protocol';
import { type CallInput, runWithTensors } from './sessionCall';
import { WebGpuSessionCalls } from './webgpuSessionCalls';

/**
 * The onnxruntime-web module in use: the browser worker passes the build it loaded (ortWeb.ts:
 * WebGPU or plain WASM), Node scripts and tests pass the package's Node build. Same class, same
 * checks, both places.
 */
export type Ort = typeof OrtModule;

export class ModelContractError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ModelContractError';
  }
}

function toGraphValues(metadata: readonly InferenceSession.ValueMetadata[]): GraphValue[] {
  return metadata.map((m) =>
    m.isTensor
      ? {
          name: m.name,
          type: m.type,
          shape: m.shape.map((d) =>
            typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : null,
          ),
        }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

const PROVIDER_NAMES: Record<Provider, string> = { wasm: 'WASM', webgpu: 'WebGPU' };

/**
 * onnxruntime-web's reason, without its error-code wrapper, and in words a person can act on when
 * the bytes are not an ONNX model at all (the usual case: a wrong or truncated file).
 */
function describeOpenFailure(e: unknown, provider: Provider): string {
  const raw = e instanceof Error ? e.message : String(e);
  const reason = raw.replace(/^.*ERROR_MESSAGE:\s*/s, '').trim() || raw;
  if (/protobuf parsing failed|No graph was found/i.test(reason)) {
    return `the model file is not an ONNX model (onnxruntime-web: ${reason}): choose the .onnx file that torch.onnx.export or the trainer wrote`;
  }
  return `onnxruntime-web could not open the model on ${PROVIDER_NAMES[provider]}: ${reason}`;
}

/** How a WebGPU session is called: the calls, and the trials that choose their mode per shape. */
interface GpuCalls {
  calls: WebGpuSessionCalls;
  trials: CallModeTrials;
}

function sessionOptions(provider: Provider): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // On WebGPU the logits stay on the GPU until read: what IO binding needs, and the plain
    // tensors mode reads them with getData.
    ...(provider === 'webgpu' ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
  };
}

/** One onnxruntime-web session of a model package on one execution provider. */
export class OrtModel implements Denoiser {
  private readonly gpu: GpuCalls | null;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    readonly manifest: ModelManifest,
    readonly provider: Provider,
  ) {
    this.gpu = provider === 'webgpu' ? this.gpuCalls() : null;
  }

  private gpuCalls(): GpuCalls {
    return {
      calls: new WebGpuSessionCalls(this.ort, this.session, this.manifest.io.logits),
      trials: new CallModeTrials((): GpuCallMode[] => ['tensors', 'io-binding']),
    };
  }

  /** On WebGPU: each shape's chosen call mode with the trial's timings, and the modes dropped. */
  gpuCallModes() {
    if (!this.gpu) return null;
    return { decisions: this.gpu.trials.decisions(), dropped: this.gpu.trials.droppedModes() };
  }

  /** What the trial of this shape decided (null while it runs, or on WASM). */
  callModeDecision(batch: number, length: number): CallModeDecision | null {
    return this.gpu?.trials.decision(batch, length) ?? null;
  }

  /** Opens the model and checks it against its manifest; refuses it with every problem named. */
  static async create(
    ort: Ort,
    onnx: Uint8Array,
    manifest: ModelManifest,
    provider: Provider,
  ): Promise<OrtModel> {
    if (onnx.byteLength === 0) {
      throw new ModelContractError(['the model file is empty (0 bytes): choose the .onnx file']);
    }
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(onnx, sessionOptions(provider));
    } catch (e) {
      throw new Error(describeOpenFailure(e, provider), { cause: e });
    }
    const model = new OrtModel(ort, session, manifest, provider);
    const problems = checkGraphAgainstManifest(
      {
        inputs: toGraphValues(session.inputMetadata),
        outputs: toGraphValues(session.outputMetadata),
      },
      manifest,
    );
    if (problems.length === 0) {
      // A probe run checks what the declared signature may leave symbolic (the vocabulary size),
      // and its time what the declared window costs (windowCost.ts), before any warm-up runs it
      // dozens of times.
      const L = manifest.seqLen;
      const probe = new Int32Array(L).fill(manifest.special.mask);
      try {
        let started = performance.now();
        const logits = await model.run(probe, 1);
        let callMs = performance.now() - started;
        problems.push(...checkLogitsSize(logits.length, 1, L, manifest));
        if (problems.length === 0 && windowCostProblem({ seqLen: L, callMs })) {
          // A first call may include one-off work (WebGPU compiles its shaders): judge by a
          // second one before refusing.
          started = performance.now();
          await model.run(probe, 1);
          callMs = Math.min(callMs, performance.now() - started);
          const cost = windowCostProblem({ seqLen: L, callMs });
          if (cost) problems.push(cost);
        }
      } catch (e) {
        problems.push(
          `a test run on a window of ${L} [MASK] tokens failed (onnxruntime-web: ${(e as Error).message}): check "seqLen" and the model's inputs`,
        );
      }
    }
    if (problems.length > 0) {
      await model.release();
      throw new ModelContractError(problems);
    }
    return model;
  }

  get vocabSize(): number {
    return this.manifest.vocab.length;
  }
  get seqLen(): number {
    return this.manifest.seqLen;
  }
  get maskId(): number {
    return this.manifest.special.mask;
  }

  /** The Denoiser contract: the same as run(). */
  logits(tokens: Int32Array, batch: number, t?: Float32Array): Promise<Float32Array> {
    return this.run(tokens, batch, t);
  }

  /** tokens [batch*L]; t [batch] (defaults to each row's masked fraction when the graph takes t). */
  async run(tokens: Int32Array, batch: number, t?: Float32Array): Promise<Float32Array> {
    const { io, special } = this.manifest;
    const L = tokens.length / batch;
    if (!Number.isInteger(L) || L < 1 || L > this.manifest.seqLen) {
      throw new Error(
        `tokens must hold batch × length values with 1 ≤ length ≤ ${this.manifest.seqLen}`,
      );
    }
    const inputs: CallInput[] = [
      io.tokenType === 'int64'
        ? {
            name: io.tokens,
            type: 'int64',
            data: BigInt64Array.from(tokens, (v) => BigInt(v)),
            dims: [batch, L],
          }
        : { name: io.tokens, type: 'int32', data: tokens, dims: [batch, L] },
    ];
    if (io.t !== null) {
      let tt = t;
      if (!tt) {
        tt = new Float32Array(batch);
        for (let b = 0; b < batch; b++) {
          let masked = 0;
          for (let i = 0; i < L; i++) if (tokens[b * L + i] === special.mask) masked++;
          tt[b] = masked / L;
        }
      }
      inputs.push({ name: io.t, type: 'float32', data: tt, dims: [batch, 1] });
    }
    if (this.gpu) return this.runOnGpu(this.gpu, inputs, batch, L);
    return runWithTensors(this.ort, this.session, inputs, io.logits);
  }

  /**
   * A call in the mode its shape's trial gives (gpuCallModes.ts), timed for the trial. A mode
   * that fails is dropped for good and the call is made again with plain tensors.
   */
  private async runOnGpu(
    { calls, trials }: GpuCalls,
    inputs: CallInput[],
    batch: number,
    L: number,
  ): Promise<Float32Array> {
    const dims = [batch, L, this.manifest.vocab.length];
    const mode = trials.modeFor(batch, L);
    const started = performance.now();
    let out: Float32Array;
    try {
      out = await calls.call(mode, inputs, dims);
    } catch (e) {
      if (mode === 'tensors') throw e;
      trials.drop(mode, `failed: ${(e as Error).message}`);
      return this.runOnGpu({ calls, trials }, inputs, batch, L);
    }
    trials.record(batch, L, mode, performance.now() - started);
    return out;
  }

  async release(): Promise<void> {
    this.gpu?.calls.release();
    await this.session.release();
  }
}
