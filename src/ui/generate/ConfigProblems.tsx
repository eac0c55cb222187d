import type { RunPlan } from '../../state/runPlan';

/** Why the current settings cannot run, each problem in words, next to the controls. */
export function ConfigProblems({ plan }: { plan: RunPlan }) {
  if (plan.problems.length === 0) return null;
  return (
    <ul className="config-problems" role="status" aria-label="Settings problems">
      {plan.problems.map((p, i) => (
        <li key={i} data-field={p.field}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}
