import { describe, expect, it } from 'vitest';
import { RecordBatcher } from './recordBatcher';

describe('RecordBatcher', () => {
  function setup(interval = 16) {
    let clock = 0;
    const sent: number[][] = [];
    const batcher = new RecordBatcher<number>(
      (items) => sent.push(items),
      interval,
      () => clock,
    );
    return { batcher, sent, tick: (ms: number) => (clock += ms) };
  }

  it('sends the first record at once, then groups the records made within an interval', () => {
    const { batcher, sent, tick } = setup();
    batcher.add(0);
    expect(sent).toEqual([[0]]);
    for (let i = 1; i <= 5; i++) {
      tick(3); // 3, 6, 9, 12, 15 ms after the first flush: all wait
      batcher.add(i);
    }
    expect(sent).toEqual([[0]]);
    tick(1); // 16 ms: this record goes with the five that waited
    batcher.add(6);
    expect(sent).toEqual([[0], [1, 2, 3, 4, 5, 6]]);
  });

  it('sends every record alone when calls are slower than the interval', () => {
    const { batcher, sent, tick } = setup();
    for (let i = 0; i < 4; i++) {
      batcher.add(i);
      tick(20);
    }
    expect(sent).toEqual([[0], [1], [2], [3]]);
  });

  it('flush sends what waits, in order, and nothing when nothing waits', () => {
    const { batcher, sent, tick } = setup();
    batcher.add(0);
    tick(1);
    batcher.add(1);
    batcher.add(2);
    batcher.flush();
    batcher.flush();
    expect(sent).toEqual([[0], [1, 2]]);
    // The interval restarts at a flush.
    tick(10);
    batcher.add(3);
    expect(sent).toHaveLength(2);
  });
});
