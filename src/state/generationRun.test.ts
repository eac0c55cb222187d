import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../core/sampler';
import { randomModel } from '../core/sampler/fakeModels.testutil';
import { expectedLastFrame, playableFrame, runFromTrace, tokensAt } from './generationRun';

describe('runFromTrace', () => {
  it('replays a whole trace: frame 0 is the start, frame f the window after call f', async () => {
    const trace = await runSamplerToEnd(
      randomModel(10, 8, 0, 5),
      { prompt: [4], genLength: 7 },
      { strategy: 'article', steps: 7, seed: 3 },
    );
    const run = runFromTrace(trace, { key: 'a', source: 'model' });
    expect(run.status).toBe('done');
    expect(playableFrame([run])).toBe(7);
    expect(expectedLastFrame(run)).toBe(7);
    expect(tokensAt(run, 0)).toEqual(trace.initial);
    expect(tokensAt(run, 3)).toEqual(trace.records[2].after);
    expect(tokensAt(run, 7)).toEqual(trace.final);
    // Past the last frame, the run keeps showing its end.
    expect(tokensAt(run, 99)).toEqual(trace.final);
    const imported = runFromTrace(trace, { key: 'b', source: 'import', fileName: 'x.json' });
    expect(imported).toMatchObject({ key: 'b', source: 'import', fileName: 'x.json' });
  });
});
