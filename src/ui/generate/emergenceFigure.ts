/**
 * The decode-step map of a run as a figure: a row per model call, a column per position; each
 * cell says whether the model's top guess there already was the position's final token (agrees)
 * or not (differs), with the call that wrote the final token outlined (purple when it was an
 * edit), a dot where the final token first became the top guess, and the cells after the commit
 * pale. Pure: the cell kinds and layout, and the whole figure as standalone SVG text (the PNG is
 * that SVG drawn on a canvas), so the screen, the SVG and the PNG show the same thing.
 */
import type { EmergenceMap, TraceRecord } from '../../core/sampler';

export type GuessKind = 'agree' | 'differ' | 'none' | 'unseen' | 'pinned';

export interface EmergenceCell {
  call: number;
  position: number;
  kind: GuessKind;
  /** This call wrote the final token (committed or edited it). */
  written: boolean;
  edited: boolean;
  /** The final token first became the top guess at this call. */
  emerged: boolean;
  /** After the call that wrote the final token. */
  settled: boolean;
}

export const GUESS_COLOURS: Record<GuessKind, string> = {
  agree: '#2b8a3e',
  differ: '#f59f00',
  none: '#dee2e6',
  unseen: '#f1f3f5',
  pinned: '#d5dbe3',
};
export const WRITTEN_COLOUR = '#1d1d1f';
export const EDITED_COLOUR = '#7048e8';
export const SETTLED_ALPHA = 0.35;

export const GUESS_TEXT: Record<GuessKind, string> = {
  agree: 'top guess is the final token',
  differ: 'top guess is another token',
  none: 'no top guess recorded',
  unseen: 'not given to the model (prefix call)',
  pinned: 'pinned',
};

/** cells[call][position]. */
export function emergenceCells(
  map: EmergenceMap,
  records: readonly TraceRecord[],
): EmergenceCell[][] {
  return records.map((r, k) =>
    map.positions.map((p, i) => {
      const guess = p.topGuess[k];
      const kind: GuessKind = p.pinned
        ? 'pinned'
        : guess === null
          ? i >= r.inputLength
            ? 'unseen'
            : 'none'
          : guess === p.finalToken
            ? 'agree'
            : 'differ';
      return {
        call: k,
        position: i,
        kind,
        written: p.committedAt === k,
        edited: p.committedAt === k && r.status[i] === 'edited',
        emerged: p.emergedAt === k,
        settled: p.committedAt !== null && k > p.committedAt,
      };
    }),
  );
}

export interface EmergenceLayout {
  left: number;
  top: number;
  cellW: number;
  cellH: number;
  width: number;
  height: number;
}

/**
 * Cells as wide as fit in `maxWidth` with the call numbers on the left (at most 22 px), rows
 * shorter for long runs; `left` and `top` are the margins for the numbers.
 */
