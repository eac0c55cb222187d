import { useState } from 'react';
import { getDenoiser } from '../../state/denoiserInstance';
import { useAppStore } from '../../state/store';
import { Rng } from '../../core/rng';

/**
 * Runs one fixed input on WebGPU and on WASM and shows the largest logit difference, so a
 * person can see that the GPU computes the same model as the CPU.
 */
export function BackendCheck() {
  const manifest = useAppStore((s) => s.manifest);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!manifest) return null;

  const run = async () => {
    setBusy(true);
    setResult(null);
    try {
      const L = manifest.seqLen;
      const batch = 2;
      const rng = new Rng(7);
      const tokens = new Int32Array(batch * L);
      // Random words with about half of them masked: a typical denoising input.
      for (let i = 0; i < tokens.length; i++) {
        tokens[i] =
          rng.uniform() < 0.5 ? manifest.special.mask : 3 + rng.int(manifest.vocab.length - 3);
      }
      const { maxAbsDiff, providers } = await getDenoiser().compareProviders(tokens, batch);
      setResult(`max |Δ logit| ${providers.join(' vs ')}: ${maxAbsDiff.toExponential(2)}`);
    } catch (e) {
      setResult(`could not compare: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row small">
      <button type="button" onClick={() => void run()} disabled={busy}>
        Compare WebGPU and WASM
      </button>
      <output aria-label="Backend agreement">{busy ? 'running both…' : result}</output>
    </div>
  );
}
