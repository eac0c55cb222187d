import { useState } from 'react';

interface Props {
  /** Visible label and accessible name. */
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  /** Whether an empty field means null ("none"); else it is flagged. */
  nullable?: boolean;
  placeholder?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled?: boolean;
  /** Set when the value is a number but the configuration rejects it (message shown elsewhere). */
  invalid?: boolean;
  title?: string;
}

const format = (v: number | null) => (v === null ? '' : String(v));

/**
 * A number input that keeps what the person typed: any number goes to the configuration (which
 * then says, in words, whether it fits); text that is not a number is flagged here and changes
 * nothing.
 */
export function NumberField(p: Props) {
  const [text, setText] = useState(format(p.value));
  const [synced, setSynced] = useState(p.value);
  const [badInput, setBadInput] = useState(false);
  // The value changed from outside (a preset, an imported link): show it.
  if (!Object.is(p.value, synced)) {
    setSynced(p.value);
    setText(format(p.value));
    setBadInput(false);
  }
  const empty = text.trim() === '';
  const notANumber = badInput || (!empty && !Number.isFinite(Number(text)));
  const missing = empty && !p.nullable && !badInput;
  return (
    <label className="field" title={p.title}>
      <span>{p.label}</span>
      <input
        aria-label={p.label}
        type="number"
        inputMode="decimal"
        value={text}
        placeholder={p.placeholder}
        min={p.min}
        max={p.max}
        step={p.step ?? 'any'}
        disabled={p.disabled}
        aria-invalid={notANumber || missing || p.invalid ? true : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          setBadInput(e.target.validity.badInput);
          if (e.target.validity.badInput) return;
          if (t.trim() === '') {
            if (p.nullable) {
              setSynced(null);
              p.onChange(null);
            }
            return;
          }
          const v = Number(t);
          if (!Number.isFinite(v)) return;
          setSynced(v);
          p.onChange(v);
        }}
      />
      {(notANumber || missing) && (
        <span className="field-error">{missing ? 'enter a number' : 'not a number'}</span>
      )}
    </label>
  );
}
