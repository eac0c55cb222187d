import type { CommandSpec, OptionSpec } from '../scripts/cli/args';
import type { EmitLine } from './benchLine';

/** What a bench writes to: figures as JSON lines on stdout, progress in words on stderr. */
export interface BenchIo {
  emit: EmitLine;
  progress(text: string): void;
  /** Usage text and refusals of a bad command line (stdout for --help, stderr otherwise). */
  stdout(text: string): void;
  stderr(text: string): void;
}

/** One named benchmark of `npm run bench -- NAME [options]`. */
export interface BenchDefinition {
  name: string;
  summary: string;
  /** Its options, for --help and to tell which flags take a value. */
  command: CommandSpec<Record<string, OptionSpec>>;
  /** Parses its own options (after the name) and runs; returns the exit code. */
  run(argv: readonly string[], io: BenchIo): Promise<number>;
}
