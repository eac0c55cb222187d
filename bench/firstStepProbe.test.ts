import { describe, expect, it } from 'vitest';
import {
  firstCallSelector,
  firstStepProbeScript,
  longTasksBefore,
  newcomerHash,
  PROBE_GLOBAL,
} from './firstStepProbe';

describe('longTasksBefore', () => {
  it('keeps the tasks that started before the moment, rounded', () => {
    const tasks = [
      { startMs: 100, durationMs: 52.4 },
      { startMs: 899.9, durationMs: 60.6 },
      { startMs: 900, durationMs: 70 },
      { startMs: 1500, durationMs: 80 },
    ];
    expect(longTasksBefore(tasks, 900)).toEqual([52, 61]);
    expect(longTasksBefore(tasks, 0)).toEqual([]);
  });
});

describe('newcomerHash', () => {
  const defaults = { ep: 'auto', model: 'toy-sentences' };
  it('is empty for the defaults: a bare URL', () => {
    expect(newcomerHash(defaults, defaults, '')).toBe('');
  });
  it('names only what differs, then the extra settings', () => {
    expect(newcomerHash({ ep: 'wasm', model: 'toy-sentences' }, defaults, '')).toBe('ep=wasm');
    expect(newcomerHash({ ep: 'auto', model: 'my model' }, defaults, '#speed=8')).toBe(
      'model=my%20model&speed=8',
    );
  });
});

describe('the probe', () => {
  it('watches the frame readout of a run of the given source', () => {
    expect(firstCallSelector('recorded')).toBe(
      'section[aria-label="Generate"]:has(section.run[data-source="recorded"]) ' +
        'output[aria-label="Frame"]:not([data-frame="0"])',
    );
  });
  it('is a script that parses and carries its options', () => {
    const script = firstStepProbeScript({
      startButton: 'Generate',
      click: false,
      startScope: 'section',
      stepSelector: 'a',
      arrivalShownSelector: 'b',
      arrivalSelector: 'c',
    });
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('"click":false');
    expect(script).toContain(JSON.stringify(PROBE_GLOBAL));
  });
});