export function emergenceLayout(positions: number, calls: number, maxWidth = 360): EmergenceLayout {
  const left = 26;
  const top = 14;
  const cellW = Math.max(6, Math.min(22, Math.floor((maxWidth - left) / Math.max(1, positions))));
  const cellH = calls <= 24 ? 12 : Math.max(3, Math.floor(288 / calls));
  return { left, top, cellW, cellH, width: cellW * positions, height: cellH * Math.max(1, calls) };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The figure as a standalone SVG document: title, position and call numbers, the cells, the final
 * tokens under their columns, the tokens committed per call at the right, and a legend.
 */
export function emergenceSvg(
  map: EmergenceMap,
  records: readonly TraceRecord[],
  finalLabels: readonly string[],
  title: string,
): { svg: string; width: number; height: number } {
  const n = map.positions.length;
  const cells = emergenceCells(map, records);
  const L = emergenceLayout(n, map.calls, 22 * n + 30);
  const barsX = L.left + L.width + 8;
  const barMax = Math.max(1, ...map.committedPerCall.map((c, k) => c + map.editedPerCall[k]));
  const labelTop = L.top + 20 + L.height + 6;
  const legendTop = labelTop + 64;
  const width = Math.max(barsX + 60, 330);
  const height = legendTop + 62;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="9">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><pattern id="unseen" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#f1f3f5"/><line x1="0" y1="0" x2="0" y2="4" stroke="#adb5bd" stroke-width="1.5"/></pattern></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="4" y="12" font-size="11" font-weight="600">${escapeXml(title)}</text>`,
  );
  const top = L.top + 20;
  for (let i = 0; i < n; i++) {
    out.push(
      `<text x="${L.left + i * L.cellW + L.cellW / 2}" y="${top - 3}" text-anchor="middle">${i + 1}</text>`,
    );
  }
  cells.forEach((row, k) => {
    const y = top + k * L.cellH;
    out.push(
      `<text x="${L.left - 4}" y="${y + L.cellH / 2 + 3}" text-anchor="end">${k + 1}</text>`,
    );
    for (const c of row) {
      const x = L.left + c.position * L.cellW;
      const fill = c.kind === 'unseen' ? 'url(#unseen)' : GUESS_COLOURS[c.kind];
      const opacity = c.settled ? ` fill-opacity="${SETTLED_ALPHA}"` : '';
      out.push(
        `<rect class="cell" data-call="${k + 1}" data-position="${c.position + 1}" data-kind="${c.kind}" x="${x}" y="${y}" width="${L.cellW - 1}" height="${L.cellH - 1}" fill="${fill}"${opacity}/>`,
      );
      if (c.written) {
        out.push(
          `<rect class="written" x="${x + 0.75}" y="${y + 0.75}" width="${L.cellW - 2.5}" height="${L.cellH - 2.5}" fill="none" stroke="${c.edited ? EDITED_COLOUR : WRITTEN_COLOUR}" stroke-width="1.5"/>`,
        );
      }
      if (c.emerged) {
        out.push(
          `<circle class="emerged" cx="${x + L.cellW / 2 - 0.5}" cy="${y + L.cellH / 2 - 0.5}" r="${Math.max(1.5, Math.min(L.cellW, L.cellH) / 5)}" fill="#ffffff" stroke="${WRITTEN_COLOUR}" stroke-width="0.75"/>`,
        );
      }
    }
    const committed = map.committedPerCall[k];
    const edited = map.editedPerCall[k];
    const w = (v: number) => (v / barMax) * 50;
    out.push(
      `<rect class="bar" x="${barsX}" y="${y + 1}" width="${w(committed)}" height="${Math.max(1, L.cellH - 3)}" fill="#3b5bdb"/>`,
    );
    if (edited > 0) {
      out.push(
        `<rect class="bar-edited" x="${barsX + w(committed)}" y="${y + 1}" width="${w(edited)}" height="${Math.max(1, L.cellH - 3)}" fill="${EDITED_COLOUR}"/>`,
      );
    }
  });
  out.push(`<text x="${barsX}" y="${top - 3}">written</text>`);
  finalLabels.forEach((label, i) => {
    const x = L.left + i * L.cellW + L.cellW / 2 + 3;
    out.push(
      `<text class="final" x="${x}" y="${labelTop}" transform="rotate(-60 ${x} ${labelTop})" text-anchor="end">${escapeXml(label)}</text>`,
    );
  });
  const legend: [string, string][] = [
    [GUESS_COLOURS.agree, GUESS_TEXT.agree],
    [GUESS_COLOURS.differ, GUESS_TEXT.differ],
    [GUESS_COLOURS.pinned, GUESS_TEXT.pinned],
  ];
  legend.forEach(([colour, text], j) => {
    const y = legendTop + j * 11;
    out.push(
      `<rect x="4" y="${y}" width="9" height="9" fill="${colour}"/><text x="17" y="${y + 8}">${escapeXml(text)}</text>`,
    );
  });
  const notes = [
    'outline: the call that wrote the final token (purple: an edit)',
    'dot: the final token first became the top guess',
    'pale: after that write; bars: tokens written per call',
  ];
  notes.forEach((text, j) => {
    out.push(`<text x="4" y="${legendTop + 3 * 11 + 10 + j * 11}">${escapeXml(text)}</text>`);
  });
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}
