import { BufferUsage } from './gpuFlags';
import { ADAMW_WGSL, type AdamWPipelines } from './kernels/adamwKernel';
import {
  SOFTMAX_BACKWARD_WGSL,
  SOFTMAX_FORWARD_WGSL,
  type SoftmaxPipelines,
} from './kernels/attentionKernels';
import {
  EMBEDDING_BACKWARD_WGSL,
  EMBEDDING_FORWARD_WGSL,
  type EmbeddingPipelines,
} from './kernels/embeddingKernels';
import { GELU_BACKWARD_WGSL, GELU_FORWARD_WGSL, type GeluPipelines } from './kernels/geluKernels';
import {
  LAYER_NORM_BACKWARD_INPUT_WGSL,
  LAYER_NORM_BACKWARD_PARAMS_WGSL,
  LAYER_NORM_FORWARD_WGSL,
  type LayerNormPipelines,
} from './kernels/layerNormKernels';
import { CROSS_ENTROPY_WGSL, type LossPipelines, STEP_STATS_WGSL } from './kernels/lossKernels';
import {
  LARGE_TILE,
  type MatmulPipelines,
  matmulRegistersWgsl,
  matmulSharedWgsl,
  type MatmulVariant,
  matmulVec4Wgsl,
  matmulWgsl,
  SMALL_TILE,
  vec4LayoutKey,
  VEC4_LAYOUTS,
} from './kernels/matmulKernel';
import { type ReductionPipelines, SQUARED_NORM_PARTIALS_WGSL } from './kernels/reductionKernels';
import { SPLIT_K, SPLIT_K_REDUCE_WGSL, type SplitKSettings } from './kernels/splitKMatmul';

/** Every compute pipeline of the trainer, compiled once per device. */
export interface TrainerKernels {
  matmul: MatmulPipelines;
  /** With the tiled matmul, unless turned off: the sum of split-K partials and when to split. */
  splitK: { reduce: GPUComputePipeline; settings: SplitKSettings } | null;
  layerNorm: LayerNormPipelines;
  softmax: SoftmaxPipelines;
  gelu: GeluPipelines;
  embedding: EmbeddingPipelines;
  loss: LossPipelines;
  reduction: ReductionPipelines;
  adamw: AdamWPipelines;
  /** Buffers owned by the kernels (the matmul's placeholder bias); freed by destroy. */
  destroy(): void;
}

async function compile(
  device: GPUDevice,
  label: string,
  code: string,
): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label, code });
  try {
    return await device.createComputePipelineAsync({
      label,
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
  } catch (error) {
    const info = await module.getCompilationInfo();
    const messages = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    throw new Error(`WGSL kernel "${label}" is invalid: ${messages.join('; ') || error}`, {
      cause: error,
    });
  }
}

/**
 * True for CPU-emulated adapters (SwiftShader, llvmpipe/lavapipe, WARP, any fallback adapter),
 * where the barrier-free matmul is the fast one.
 */
export function isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  const words = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return (
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(words)
  );
}

/**
 * True when the device can run the 'shared' matmul: the 'subgroups' feature was enabled and
 * every subgroup has exactly 4 invocations (SwiftShader's SIMD width), the size it assumes.
 */
export function hasFourWideSubgroups(device: GPUDevice): boolean {
  const info = device.adapterInfo as
    (GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number }) | undefined;
  return (
    device.features.has('subgroups') && info?.subgroupMinSize === 4 && info.subgroupMaxSize === 4
  );
}

/**
 * The features to request for a trainer's device: 'subgroups' where the adapter has it (the
 * software-adapter matmul shares its loads through them), nothing else.
 */
export function trainerDeviceFeatures(adapter: GPUAdapter): GPUFeatureName[] {
  return adapter.features.has('subgroups') ? ['subgroups' as GPUFeatureName] : [];
}

export interface TrainerKernelOptions {
  /**
   * Which matmul to compile (matmulKernel.ts); by default, on a software adapter
   * (device.adapterInfo), 'shared' where the device has 4-wide subgroups and 'registers'
   * otherwise, and 'tiled' on a GPU.
   */
  matmul?: MatmulVariant;
  /** When the tiled matmul splits a product along k (splitKMatmul.ts); false: never. */
  splitK?: SplitKSettings | false;
}

