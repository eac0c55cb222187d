/**
 * Why the current settings cannot run, each problem in words, next to the controls; the
 * generation settings' (runPlan.ts) and the training settings' (settingsProblems.ts) alike.
 */
export function ConfigProblems({
  problems,
  label = 'Settings problems',
}: {
  problems: readonly { field: string; message: string }[];
  label?: string;
}) {
  if (problems.length === 0) return null;
  return (
    <ul className="config-problems" role="status" aria-label={label}>
      {problems.map((p, i) => (
        <li key={i} data-field={p.field}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}
