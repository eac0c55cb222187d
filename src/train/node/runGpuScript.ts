import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { swiftShaderEnv } from './dawnDevice';

/**
 * Runs a TypeScript file in a fresh Node process on SwiftShader (tsx as the loader) and parses
 * the last line of its stdout as JSON. Rejects with the child's stderr when it fails, and with
 * swiftShaderEnv's message when SwiftShader is not installed.
 */
export function runGpuScript<T>(script: URL, args: string[] = [], timeoutMs = 120_000): Promise<T> {
  const env = swiftShaderEnv();
  const path = fileURLToPath(script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${path} exited with ${code ?? signal}:\n${stderr}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      try {
        resolve(JSON.parse(lines[lines.length - 1]) as T);
      } catch (error) {
        reject(
          new Error(`${path} printed no JSON result:\n${stdout}\n${stderr}`, { cause: error }),
        );
      }
    });
  });
}