function defaultVariant(device: GPUDevice): MatmulVariant {
  if (!isSoftwareAdapter(device.adapterInfo)) return 'tiled';
  return hasFourWideSubgroups(device) ? 'shared' : 'registers';
}

/** The scalar and vec4 register kernels out of the compiled pipelines. */
function registerPipelines(p: Record<string, GPUComputePipeline>) {
  return {
    registers: p.matmulRegisters,
    vec4: Object.fromEntries(
      VEC4_LAYOUTS.map((l) => [vec4LayoutKey(l), p[`matmulVec4${vec4LayoutKey(l)}`]]),
    ),
  };
}

/** Compiles all kernels (in parallel: drivers may compile on several threads). */
export async function createTrainerKernels(
  device: GPUDevice,
  options: TrainerKernelOptions = {},
): Promise<TrainerKernels> {
  const variant: MatmulVariant = options.matmul ?? defaultVariant(device);
  if (variant === 'shared' && !hasFourWideSubgroups(device)) {
    throw new Error("the 'shared' matmul needs the 'subgroups' feature with 4-wide subgroups");
  }
  const splitK = variant === 'tiled' && options.splitK !== false;
  const matmulSources: Record<string, string> =
    variant === 'tiled'
      ? {
          matmulLarge: matmulWgsl(LARGE_TILE),
          matmulSmall: matmulWgsl(SMALL_TILE),
          ...(splitK ? { splitKReduce: SPLIT_K_REDUCE_WGSL } : {}),
        }
      : {
          ...(variant === 'shared' ? { matmulShared: matmulSharedWgsl() } : {}),
          matmulRegisters: matmulRegistersWgsl(),
          ...Object.fromEntries(
            VEC4_LAYOUTS.map((l) => [`matmulVec4${vec4LayoutKey(l)}`, matmulVec4Wgsl(l)]),
          ),
        };
  const sources: Record<string, string> = {
    ...matmulSources,
    layerNormForward: LAYER_NORM_FORWARD_WGSL,
    layerNormBackwardInput: LAYER_NORM_BACKWARD_INPUT_WGSL,
    layerNormBackwardParams: LAYER_NORM_BACKWARD_PARAMS_WGSL,
    softmaxForward: SOFTMAX_FORWARD_WGSL,
    softmaxBackward: SOFTMAX_BACKWARD_WGSL,
    geluForward: GELU_FORWARD_WGSL,
    geluBackward: GELU_BACKWARD_WGSL,
    embeddingForward: EMBEDDING_FORWARD_WGSL,
    embeddingBackward: EMBEDDING_BACKWARD_WGSL,
    crossEntropy: CROSS_ENTROPY_WGSL,
    stepStats: STEP_STATS_WGSL,
    squaredNormPartials: SQUARED_NORM_PARTIALS_WGSL,
    adamw: ADAMW_WGSL,
  };
  const names = Object.keys(sources);
  const compiled = await Promise.all(names.map((n) => compile(device, n, sources[n])));
  const p = Object.fromEntries(names.map((n, i) => [n, compiled[i]]));
  const placeholder = device.createBuffer({
    label: 'matmul placeholder bias',
    size: 16,
    usage: BufferUsage.STORAGE,
  });
  return {
    matmul:
      variant === 'tiled'
        ? { variant, large: p.matmulLarge, small: p.matmulSmall, placeholder }
        : variant === 'shared'
          ? { variant, shared: p.matmulShared, ...registerPipelines(p), placeholder }
          : { variant, ...registerPipelines(p), placeholder },
    splitK: splitK ? { reduce: p.splitKReduce, settings: options.splitK || SPLIT_K } : null,
    layerNorm: {
      forward: p.layerNormForward,
      backwardInput: p.layerNormBackwardInput,
      backwardParams: p.layerNormBackwardParams,
    },
    softmax: { softmaxForward: p.softmaxForward, softmaxBackward: p.softmaxBackward },
    gelu: { geluForward: p.geluForward, geluBackward: p.geluBackward },
    embedding: { embeddingForward: p.embeddingForward, embeddingBackward: p.embeddingBackward },
    loss: { crossEntropy: p.crossEntropy, stepStats: p.stepStats },
    reduction: { squaredNormPartials: p.squaredNormPartials },
    adamw: { adamw: p.adamw },
    destroy: () => placeholder.destroy(),
  };
}
