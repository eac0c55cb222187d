/** The strategy registry: each name of Contract 2 to its rule. */
import type { StrategyName } from '../options';
import { article } from './article';
import { autoregressive } from './autoregressive';
import { dreamEntropy, dreamMaskgitPlus, dreamTopkMargin } from './dream';
import { fastdllmThreshold } from './fastdllmThreshold';
import { lladaLowConfidence, lladaRandom } from './llada';
import { remdm } from './remdm';
import type { Strategy } from './strategy';

const STRATEGIES: Record<StrategyName, Strategy> = {
  'llada.low_confidence': lladaLowConfidence,
  'llada.random': lladaRandom,
  'fastdllm.threshold': fastdllmThreshold,
  'dream.maskgit_plus': dreamMaskgitPlus,
  'dream.topk_margin': dreamTopkMargin,
  'dream.entropy': dreamEntropy,
  article,
  remdm,
  autoregressive,
};

export function strategyFor(name: StrategyName): Strategy {
  return STRATEGIES[name];
}
