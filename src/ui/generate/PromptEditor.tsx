import { tokenize } from '../../core/vocabulary';
import type { ModelManifest } from '../../model/manifest';
import type { RunPlan } from '../../state/runPlan';
import { useAppStore } from '../../state/store';
import { tokenLabel } from './tokenText';
import { UnknownWords, type UnknownWordItem } from './UnknownWords';

const VOCAB_LIST_ID = 'vocabulary-words';

/** Unknown words of the prompt, each with one-click fixes. */
function usePromptFixes(plan: RunPlan | null): UnknownWordItem[] {
  const setConfig = useAppStore((s) => s.setConfig);
  if (!plan) return [];
  const words = plan.promptWords;
  return plan.promptUnknown.map((u) => ({
    where: `prompt word ${u.index + 1}`,
    word: u.word,
    suggestions: u.suggestions,
    fix: (s) => setConfig({ prompt: words.map((w, i) => (i === u.index ? s : w)).join(' ') }),
  }));
}

/** The prompt: words typed as text, pinned as a prefix of the window. */
export function PromptField({ plan }: { plan: RunPlan | null }) {
  const prompt = useAppStore((s) => s.config.prompt);
  const setConfig = useAppStore((s) => s.setConfig);
  const fixes = usePromptFixes(plan);
  return (
    <div className="prompt-field">
      <label className="field wide">
        <span>Prompt</span>
        <input
          aria-label="Prompt"
          type="text"
          value={prompt}
          placeholder="e.g. the cat (optional)"
          list={VOCAB_LIST_ID}
          aria-invalid={plan?.problems.some((p) => p.field === 'prompt') || undefined}
          onChange={(e) => setConfig({ prompt: e.target.value })}
        />
      </label>
      <UnknownWords items={fixes} label="Unknown prompt words" />
    </div>
  );
}

/**
 * The window as the sampler will get it: the prompt's words, then a cell per position where a
 * word can be pinned anywhere in the written region (infilling) or left blank for the model,
 * then the [EOS] tail that Length leaves. Unknown words are flagged with the nearest known
 * words, which fix them in one click.
 */
export function PinRow({ plan, manifest }: { plan: RunPlan; manifest: ModelManifest }) {
  const config = useAppStore((s) => s.config);
  const setPin = useAppStore((s) => s.setPin);
  const pinAt = new Map(config.pins.map((p) => [p.position, p.word]));
  const unknownPins = new Set(plan.pinUnknown.map((u) => u.position));
  const words = plan.promptWords;
  const tailStart = plan.promptLength + plan.length;
  const pinItems: UnknownWordItem[] = plan.pinUnknown.map((u) => ({
    where: `position ${u.position + 1}`,
    word: u.word,
    suggestions: u.suggestions,
    fix: (s) => setPin(u.position, s),
  }));

  return (
    <fieldset className="knob-group prompt-editor">
      <legend>Pinned words</legend>
      <div className="pin-row" role="group" aria-label="Pinned words by position">
        {Array.from({ length: manifest.seqLen }, (_, p) => {
          if (p < plan.promptLength) {
            return (
              <span key={p} className="pin pin-prompt" title={`position ${p + 1}: prompt`}>
                {words[p]}
              </span>
            );
          }
          if (p >= tailStart) {
            return (
              <span key={p} className="pin pin-tail" title={`position ${p + 1}: [EOS] (Length)`}>
                {manifest.special.eos !== undefined
                  ? tokenLabel(manifest, manifest.special.eos)
                  : ''}
              </span>
            );
          }
          return (
            <input
              key={p}
              className="pin"
              type="text"
              aria-label={`Pin at position ${p + 1}`}
              placeholder={String(p + 1)}
              list={VOCAB_LIST_ID}
              value={pinAt.get(p) ?? ''}
              aria-invalid={unknownPins.has(p) || undefined}
              onChange={(e) => setPin(p, e.target.value)}
            />
          );
        })}
      </div>
      <p className="muted small">
        Type a word into a position to pin it (the model writes around it), or leave it blank.
        {tokenize(config.prompt).length > 0 ? ' The prompt fills the first positions.' : ''} Words
        come from the model&apos;s vocabulary of {manifest.vocab.length} tokens.
      </p>
      <UnknownWords items={pinItems} label="Unknown pinned words" />
    </fieldset>
  );
}

/** The words a prompt or pin may use, offered while typing. */
export function VocabularyList({ manifest }: { manifest: ModelManifest }) {
  return (
    <datalist id={VOCAB_LIST_ID}>
      {manifest.vocab.map((w) =>
        w === manifest.vocab[manifest.special.mask] ? null : <option key={w} value={w} />,
      )}
    </datalist>
  );
}
