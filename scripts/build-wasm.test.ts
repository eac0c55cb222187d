import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelsWat } from '../src/model/wasm/kernelsWat';
import { KERNELS_WASM_FILE, kernelsWasmSource } from './build-wasm';
import { assembleWat } from './lib/assembleWat';

describe('npm run build:wasm', () => {
  it('the committed kernel bytes are those of kernelsWat.ts (run `npm run build:wasm` if not)', async () => {
    const bytes = await assembleWat('kernels.wat', kernelsWat());
    expect(fs.readFileSync(KERNELS_WASM_FILE, 'utf8')).toBe(kernelsWasmSource(bytes));
  });
});
