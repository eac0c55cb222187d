import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { runSampler } from '../core/sampler';
import { parseManifest, type ModelManifest } from '../model/manifest';
import { readOnnxModel } from '../model/onnx/readOnnxModel';
import { ModelContractError, OrtModel } from './ortModel';

/**
 * Bring your own model, proven on a real PyTorch export: the article's DiffusionLM
 * (nn.TransformerEncoder) exported by scripts/export_article_model.py with torch.onnx.export.
 * Its manifest alone must be enough to open it, onnxruntime-web must compute the logits PyTorch
 * computed (reference.json), and manifests that lie about it must be refused with every problem
 * named.
 */

const FIXTURE = path.resolve(import.meta.dirname, '../../e2e/fixtures/article-diffusionlm');
const TOLERANCE = 1e-4;

interface Reference {
  tokens: number[][];
  t: number[][];
  shape: [number, number, number];
  logits: number[][][];
}

const onnx = new Uint8Array(fs.readFileSync(path.join(FIXTURE, 'model.onnx')));
const manifestJson = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'manifest.json'), 'utf8')) as {
  [key: string]: unknown;
};
const reference = JSON.parse(
  fs.readFileSync(path.join(FIXTURE, 'reference.json'), 'utf8'),
) as Reference;

/** The fixture's manifest with some fields replaced, parsed as the page parses it. */
function manifestWith(patch: (m: ModelManifest) => ModelManifest): ModelManifest {
  return patch(parseManifest(structuredClone(manifestJson)));
}

