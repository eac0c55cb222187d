import type { StrategyName } from '../../core/sampler';
import type { ConfigField, RunPlan } from '../../state/runPlan';
import { useAppStore } from '../../state/store';
import { NumberField } from './NumberField';
import { needsDus, needsEditing, needsEntropyBound } from './strategyInfo';

/**
 * The knobs only the newer samplers read (LLaDA2.1's editing, the EB-Sampler's γ, DUS's levels
 * and remasking), shown when a run uses one of them. Shared by both runs, like the others.
 */
export function NewerSamplerKnobs({
  strategies,
  plan,
}: {
  strategies: StrategyName[];
  plan: RunPlan | null;
}) {
  const config = useAppStore((s) => s.config);
  const setConfig = useAppStore((s) => s.setConfig);
  const invalid = (f: ConfigField) => plan?.problems.some((p) => p.field === f) ?? false;
  const editing = strategies.some(needsEditing);
  const entropy = strategies.some(needsEntropyBound);
  const dus = strategies.some(needsDus);
  if (!editing && !entropy && !dus) return null;
  return (
    <div className="row" role="group" aria-label="Newer sampler settings">
      {editing && (
        <>
          <NumberField
            label="Edit threshold"
            value={config.editThreshold}
            min={0}
            max={1}
            step={0.05}
            invalid={invalid('editThreshold')}
            title="LLaDA2.1: a written token is rewritten when the model now prefers another token with more than this probability"
            onChange={(v) => v !== null && setConfig({ editThreshold: v })}
          />
          <NumberField
            label="Tokens per call"
            value={config.numToTransfer}
            min={1}
            step={1}
            invalid={invalid('numToTransfer')}
            title="LLaDA2.1: at least this many masks are filled per call (the floor under the threshold)"
            onChange={(v) => v !== null && setConfig({ numToTransfer: v })}
          />
          <NumberField
            label="Post steps"
            value={config.maxPostSteps}
            min={0}
            step={1}
            invalid={invalid('maxPostSteps')}
            title="LLaDA2.1: at most this many calls per block after its last mask is filled (they only edit)"
            onChange={(v) => v !== null && setConfig({ maxPostSteps: v })}
          />
        </>
      )}
      {entropy && (
        <NumberField
          label="γ (bits)"
          value={config.entropyBound}
          min={0}
          step={0.25}
          invalid={invalid('entropyBound')}
          title="EB-Sampler: a mask is committed while the entropies of the ones taken before it sum to at most γ bits"
          onChange={(v) => v !== null && setConfig({ entropyBound: v })}
        />
      )}
      {dus && (
        <>
          <NumberField
            label="DUS base"
            value={config.dusBase}
            min={1}
            step={1}
            invalid={invalid('dusBase')}
            title="DUS: the stride is divided by this from level to level (1: one level, the whole block at once)"
            onChange={(v) => v !== null && setConfig({ dusBase: v })}
          />
          <label
            className="field"
            title="DUS: after each level but a block's last, take back the tokens just placed whose probability is below the DUS threshold"
          >
            <span>DUS remasking</span>
            <select
              aria-label="DUS remasking"
              value={config.dusRemasking}
              onChange={(e) =>
                setConfig({
                  dusRemasking: e.target.value === 'low_confidence' ? 'low_confidence' : 'none',
                })
              }
            >
              <option value="none">none</option>
              <option value="low_confidence">low confidence</option>
            </select>
          </label>
          <NumberField
            label="DUS threshold"
            value={config.dusThreshold}
            min={0}
            max={1}
            step={0.05}
            disabled={config.dusRemasking === 'none'}
            invalid={invalid('dusThreshold')}
            title="DUS: placed tokens less probable than this go back to [MASK] and stay there"
            onChange={(v) => v !== null && setConfig({ dusThreshold: v })}
          />
        </>
      )}
    </div>
  );
}
