import { describe, expect, it } from 'vitest';
import type { CommandSpec, OptionSpec } from '../scripts/cli/args';
import { splitBenchArgs } from './benchArgs';

const spec = (options: Record<string, OptionSpec>): CommandSpec<Record<string, OptionSpec>> => ({
  name: 'x',
  summary: 'x',
  options,
});

const benches = new Map([
  [
    'quality',
    spec({
      model: { type: 'string', description: 'm' },
      samples: { type: 'integer', description: 's' },
      quick: { type: 'boolean', description: 'q' },
    }),
  ],
  ['generate', spec({ calls: { type: 'integer', description: 'c' } })],
]);

describe('splitBenchArgs', () => {
  it('gives each bench the options written after its name', () => {
    expect(splitBenchArgs(['quality', '--samples', '5', 'generate', '--calls=3'], benches)).toEqual(
      {
        kind: 'groups',
        groups: [
          { name: 'quality', argv: ['--samples', '5'] },
          { name: 'generate', argv: ['--calls=3'] },
        ],
      },
    );
  });

  it('reads the word after a value flag as its value even when it is a bench name', () => {
    expect(splitBenchArgs(['quality', '--model', 'generate', '--quick'], benches)).toEqual({
      kind: 'groups',
      groups: [{ name: 'quality', argv: ['--model', 'generate', '--quick'] }],
    });
  });

  it('starts a new bench after a boolean flag', () => {
    const r = splitBenchArgs(['quality', '--quick', 'generate'], benches);
    expect(r.kind === 'groups' && r.groups.map((g) => g.name)).toEqual(['quality', 'generate']);
  });

  it('passes unknown options through to the bench, which refuses them itself', () => {
    expect(splitBenchArgs(['generate', '--nope', '1'], benches)).toEqual({
      kind: 'groups',
      groups: [{ name: 'generate', argv: ['--nope', '1'] }],
    });
  });

  it('returns no groups for no names, and help for a leading --help', () => {
    expect(splitBenchArgs([], benches)).toEqual({ kind: 'groups', groups: [] });
    expect(splitBenchArgs(['--help'], benches)).toEqual({ kind: 'help' });
  });

  it('refuses unknown names, options before a name and a name given twice', () => {
    expect(splitBenchArgs(['speed'], benches)).toEqual({
      kind: 'error',
      message: "unknown bench 'speed' (known: quality, generate)",
    });
    expect(splitBenchArgs(['--samples', '5', 'quality'], benches).kind).toBe('error');
    expect(splitBenchArgs(['quality', 'quality'], benches)).toEqual({
      kind: 'error',
      message: "bench 'quality' is named twice",
    });
  });
});
