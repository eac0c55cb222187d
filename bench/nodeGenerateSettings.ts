/**
 * What `bench -- generate --host node` measures (nodeGenerateBench.ts), apart from the bench
 * itself so that the browser host can parse its options without loading Dawn.
 */
export const NODE_VARIANTS = [
  'wasm',
  'webgpu',
  'webgpu-io',
  'webgpu-capture',
  'webgpu-topk',
  'webgpu-io-topk',
  'webgpu-capture-topk',
] as const;
export type NodeVariant = (typeof NODE_VARIANTS)[number];

export interface NodeGenerateSettings {
  /** The shipped default model's package folder. */
  modelDir: string;
  models: ('default' | 'large')[];
  /** d, heads, layers, ffn of the larger model (its vocabulary and conditioning: the default's). */
  large: [number, number, number, number];
  shapes: { batch: number; length: number }[];
  variants: NodeVariant[];
  topK: number;
  calls: number;
  warmup: number;
  seed: number;
  /** WASM threads; undefined: the app's rule (src/runtime/wasmThreads.ts) for this machine. */
  wasmThreads?: number;
  /** This process is the child that runs one graph-capture variant (nodeGenerateBench.ts). */
  captureChild: boolean;
}
