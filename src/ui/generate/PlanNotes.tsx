import type { RunPlan } from '../../state/runPlan';

/** What will run but may surprise (calls that cannot commit anything), next to the controls. */
export function PlanNotes({ plan }: { plan: RunPlan }) {
  if (plan.notes.length === 0) return null;
  return (
    <ul className="config-problems muted" role="note" aria-label="Settings notes">
      {plan.notes.map((n, i) => (
        <li key={i} data-field={n.field}>
          {n.message}
        </li>
      ))}
    </ul>
  );
}
