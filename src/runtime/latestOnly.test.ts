import { describe, expect, it } from 'vitest';
import { LatestOnly, type LatestOutcome } from './latestOnly';

/** A runner whose calls finish only when the test says so. */
function manualRunner() {
  const started: number[] = [];
  const finishers: ((v: string) => void)[] = [];
  const failers: ((e: Error) => void)[] = [];
  const run = (q: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(q);
      finishers.push(resolve);
      failers.push(reject);
    });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    run,
    started,
    finish: (i: number) => finishers[i](`answer ${started[i]}`),
    failers,
    settle,
  };
}

describe('LatestOnly', () => {
  it('answers a lone request as the latest', async () => {
    const m = manualRunner();
    const lo = new LatestOnly(m.run);
    const p = lo.request(7);
    expect(lo.busy).toBe(true);
    m.finish(0);
    expect(await p).toEqual({ status: 'answered', value: 'answer 7', latest: true });
    expect(lo.busy).toBe(false);
  });

  it('runs only the newest of the requests made while one runs, dropping the rest', async () => {
    const m = manualRunner();
    const lo = new LatestOnly(m.run);
    const outcomes: LatestOutcome<string>[] = [];
    const all = [1, 2, 3, 4].map((q) => lo.request(q).then((o) => void (outcomes[q] = o)));
    await m.settle();
    expect(m.started).toEqual([1]); // 2, 3 and 4 wait; only 4 is still waiting
    expect(outcomes[2]).toEqual({ status: 'dropped' });
    expect(outcomes[3]).toEqual({ status: 'dropped' });
    m.finish(0);
    await m.settle();
    expect(m.started).toEqual([1, 4]);
    // 1's answer arrives but it is no longer the newest request.
    expect(outcomes[1]).toEqual({ status: 'answered', value: 'answer 1', latest: false });
    m.finish(1);
    await Promise.all(all);
    expect(outcomes[4]).toEqual({ status: 'answered', value: 'answer 4', latest: true });
    expect(lo.stats).toEqual({ requested: 4, ran: 2, dropped: 2 });
  });

  it('passes a failure to its own request and keeps serving the next', async () => {
    const m = manualRunner();
    const lo = new LatestOnly(m.run);
    const failing = lo.request(1);
    const next = lo.request(2);
    m.failers[0](new Error('model broke'));
    await expect(failing).rejects.toThrow('model broke');
    await m.settle();
    m.finish(1);
    expect(await next).toEqual({ status: 'answered', value: 'answer 2', latest: true });
  });

  it('starts at once again after going idle, and can drop its waiting request', async () => {
    const m = manualRunner();
    const lo = new LatestOnly(m.run);
    const first = lo.request(1);
    m.finish(0);
    await first;
    const second = lo.request(2);
    expect(m.started).toEqual([1, 2]);
    const third = lo.request(3);
    lo.dropWaiting();
    expect(await third).toEqual({ status: 'dropped' });
    m.finish(1);
    expect(await second).toEqual({ status: 'answered', value: 'answer 2', latest: false });
    await m.settle();
    expect(m.started).toEqual([1, 2]);
  });
});
