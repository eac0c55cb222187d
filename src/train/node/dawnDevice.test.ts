import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { swiftShaderEnv } from './dawnDevice';

describe('swiftShaderEnv', () => {
  it('fails with a message naming the missing driver and the package that ships it', () => {
    expect(() => swiftShaderEnv({}, '/nonexistent/vk_swiftshader_icd.json')).toThrow(
      /vk_swiftshader_icd\.json is missing.*apt-get install chromium/s,
    );
  });

  it('points the Vulkan loader at the driver and its libraries, keeping the rest', () => {
    const existing = fileURLToPath(import.meta.url);
    const env = swiftShaderEnv({ LD_LIBRARY_PATH: '/opt/lib', HOME: '/root' }, existing);
    expect(env.VK_ICD_FILENAMES).toBe(existing);
    expect(env.LD_LIBRARY_PATH).toBe(`${path.dirname(existing)}:/opt/lib`);
    expect(env.HOME).toBe('/root');
  });
});
