import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { swiftShaderEnv } from '../../src/train/node/dawnDevice';
import type { CliIo } from '../cli/args';

/**
 * Runs a CLI script again in a child Node process whose Dawn finds SwiftShader (the dynamic
 * loader reads LD_LIBRARY_PATH only at start; see src/train/node/dawnDevice.ts), passing its
 * output through to `io` as it comes. Resolves with the child's exit code; a missing SwiftShader
 * is one line on stderr and exit code 1.
 */
export function rerunOnSwiftShader(
  script: URL,
  argv: readonly string[],
  io: CliIo,
  name: string,
): Promise<number> {
  return runNodeChild(['--import', 'tsx', fileURLToPath(script), ...argv], 'swiftshader', io, name);
}

/**
 * Runs `node ARGS…` with Dawn on SwiftShader or on the machine's own Vulkan driver ('native',
 * this process's environment), passing its output through to `io`. Resolves with its exit code.
 */
export function runNodeChild(
  args: readonly string[],
  adapter: 'swiftshader' | 'native',
  io: CliIo,
  name: string,
): Promise<number> {
  let env: NodeJS.ProcessEnv = process.env;
  if (adapter === 'swiftshader') {
    try {
      env = swiftShaderEnv();
    } catch (error) {
      io.stderr(`${name}: ${(error as Error).message}\n`);
      return Promise.resolve(1);
    }
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env });
    child.stdout.on('data', (chunk: Buffer) => io.stdout(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr(chunk.toString()));
    child.on('error', (error) => {
      io.stderr(`${name}: could not start a child process: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
