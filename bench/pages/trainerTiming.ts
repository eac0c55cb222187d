import { planRounds } from '../trainTiming';
import type { TimingRequest, TrainerTiming } from './trainBenchApi';

/**
 * A trainer as the timing loop sees it: queue step i (on batch i), and a sync that waits for
 * every queued step and returns their losses in order. Each trainer keeps its own pipelining
 * (our WebGPU trainer keeps two steps in flight, TensorFlow.js queues its ops); a round ends
 * only when its last loss is on the CPU.
 */
export interface Stepper {
  step(index: number): void | Promise<void>;
  sync(): Promise<number[]>;
}

/**
 * Warm-up steps, each synced and timed on its own (stopping early once they used half the
 * budget), then the timed rounds of planRounds at the speed of the last warm-up step.
 */
export async function timeStepper(
  stepper: Stepper,
  request: TimingRequest,
): Promise<Omit<TrainerTiming, 'parityLoss' | 'details'>> {
  const losses: number[] = [];
  const warmupMs: number[] = [];
  let index = 0;
  let spent = 0;
  while (warmupMs.length < Math.max(1, request.warmup)) {
    const t0 = performance.now();
    await stepper.step(index++);
    losses.push(...(await stepper.sync()));
    const ms = performance.now() - t0;
    warmupMs.push(ms);
    spent += ms;
    if (spent > request.budgetMs / 2) break;
  }
  const rounds = planRounds({
    maxSteps: request.maxSteps,
    rounds: request.rounds,
    budgetMs: request.budgetMs,
    minSteps: request.minSteps,
    stepMs: warmupMs[warmupMs.length - 1],
  });
  const roundMs: number[] = [];
  for (const steps of rounds) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await stepper.step(index++);
    const roundLosses = await stepper.sync();
    roundMs.push(performance.now() - t0);
    losses.push(...roundLosses);
  }
  if (losses.length !== index) {
    throw new Error(`the trainer reported ${losses.length} losses for ${index} steps`);
  }
  return { roundMs, roundSteps: rounds, warmupMs, losses };
}
