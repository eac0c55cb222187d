import { blockAlignment, ignoresSteps, usesBlocks, type StrategyName } from '../../core/sampler';
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
  'llada2.threshold': {
    title: 'LLaDA2.0 · threshold, block-causal',
    summary:
      'Blocks from the first position, left to right, the model seeing only the window up to the end of the block; each step commits every mask above the threshold, or at least the even share of the block (steps per block).',
  },
  'llada21.edit': {
    title: 'LLaDA2.1 · threshold with editing',
    summary:
      'LLaDA2.0’s blocks and threshold, plus editing: a token already written in the block is rewritten when the model now prefers another above the edit threshold, with extra calls after the block is full while it still edits.',
  },
  'eb.entropy_bound': {
    title: 'EB-Sampler · entropy bound',
    summary:
      'Commits the most certain masks of the block while the entropies of those taken before each one sum to at most γ bits: many tokens when the model is sure, one when it is not.',
  },
  'dus.dilated': {
    title: 'DUS · dilated schedule',
    summary:
      'A model-free order: each block is written in dilated levels whose positions are spread out (strides halving), one call per level; optionally takes back placed tokens below a confidence threshold, for good.',
  },
  human: {
    title: 'You · be the sampler',
    summary:
      'A person decides: at each call the model’s guesses and confidences are shown at every masked position, and the person commits the ones they choose, or types a word of their own.',
  },
};

/** Which strategies read each shared knob (the control is disabled otherwise). */
export const needsThreshold = (s: StrategyName) =>
  s === 'fastdllm.threshold' || s === 'llada2.threshold' || s === 'llada21.edit';
export const needsRemask = (s: StrategyName) => s === 'remdm';
export const needsEditing = (s: StrategyName) => s === 'llada21.edit';
export const needsEntropyBound = (s: StrategyName) => s === 'eb.entropy_bound';
export const needsDus = (s: StrategyName) => s === 'dus.dilated';
export { ignoresSteps, usesBlocks };

/** What the Steps control means for a strategy (its tooltip). */
export function stepsMeaning(s: StrategyName): string {
  if (s === 'autoregressive') return 'Autoregressive decoding makes one call per token written';
  if (s === 'llada21.edit') return 'LLaDA2.1 makes as many calls as its threshold and edits need';
  if (s === 'dus.dilated') return 'DUS makes one call per dilated level of each block';
  if (s === 'llada2.threshold')
    return 'Steps per block: the block size is split evenly over them as the floor of each step';
  return 'Model calls (Fast-dLLM and the EB-Sampler: a bound that must split evenly into the blocks)';
}

/** What the Block length control means for a strategy. */
export function blockMeaning(s: StrategyName): string {
  const align = blockAlignment(s);
  if (align === 'zero')
    return 'Blocks from the first position of the window (the prompt inside them); the last block may be shorter';
  if (align === 'prompt')
    return 'Semi-autoregressive blocks, left to right; must divide the positions after the prompt';
  return 'Only LLaDA, Fast-dLLM, LLaDA2, the EB-Sampler and DUS work in blocks';
}

/** The rule behind the strategy's confidence numbers (for the bars' scale and the legend). */
export function confidenceRuleOf(s: StrategyName) {
  return strategyFor(s).confidenceRule;
}

export const CONFIDENCE_RULE_TEXT = {
  probability: 'probability of the predicted token',
  margin: 'best minus second-best probability',
  negEntropy: 'negative entropy (0 = certain)',
  negEntropyBits: 'negative entropy in bits (0 = certain)',
  random: 'a random draw (the model is not asked)',
} as const;
