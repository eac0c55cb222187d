/**
 * d3 scales for the generation view: confidences to [0, 1] and to colours. Pure math, no DOM.
 */
import { hsl, interpolateViridis, scaleSequential } from 'd3';
import type { StrategyName } from '../../core/sampler';
import { confidenceRuleOf } from './strategyInfo';

/**
 * A confidence on a common 0–1 scale. Probabilities, margins and LLaDA's random draws already
 * are; Dream's entropy rule gives −H ∈ [−ln V, 0], the EB-Sampler's −H ∈ [−log₂ V, 0], mapped
 * linearly (0 = uniform, 1 = certain).
 * −∞ (LLaDA's EOS rule) ranks last: 0.
 */
export function confidenceUnit(strategy: StrategyName, value: number, vocabSize: number): number {
  if (!Number.isFinite(value)) return 0;
  const rule = confidenceRuleOf(strategy);
  const u =
    rule === 'negEntropy'
      ? 1 + value / Math.log(Math.max(2, vocabSize))
      : rule === 'negEntropyBits'
        ? 1 + value / Math.log2(Math.max(2, vocabSize))
        : value;
  return Math.min(1, Math.max(0, u));
}

// Viridis, dark purple (unsure) → green → yellow (sure): a sequential ramp whose every colour
// stands out from the grey of [MASK] and the page in both themes, and where a low confidence
// does not read as an error (as red would).
const confidenceScale = scaleSequential((t: number) => interpolateViridis(0.05 + 0.9 * t)).domain([
  0, 1,
]);

export const confidenceColour = (unit: number): string => confidenceScale(unit);

/** Black or white text, whichever reads better on the colour. */
export const textOn = (colour: string): string => (hsl(colour).l > 0.5 ? '#111' : '#fff');
