import type { ModelManifest } from '../../src/model/manifest';
import type { Provider } from '../../src/runtime/protocol';

/** Messages of the bare-session worker: open one session, then time blocks of calls. */
export type BareRequest =
  | {
      kind: 'open';
      manifest: ModelManifest;
      onnx: ArrayBuffer;
      provider: Provider;
      threads: number;
    }
  | { kind: 'time'; batch: number; calls: number }
  | { kind: 'call'; batch: number };

export type BareResponse =
  | { kind: 'opened'; threadsInUse: number }
  | { kind: 'timed'; ms: number[] }
  | { kind: 'logits'; logits: Float32Array; ms: number }
  | { kind: 'error'; message: string };
