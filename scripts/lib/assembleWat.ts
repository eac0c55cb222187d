import wabtInit from 'wabt';

/** Assembles WebAssembly text (SIMD enabled) into module bytes; throws wabt's errors. */
export async function assembleWat(name: string, text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(name, text, { simd: true });
  try {
    module.validate();
    return module.toBinary({ log: false }).buffer;
  } finally {
    module.destroy();
  }
}
