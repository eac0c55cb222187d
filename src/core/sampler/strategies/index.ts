/** The strategy registry: each name of Contract 2 to its rule. */
import type { StrategyName } from '../options';
import { article } from './article';
import { autoregressive } from './autoregressive';
import { dreamEntropy, dreamMaskgitPlus, dreamTopkMargin } from './dream';
import { dusDilated } from './dusDilated';
import { ebEntropyBound } from './ebEntropyBound';
import { fastdllmThreshold } from './fastdllmThreshold';
import { human } from './human';
import { lladaLowConfidence, lladaRandom } from './llada';
import { llada21Edit } from './llada21Edit';
import { llada2Threshold } from './llada2Threshold';
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
  'llada2.threshold': llada2Threshold,
  'llada21.edit': llada21Edit,
  'eb.entropy_bound': ebEntropyBound,
  'dus.dilated': dusDilated,
  human,
};

export function strategyFor(name: StrategyName): Strategy {
  return STRATEGIES[name];
}
