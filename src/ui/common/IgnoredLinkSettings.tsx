import { useAppStore } from '../../state/store';

/**
 * Settings in the page's link (URL hash) that were not used, each with why and what is used
 * instead, so a hand-edited or mangled link never runs with silent defaults.
 */
export function IgnoredLinkSettings() {
  const ignored = useAppStore((s) => s.linkIgnored);
  const dismiss = useAppStore((s) => s.dismissLinkIgnored);
  if (ignored.length === 0) return null;
  return (
    <div role="status" aria-label="Ignored link settings" className="error-panel small">
      <strong>
        {ignored.length === 1 ? 'A setting' : `${ignored.length} settings`} in this page&apos;s link
        could not be used:
      </strong>
      <ul>
        {ignored.map((item, i) => (
          <li key={i}>
            {item.reason} (the link says {item.key}={item.value}).
          </li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
