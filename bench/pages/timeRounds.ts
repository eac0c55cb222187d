/**
 * Runs `run` once untimed (compilation, first allocations), then `rounds` times, and returns
 * the milliseconds of each timed round.
 */
export async function timeRounds(run: () => Promise<void>, rounds: number): Promise<number[]> {
  await run();
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}
