import { useState } from 'react';

interface Props {
  /** The button's label, e.g. "Reset". */
  label: string;
  /** What will be lost, asked before it is: "Discard this run and its checkpoint (step 40)?" */
  question: string;
  /** The label of the button that does it, e.g. "Discard". */
  confirm: string;
  onConfirm: () => void;
  disabled?: boolean;
}

/** A destructive action that asks first, in the page (no blocking browser dialog). */
export function ConfirmButton({ label, question, confirm, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={`${label}?`} className="small">
      {question}{' '}
      <button
        type="button"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}
