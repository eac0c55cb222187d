import { memo } from 'react';
import { useAppStore } from '../../state/store';
import type { MaskScope } from '../../state/explorerSlice';
import type { ExplorerSentence } from './sentenceWindow';

/** The sentence (typed, or drawn from the corpus) and its unknown words. */
export const SentenceEditor = memo(function SentenceEditor({
  sentence,
  corpus,
}: {
  sentence: ExplorerSentence;
  corpus: string;
}) {
  const text = useAppStore((s) => s.explorer.sentence);
  const setSentence = useAppStore((s) => s.setExplorerSentence);
  const draw = useAppStore((s) => s.drawCorpusSentence);

  const replaceWord = (index: number, word: string) =>
    setSentence(sentence.words.map((w, i) => (i === index ? word : w)).join(' '));

  return (
    <div className="explore-sentence">
      <div className="row">
        <label className="explore-sentence-input">
          Sentence{' '}
          <input
            type="text"
            aria-label="Sentence"
            value={text}
            spellCheck={false}
            onChange={(e) => setSentence(e.target.value)}
          />
        </label>
        <button type="button" onClick={() => draw(corpus)}>
          Draw from the corpus
        </button>
      </div>
      {sentence.problem && (
        <p role="alert" className="error-panel small">
          {sentence.problem}
        </p>
      )}
      {sentence.unknown.length > 0 && (
        <div role="alert" className="error-panel small" aria-label="Unknown words">
          {sentence.unknown.map((u) => (
            <div key={u.index}>
              “{u.word}” is not in the model’s vocabulary.{' '}
              {u.suggestions.length > 0 ? (
                <>
                  Did you mean{' '}
                  {u.suggestions.map((s) => (
                    <button
                      key={s}
                      type="button"
                      className="explore-suggestion"
                      onClick={() => replaceWord(u.index, s)}
                    >
                      {s}
                    </button>
                  ))}
                  ?
                </>
              ) : (
                'No close word.'
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

/** What L counts: the sentence's own words (the article's convention) or the whole window. */
export const MaskScopeChoice = memo(function MaskScopeChoice({ seqLen }: { seqLen: number }) {
  const scope = useAppStore((s) => s.explorer.scope);
  const setScope = useAppStore((s) => s.setMaskScope);
  return (
    <fieldset className="explore-scope">
      <legend>The forward process masks</legend>
      {(
        [
          [
            'words',
            'only the sentence’s own words (L = number of words, as in the article’s “the cat sat here”, L = 4); the [EOS] tokens that fill the window stay visible, so the model knows the length',
          ],
          [
            'window',
            `the whole ${seqLen}-token window (L = ${seqLen}), the [EOS] fill included, as the model was trained (the LLaDA convention)`,
          ],
        ] as [MaskScope, string][]
      ).map(([value, label]) => (
        <label key={value}>
          <input
            type="radio"
            name="explore-scope"
            value={value}
            checked={scope === value}
            onChange={() => setScope(value)}
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  );
});
