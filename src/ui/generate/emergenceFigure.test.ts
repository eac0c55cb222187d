import { describe, expect, it } from 'vitest';
import { answerEmergence, type PositionStatus, type TraceRecord } from '../../core/sampler';
import { emergenceCells, emergenceLayout, emergenceSvg } from './emergenceFigure';

const M = 0;
function rec(
  call: number,
  before: number[],
  after: number[],
  status: PositionStatus[],
  guesses: number[],
  inputLength = before.length,
): TraceRecord {
  return {
    call,
    block: 0,
    stepInBlock: call,
    t: null,
    inputLength,
    committed: status.filter((s) => s === 'committed').length,
    remasked: 0,
    edited: status.filter((s) => s === 'edited').length,
    before,
    after,
    prediction: guesses,
    confidence: guesses.map(() => 0.5),
    candidate: before.map((t) => t === M),
    status,
    topK: guesses.map((token, i) => (i < inputLength ? [{ token, prob: 0.5 }] : [])),
  };
}

// Prompt 9; position 1 written 3 at call 0, edited to 4 at call 1; position 2 unseen at call 0.
const records = [
  rec(0, [9, M, M], [9, 3, M], ['pinned', 'committed', 'masked'], [9, 3, 5], 2),
  rec(1, [9, 3, M], [9, 4, 6], ['pinned', 'edited', 'committed'], [9, 4, 6]),
];
const map = answerEmergence({
  initial: [9, M, M],
  pinned: [true, false, false],
  maskId: M,
  records,
  greedy: true,
});

describe('emergence figure', () => {
  it('gives each cell its kind, the write, the edit and the emergence', () => {
    const cells = emergenceCells(map, records);
    expect(cells.map((row) => row.map((c) => c.kind))).toEqual([
      ['pinned', 'differ', 'unseen'],
      ['pinned', 'agree', 'agree'],
    ]);
    expect(cells[1][1]).toMatchObject({ written: true, edited: true, emerged: true });
    expect(cells[0][1]).toMatchObject({ written: false, settled: false });
    expect(cells[1][2]).toMatchObject({ written: true, edited: false, emerged: true });
  });

  it('fits the cells in the width it is given', () => {
    expect(emergenceLayout(16, 10).width).toBeLessThanOrEqual(360 - 30);
    expect(emergenceLayout(16, 10).cellH).toBe(12);
    expect(emergenceLayout(16, 96).height).toBeLessThanOrEqual(288);
  });

  it('writes a standalone SVG with a cell per call and position and the final tokens', () => {
    const { svg, width, height } = emergenceSvg(map, records, ['the', 'cat', 'a<b'], 'Title & co');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(svg.match(/<rect class="cell"/g)).toHaveLength(6);
    expect(svg.match(/class="written"/g)).toHaveLength(2);
    expect(svg).toContain('data-call="2" data-position="2" data-kind="agree"');
    expect(svg).toContain('fill="url(#unseen)"');
    expect(svg).toContain('>a&lt;b</text>');
    expect(svg).toContain('<title>Title &amp; co</title>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