async function problemsOpening(manifest: ModelManifest): Promise<string[]> {
  try {
    const model = await OrtModel.create(ort, onnx, manifest, 'wasm');
    await model.release();
  } catch (e) {
    if (e instanceof ModelContractError) return e.problems;
    throw e;
  }
  return [];
}

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe("the article's DiffusionLM exported by torch.onnx.export", () => {
  it('is a standard-op graph with the article interface (x_t int64 [B, L], t float32 [B, 1])', () => {
    const summary = readOnnxModel(onnx);
    expect(summary.inputs).toEqual([
      { name: 'x_t', type: 'int64', shape: ['batch', 'length'], rank: 2 },
      { name: 't', type: 'float32', shape: ['batch', 1], rank: 2 },
    ]);
    expect(summary.outputs).toEqual([
      { name: 'logits', type: 'float32', shape: ['batch', 'length', 32], rank: 3 },
    ]);
    expect(summary.producer).toBe('pytorch');
    expect(summary.opset).toBeGreaterThanOrEqual(14);
    // The fused encoder kernel (PyTorch's "fast path") has no ONNX form; the export must have
    // taken the standard modules: attention as MatMul + Softmax, norms as LayerNormalization.
    expect(summary.opTypes).toEqual(expect.arrayContaining(['MatMul', 'Softmax', 'Gather']));
    expect(summary.opTypes).toContain('LayerNormalization');
    for (const op of summary.opTypes) expect(op).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it('opens with its manifest alone and computes the logits PyTorch computed', async () => {
    const manifest = parseManifest(manifestJson);
    const model = await OrtModel.create(ort, onnx, manifest, 'wasm');
    try {
      const [B, L, V] = reference.shape;
      expect([B, L, V]).toEqual([2, manifest.seqLen, manifest.vocab.length]);
      const tokens = Int32Array.from(reference.tokens.flat());
      const expected = reference.logits.flat(2);
      const explicitT = await model.run(tokens, B, Float32Array.from(reference.t.flat()));
      // Without t the model feeds each row's masked fraction, which is how the reference's t was
      // chosen (half masked: 0.5; all masked: 1), so both calls must match PyTorch.
      const defaultT = await model.run(tokens, B);
      for (const got of [explicitT, defaultT]) {
        expect(got.length).toBe(expected.length);
        let maxDiff = 0;
        for (let i = 0; i < got.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
        }
        expect(maxDiff).toBeLessThan(TOLERANCE);
      }
      // Logits of order 1, so the tolerance is a real test; and t does change them.
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.5);
      const otherT = await model.run(tokens, B, new Float32Array([0.1, 0.1]));
      expect(Math.abs(otherT[0] - expected[0])).toBeGreaterThan(10 * TOLERANCE);
    } finally {
      await model.release();
    }
  });

  it('is refused when its manifest declares a window it cannot afford, with the measured figures', async () => {
    // The case: a model trained at 16 whose manifest says 4096. The graph takes any
    // length, so only the timed test run can tell; a call at 4096 takes far more than the
    // 29 ms that would let 4096 calls fit the budget.
    const problems = await problemsOpening(manifestWith((m) => ({ ...m, seqLen: 4096 })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^"seqLen" is 4096: one model call on a window of 4096 tokens took [\d.]+ (ms|s) here, so a generation at S = L \(4,096 calls\) would take about \d+ min; the page opens models whose S = L generation takes at most 2 min\. If the model was trained on a shorter window, set "seqLen" to that length\.$/,
    );
  });

  it("drives the article's sampler to a full window with no [MASK] left", async () => {
    const manifest = parseManifest(manifestJson);
    const model = await OrtModel.create(ort, onnx, manifest, 'wasm');
    try {
      const denoiser = {
        vocabSize: manifest.vocab.length,
        seqLen: manifest.seqLen,
        maskId: manifest.special.mask,
        logits: (tokens: Int32Array, batch: number, t?: Float32Array) =>
          model.run(tokens, batch, t),
      };
      const steps = 4;
      const run = runSampler(
        denoiser,
        { prompt: [], genLength: manifest.seqLen },
        { strategy: 'article', steps, seed: 3, temperature: 1, timeInput: 'nominal' },
      );
      let calls = 0;
      let next = await run.next();
      while (!next.done) {
        calls++;
        next = await run.next();
      }
      expect(calls).toBe(steps);
      expect(next.value.final).toHaveLength(manifest.seqLen);
      for (const token of next.value.final) {
        expect(token).not.toBe(manifest.special.mask);
        expect(token).toBeGreaterThanOrEqual(0);
        expect(token).toBeLessThan(manifest.vocab.length);
      }
    } finally {
      await model.release();
    }
  });

  it('refuses a manifest that claims int32 tokens, naming the field and the fix', async () => {
    const problems = await problemsOpening(
      manifestWith((m) => ({ ...m, io: { ...m.io, tokenType: 'int32' } })),
    );
    expect(problems).toEqual([
      '"io.tokenType" says int32, but the model\'s input "x_t" holds int64: set "io.tokenType" to "int64"',
    ]);
  });

  it('refuses a manifest that names a wrong input, suggesting the right one', async () => {
    const problems = await problemsOpening(
      manifestWith((m) => ({ ...m, io: { ...m.io, tokens: 'tokens' } })),
    );
    expect(problems).toEqual([
      '"io.tokens" names the input "tokens", but the model\'s inputs are "x_t", "t": set "io.tokens" to "x_t"',
    ]);
  });

  it('refuses a vocabulary of the wrong size', async () => {
    const problems = await problemsOpening(
      manifestWith((m) => ({ ...m, vocab: m.vocab.slice(0, 30) })),
    );
    expect(problems).toEqual([
      '"vocab" lists 30 tokens, but the model gives 32 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
    ]);
  });

  it('names every problem of a manifest that is wrong in several ways at once', async () => {
    const problems = await problemsOpening(
      manifestWith((m) => ({
        ...m,
        io: { tokens: 'x_t', t: 'ratio', logits: 'out', tokenType: 'int32' },
        vocab: [...m.vocab, 'extra'],
      })),
    );
    expect(problems).toEqual([
      '"io.tokenType" says int32, but the model\'s input "x_t" holds int64: set "io.tokenType" to "int64"',
      '"io.t" names the input "ratio", but the model\'s inputs are "x_t", "t": set "io.t" to "t"',
      '"io.logits" names the output "out", but the model\'s outputs are "logits": set it to the logits output\'s name',
    ]);
  });

  it('says in words when the bytes are not an ONNX model at all', async () => {
    const manifest = parseManifest(manifestJson);
    await expect(OrtModel.create(ort, new Uint8Array(0), manifest, 'wasm')).rejects.toThrow(
      'the model file is empty (0 bytes): choose the .onnx file',
    );
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    await expect(OrtModel.create(ort, noise, manifest, 'wasm')).rejects.toThrow(
      /^the model file is not an ONNX model \(onnxruntime-web: .*protobuf parsing failed.*\): choose the \.onnx file/,
    );
  });
});

describe("the article's DiffusionLM with [MASK] alone (special: { mask: 0 })", () => {
  const dir = path.resolve(import.meta.dirname, '../../e2e/fixtures/article-mask-only');
  const maskOnlyOnnx = new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx')));
  const maskOnlyManifest = parseManifest(
    JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')),
  );
  const maskOnlyReference = JSON.parse(
    fs.readFileSync(path.join(dir, 'reference.json'), 'utf8'),
  ) as Reference;

  it('is the same export with no [PAD] or [EOS]: it opens and computes what PyTorch computed', async () => {
    expect(maskOnlyManifest.special).toEqual({ mask: 0 });
    expect(maskOnlyManifest.vocab).toHaveLength(32);
    expect(maskOnlyManifest.vocab.filter((w) => w.startsWith('['))).toEqual(['[MASK]']);
    const model = await OrtModel.create(ort, maskOnlyOnnx, maskOnlyManifest, 'wasm');
    try {
      const [B] = maskOnlyReference.shape;
      const got = await model.run(
        Int32Array.from(maskOnlyReference.tokens.flat()),
        B,
        Float32Array.from(maskOnlyReference.t.flat()),
      );
      const expected = maskOnlyReference.logits.flat(2);
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
      expect(got.length).toBe(expected.length);
      expect(maxDiff).toBeLessThan(TOLERANCE);
      // Another model than the first fixture (its own seed): a trace of one is not the other's.
      expect(Buffer.compare(Buffer.from(maskOnlyOnnx), Buffer.from(onnx))).not.toBe(0);
    } finally {
      await model.release();
    }
  });
});
