/**
 * `npm run --silent golden -- FILE_OR_DIR…`: replays reference traces (schema dllm-golden/1)
 * through the project's sampler with the sinusoid mock denoiser. Prints `PASS name` or
 * `FAIL name: <first difference>` per file (directories expand to their *.json files, sorted),
 * then `N passed, M failed`. Exit code 0 when all pass, 1 on any failure, 2 for a bad command
 * line or a path that cannot be read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { replayGolden } from '../src/core/golden/replayGolden';
import { processIo, resolveArgs, type CliIo } from './cli/args';
import { isMainModule } from './cli/isMainModule';

const command = {
  name: 'golden',
  summary: 'Replays golden sampler traces through the project sampler with the sinusoid mock.',
  options: {},
  positionals: {
    name: 'FILE_OR_DIR',
    description: 'golden .json files or folders of them',
    min: 1,
  },
} as const;

/** Files to replay, in order; throws with a one-line reason for a path that cannot be read. */
export function expandPaths(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file or folder' : (code ?? (e as Error).message);
      throw new Error(`cannot read ${arg}: ${reason}`, { cause: e });
    }
    if (!isDir) {
      files.push(arg);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(arg);
    } catch (e) {
      throw new Error(`cannot read folder ${arg}: ${(e as Error).message}`, { cause: e });
    }
    const json = names.filter((n) => n.endsWith('.json')).sort();
    if (json.length === 0) throw new Error(`no .json files in ${arg}`);
    files.push(...json.map((n) => path.join(arg, n)));
  }
  return files;
}

/** Control characters as \\uXXXX, so no message from a file's bytes reaches the terminal raw. */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Why a file's bytes are no JSON text at all (a NUL byte, invalid UTF-8), or null. */
export function binaryReason(bytes: Uint8Array): string | null {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `a binary file (a NUL byte at offset ${nul}), not a JSON golden trace`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'not UTF-8 text, so not a JSON golden trace';
  }
  return null;
}

export async function runGoldenCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  let files: string[];
  const contents: Uint8Array[] = [];
  try {
    files = expandPaths(args.positionals);
    for (const file of files) {
      try {
        contents.push(readFileSync(file));
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw new Error(`cannot read ${file}: ${reason}`, { cause: e });
      }
    }
  } catch (e) {
    io.stderr(`golden: ${(e as Error).message}\n`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (let i = 0; i < files.length; i++) {
    const name = printable(path.basename(files[i]));
    const binary = binaryReason(contents[i]);
    if (binary) {
      io.stdout(`FAIL ${name}: ${binary}\n`);
      failed++;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(contents[i]));
    } catch (e) {
      io.stdout(`FAIL ${name}: not JSON (${printable((e as Error).message)})\n`);
      failed++;
      continue;
    }
    const result = await replayGolden(json);
    if (result.pass) {
      io.stdout(`PASS ${name}\n`);
      passed++;
    } else {
      io.stdout(`FAIL ${name}: ${result.firstDifference}\n`);
      failed++;
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

if (isMainModule(import.meta.url)) {
  void runGoldenCli(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}
