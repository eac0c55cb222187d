export interface UnknownWordItem {
  /** Where the word is, in words ("prompt word 2", "position 7"). */
  where: string;
  word: string;
  suggestions: string[];
  /** Replace the word with a suggestion. */
  fix: (suggestion: string) => void;
}

/** Words the model does not know, each with the nearest known words as buttons that fix it. */
export function UnknownWords({ items, label }: { items: UnknownWordItem[]; label: string }) {
  if (items.length === 0) return null;
  return (
    <ul className="unknown-words" aria-label={label}>
      {items.map((u, i) => (
        <li key={`${u.where}-${i}`}>
          <span className="oov">‘{u.word}’</span> ({u.where}) is not in the vocabulary.
          {u.suggestions.length > 0 ? (
            <>
              {' '}
              Did you mean{' '}
              {u.suggestions.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="suggestion"
                  aria-label={`Use ‘${s}’ for ‘${u.word}’`}
                  onClick={() => u.fix(s)}
                >
                  {s}
                </button>
              ))}
              ?
            </>
          ) : (
            ' No close word is known.'
          )}
        </li>
      ))}
    </ul>
  );
}
