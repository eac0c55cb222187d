/**
 * Logits kept by the exact model input, so no model call is made twice for the same input: a
 * branch of a run (branch.ts) that reaches a window its parent already gave the model, with the
 * same t, reads the parent's logits instead of calling the model again.
 *
 * The key is the whole input of a batch-1 call: every token id and the float32 bits of t (or
 * "none"). Logits depend on nothing else for a given model, so whoever owns a cache clears it when
 * the model changes. Entries are evicted least recently used first beyond `maxBytes`.
 */
import type { LogitsModel } from './driver';
import type { Logits } from './softmax';

/**
 * How a caller uses the cache: 'use' reads it before calling the model and keeps what the model
 * returns; 'fill' always calls the model (a fresh run's counter counts every call it implies)
 * and keeps what it returns for later readers.
 */
export type CacheMode = 'use' | 'fill';

const bits = new Float32Array(1);
const bitsView = new Uint32Array(bits.buffer);

export function logitsKey(tokens: ArrayLike<number>, t?: ArrayLike<number> | null): string {
  let time = 'none';
  if (t && t.length > 0) {
    bits[0] = t[0];
    time = bitsView[0].toString(16);
  }
  return `${time}|${Array.prototype.join.call(tokens, ',')}`;
}

export class LogitsCache {
  private readonly entries = new Map<string, Logits>();
  private bytes = 0;
  /** Calls answered from the cache, and calls that went to the model, since construction. */
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /** A copy of the logits kept for this input, or undefined. */
  get(key: string): Logits | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.slice();
  }

  set(key: string, logits: Logits): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.byteLength;
      this.entries.delete(key);
    }
    if (logits.byteLength > this.maxBytes) return;
    this.entries.set(key, logits.slice());
    this.bytes += logits.byteLength;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** A model seen through a cache, with what it did for its own calls. */
export interface CachedModel extends LogitsModel {
  /** Calls that went to the model. */
  readonly calls: number;
  /** Calls answered from the cache. */
  readonly reused: number;
  /** Whether the latest call was answered from the cache. */
  readonly lastReused: boolean;
}

/**
 * `model` with its batch-1 calls going through `cache` (see CacheMode); larger batches go straight
 * to the model and are not kept.
 */
export function withLogitsCache(
  model: LogitsModel,
  cache: LogitsCache,
  mode: CacheMode,
): CachedModel {
  let calls = 0;
  let reused = 0;
  let lastReused = false;
  return {
    vocabSize: model.vocabSize,
    seqLen: model.seqLen,
    maskId: model.maskId,
    acceptsPrefix: model.acceptsPrefix,
    get calls() {
      return calls;
    },
    get reused() {
      return reused;
    },
    get lastReused() {
      return lastReused;
    },
    async logits(tokens, batch, t) {
      const key = batch === 1 ? logitsKey(tokens, t) : null;
      if (key !== null && mode === 'use') {
        const hit = cache.get(key);
        if (hit) {
          cache.hits++;
          reused++;
          lastReused = true;
          return hit;
        }
      }
      const out = await model.logits(tokens, batch, t);
      cache.misses++;
      calls++;
      lastReused = false;
      if (key !== null) cache.set(key, out);
      return out;
    },
  };
}
