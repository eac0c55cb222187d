import type { SettingsProblem } from '../../train/settingsProblems';

/** Every problem with the training settings, named by field, as they are typed. */
export function SettingsProblems({ problems }: { problems: SettingsProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="config-problems" role="status" aria-label="Training settings problems">
      {problems.map((p, i) => (
        <li key={i} data-field={p.field}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}
