import { STRATEGY_NAMES, type StrategyName } from '../../core/sampler';
import type { RunKey } from '../../state/generationConfig';
import type { ConfigField, RunPlan } from '../../state/runPlan';
import { useAppStore } from '../../state/store';
import { NumberField } from './NumberField';
import { NewerSamplerKnobs } from './NewerSamplerKnobs';
import {
  blockMeaning,
  ignoresSteps,
  needsRemask,
  needsThreshold,
  STRATEGY_INFO,
  stepsMeaning,
  usesBlocks,
} from './strategyInfo';

/** Strategy, steps and block length of one run (run B's controls say "of run B"). */
export function RunSettingsFields({ runKey, plan }: { runKey: RunKey; plan: RunPlan | null }) {
  const settings = useAppStore((s) => s.config[runKey]);
  const setRunSettings = useAppStore((s) => s.setRunSettings);
  const of = runKey === 'a' ? '' : ' of run B';
  const invalid = (f: ConfigField) => plan?.problems.some((p) => p.field === f) ?? false;
  const blocks = usesBlocks(settings.strategy);
  return (
    <div className="run-settings">
      <div className="row">
        <label className="field">
          <span>Strategy{of}</span>
          <select
            aria-label={`Strategy${of}`}
            value={settings.strategy}
            aria-invalid={invalid(`${runKey}.strategy`) || undefined}
            onChange={(e) => setRunSettings(runKey, { strategy: e.target.value as StrategyName })}
          >
            {STRATEGY_NAMES.map((name) => (
              <option key={name} value={name}>
                {STRATEGY_INFO[name].title} ({name})
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label={`Steps${of}`}
          value={settings.steps}
          min={1}
          step={1}
          invalid={invalid(`${runKey}.steps`)}
          disabled={ignoresSteps(settings.strategy)}
          title={stepsMeaning(settings.strategy)}
          onChange={(v) => v !== null && setRunSettings(runKey, { steps: v })}
        />
        <NumberField
          label={`Block length${of}`}
          value={blocks ? settings.blockLength : null}
          nullable
          placeholder={blocks ? 'one block' : 'no blocks'}
          min={1}
          step={1}
          disabled={!blocks}
          invalid={invalid(`${runKey}.blockLength`)}
          title={blockMeaning(settings.strategy)}
          onChange={(v) => setRunSettings(runKey, { blockLength: v })}
        />
      </div>
      <p className="muted small strategy-summary">{STRATEGY_INFO[settings.strategy].summary}</p>
    </div>
  );
}

/** Whether a field's value is one the plan refuses. */
function useInvalid(plan: RunPlan | null) {
  return (f: ConfigField) => plan?.problems.some((p) => p.field === f) ?? false;
}

/**
 * The knobs beyond strategy and steps, grouped by what they change: how each guess is drawn,
 * how much of the window is written, the strategies' own knobs, and where [EOS] ranks. Shared
 * knobs apply to both runs of a comparison.
 */
export function SamplerKnobs({ plan }: { plan: RunPlan | null }) {
  const config = useAppStore((s) => s.config);
  const setConfig = useAppStore((s) => s.setConfig);
  const invalid = useInvalid(plan);
  const strategies = config.sideBySide
    ? [config.a.strategy, config.b.strategy]
    : [config.a.strategy];
  const threshold = strategies.some(needsThreshold);
  const remask = strategies.some(needsRemask);
  return (
    <>
      <fieldset className="knob-group">
        <legend>Drawing each guess</legend>
        <div className="row">
          <NumberField
            label="Temperature"
            value={config.temperature}
            min={0}
            step={0.1}
            invalid={invalid('temperature')}
            title="0 = greedy (argmax); > 0 samples with Gumbel-max"
            onChange={(v) => v !== null && setConfig({ temperature: v })}
          />
          <NumberField
            label="Top-k"
            value={config.topK}
            nullable
            placeholder="off"
            min={1}
            step={1}
            invalid={invalid('topK')}
            onChange={(v) => setConfig({ topK: v })}
          />
          <NumberField
            label="Top-p"
            value={config.topP}
            nullable
            placeholder="off"
            min={0}
            max={1}
            step={0.05}
            invalid={invalid('topP')}
            onChange={(v) => setConfig({ topP: v })}
          />
          <NumberField
            label="Seed"
            value={config.seed}
            min={0}
            step={1}
            invalid={invalid('seed')}
            title="The same seed and settings write the same run"
            onChange={(v) => v !== null && setConfig({ seed: v })}
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            aria-label="[EOS] last"
            checked={config.eosLast}
            onChange={(e) => setConfig({ eosLast: e.target.checked })}
          />
          [EOS] last: a guess of [EOS] is committed only when nothing else is left (LLaDA&apos;s
          confidence_eos_eot_inf)
        </label>
      </fieldset>
      <fieldset className="knob-group">
        <legend>Window</legend>
        <NumberField
          label="Length"
          value={config.length}
          nullable
          placeholder={plan ? `${plan.genLength} (all)` : 'all'}
          min={1}
          step={1}
          invalid={invalid('length')}
          title="Positions to write after the prompt; the rest of the window is pinned to [EOS]"
          onChange={(v) => setConfig({ length: v })}
        />
        <p className="muted small">
          Positions written after the prompt; the rest of the window is pinned to [EOS].
        </p>
      </fieldset>
      <fieldset className="knob-group">
        <legend>Strategy knobs</legend>
        <div className="row">
          <NumberField
            label="Threshold"
            value={config.threshold}
            min={0}
            max={1}
            step={0.05}
            disabled={!threshold}
            invalid={invalid('threshold')}
            title="Fast-dLLM: commit every prediction at least this probable; LLaDA2: every one more probable than this (at least the step's floor)"
            onChange={(v) => v !== null && setConfig({ threshold: v })}
          />
          <label className="field" title="ReMDM σ schedule: cap = min(η, σmax), rescale = η · σmax">
            <span>Remask schedule</span>
            <select
              aria-label="Remask schedule"
              value={config.remaskSchedule}
              disabled={!remask}
              onChange={(e) =>
                setConfig({ remaskSchedule: e.target.value === 'rescale' ? 'rescale' : 'cap' })
              }
            >
              <option value="cap">cap</option>
              <option value="rescale">rescale</option>
            </select>
          </label>
          <NumberField
            label="Remask η"
            value={config.remaskEta}
            min={0}
            max={1}
            step={0.05}
            disabled={!remask}
            invalid={invalid('remaskEta')}
            onChange={(v) => v !== null && setConfig({ remaskEta: v })}
          />
        </div>
        <NewerSamplerKnobs strategies={strategies} plan={plan} />
        <p className="muted small">
          Threshold: Fast-dLLM and LLaDA2. Remask schedule and η: ReMDM. The newer samplers&apos;
          own knobs appear when one of them is chosen. The others ignore them.
        </p>
      </fieldset>
    </>
  );
}

/** A second run (B) from the same seed, prompt and pins, with its own strategy and steps. */
export function CompareControls({ plan }: { plan: RunPlan | null }) {
  const sideBySide = useAppStore((s) => s.config.sideBySide);
  const setConfig = useAppStore((s) => s.setConfig);
  return (
    <fieldset className="knob-group">
      <legend>Compare</legend>
      <label className="check">
        <input
          type="checkbox"
          aria-label="Side by side"
          checked={sideBySide}
          onChange={(e) => setConfig({ sideBySide: e.target.checked })}
        />
        Side by side: a second run (B) from the same seed, prompt and pins
      </label>
      {sideBySide && <RunSettingsFields runKey="b" plan={plan} />}
    </fieldset>
  );
}
