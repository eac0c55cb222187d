import { describe, expect, it } from 'vitest';
import {
  editedPositions,
  llada2FloorSchedule,
  llada2StepsPerBlock,
  postStepAllowed,
  thresholdOrFloor,
} from './llada2Rules';
import { resolveOptions } from './options';
import { startingTokens } from './state';

describe('LLaDA2 steps per block and floor schedule', () => {
  it('caps the steps at ⌊L / minimal_topk⌋ (the README: L = 20, minimal_topk 4, 8 steps → 5)', () => {
    expect(llada2StepsPerBlock(8, 20, 4)).toBe(5);
    expect(llada2StepsPerBlock(8, 20, 1)).toBe(8);
    expect(llada2StepsPerBlock(16, 15, 1)).toBe(15);
    expect(llada2StepsPerBlock(8, 20, 0)).toBe(8); // 0: no cap
  });

  it('splits the block size B evenly, larger counts first', () => {
    expect(llada2FloorSchedule(8, 5)).toEqual([2, 2, 2, 1, 1]);
    expect(llada2FloorSchedule(28, 8)).toEqual([4, 4, 4, 4, 3, 3, 3, 3]);
    expect(llada2FloorSchedule(16, 16)).toEqual(Array(16).fill(1));
    expect(llada2FloorSchedule(3, 5)).toEqual([1, 1, 1, 0, 0]); // s > B: zeros at the tail
  });
});

describe('thresholdOrFloor', () => {
  const candidates = Uint8Array.from([1, 1, 1, 1, 0]);
  const confidence = [0.95, 0.8, 0.85, 0.5, 0.99];

  it('takes every candidate strictly above the threshold when they reach the floor', () => {
    // 0.8 is not above 0.8; position 4 is above but not a candidate.
    expect(thresholdOrFloor(candidates, confidence, 0.8, 2)).toEqual({
      commit: [0, 2],
      path: 'threshold',
    });
    // More than the floor when more are above it.
    expect(thresholdOrFloor(candidates, confidence, 0.7, 1)).toEqual({
      commit: [0, 1, 2],
      path: 'threshold',
    });
  });

  it('falls back to the floor most confident, at most every candidate', () => {
    expect(thresholdOrFloor(candidates, confidence, 0.8, 3)).toEqual({
      commit: [0, 2, 1],
      path: 'floor',
    });
    expect(thresholdOrFloor(candidates, confidence, 0.99, 9).commit).toEqual([0, 2, 1, 3]);
  });

  it('with a floor of 0 commits only what is above the threshold, possibly nothing', () => {
    expect(thresholdOrFloor(candidates, confidence, 0.96, 0)).toEqual({
      commit: [],
      path: 'threshold',
    });
  });

  it('breaks ties in the floor by position, lower first', () => {
    const tied = [0.4, 0.6, 0.6, 0.6];
    expect(thresholdOrFloor(Uint8Array.from([1, 1, 1, 1]), tied, 0.9, 2).commit).toEqual([1, 2]);
  });
});

describe('LLaDA2.1 editing', () => {
  const MASK = 0;
  const options = resolveOptions({ strategy: 'llada21.edit', steps: 1, blockLength: 6 });
  // Prompt [5] at 0, a pinned word 4 at position 5; placed tokens at 1, 2, 3; position 4 masked.
  const base = startingTokens(
    { prompt: [5], genLength: 5, infill: [{ position: 5, token: 4 }] },
    MASK,
    options,
  );
  const tokens = Int32Array.from([5, 2, 3, 1, MASK, 4]);
  const state = { ...base, tokens };

  it('rewrites placed tokens whose argmax differs with confidence strictly above the threshold', () => {
    const prediction = Int32Array.from([1, 3, 3, 2, 2, 1]);
    const confidence = Float64Array.from([0.99, 0.95, 0.99, 0.9, 0.99, 0.99]);
    // 0: prompt; 1: 2 → 3 at 0.95 (edited); 2: same token; 3: confidence equal to the threshold
    // (not above); 4: masked (unmasking, not editing); 5: a pinned word.
    expect(editedPositions(state, { prediction, confidence }, 0, 6, 0.9)).toEqual([1]);
    // Only inside [start, end).
    expect(editedPositions(state, { prediction, confidence }, 2, 6, 0.9)).toEqual([]);
    expect(editedPositions(state, { prediction, confidence }, 0, 6, 0.89)).toEqual([1, 3]);
  });
});

describe('LLaDA2.1 post steps', () => {
  it('allows a post step while post ≤ max_post_steps', () => {
    expect(postStepAllowed(1, 0)).toBe(false);
    expect(postStepAllowed(1, 1)).toBe(true);
    expect(postStepAllowed(3, 3)).toBe(true);
    expect(postStepAllowed(4, 3)).toBe(false);
  });
});
