import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serialQueue';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('SerialQueue', () => {
  it('never runs two tasks at once and keeps their order', async () => {
    const q = new SerialQueue();
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      active++;
      most = Math.max(most, active);
      await tick();
      order.push(n);
      active--;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4].map((n) => q.run(task(n))));
    expect(results).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(most).toBe(1);
  });

  it('goes on after a task fails, and the failure reaches only its caller', async () => {
    const q = new SerialQueue();
    const failed = q.run(() => Promise.reject(new Error('boom')));
    const next = q.run(() => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
