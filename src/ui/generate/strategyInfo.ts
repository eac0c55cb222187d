import { usesBlocks, type StrategyName } from '../../core/sampler';
import { strategyFor } from '../../core/sampler/strategies';

/** What a person reads next to the Strategy select: where the rule comes from and what it does. */
export const STRATEGY_INFO: Record<StrategyName, { title: string; summary: string }> = {
  article: {
    title: "The article's sampler",
    summary:
      'At s = S … 1, guess every masked position, keep the ⌊masked / s⌋ most confident guesses and send the rest back to [MASK].',
  },
  'llada.low_confidence': {
    title: 'LLaDA · low-confidence remasking',
    summary:
      'Commit a fixed share of the masks per step (an even split), choosing the most probable predictions; optional semi-autoregressive blocks.',
  },
  'llada.random': {
    title: 'LLaDA · random remasking',
    summary:
      'Same schedule as low-confidence, but which masks are committed is chosen at random: the model is ignored for the order.',
  },
  'fastdllm.threshold': {
    title: 'Fast-dLLM · confidence threshold',
    summary:
      'Commit every masked prediction whose probability reaches the threshold (at least one per call); a block takes as many calls as it needs.',
  },
  'dream.maskgit_plus': {
    title: 'Dream · MaskGIT+',
    summary:
      "Dream's time schedule decides how many to commit; the most probable predictions go first.",
  },
  'dream.topk_margin': {
    title: 'Dream · top-k margin',
    summary:
      "Dream's schedule; ranks predictions by the gap between the best and second-best token.",
  },
  'dream.entropy': {
    title: 'Dream · entropy',
    summary: "Dream's schedule; ranks predictions by low entropy of the whole distribution.",
  },
  remdm: {
    title: 'ReMDM · remasking committed tokens',
    summary:
      'Each call may send committed tokens back to [MASK] (probability σ from the schedule and η), then commits enough masks to stay on the even-split target.',
  },
  autoregressive: {
    title: 'Autoregressive · the typewriter',
    summary:
      'For a causal (next-token) model: one call per token, always the leftmost masked position, read from the logits one place to its left; stops at [EOS]. Steps are not used.',
  },
};

export const needsThreshold = (s: StrategyName) => s === 'fastdllm.threshold';
export const needsRemask = (s: StrategyName) => s === 'remdm';
export { usesBlocks };

/** The rule behind the strategy's confidence numbers (for the bars' scale and the legend). */
export function confidenceRuleOf(s: StrategyName) {
  return strategyFor(s).confidenceRule;
}

export const CONFIDENCE_RULE_TEXT = {
  probability: 'probability of the predicted token',
  margin: 'best minus second-best probability',
  negEntropy: 'negative entropy (0 = certain)',
  random: 'a random draw (the model is not asked)',
} as const;
