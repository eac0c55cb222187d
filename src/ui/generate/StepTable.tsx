import type { TraceRecord } from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import { tokenLabel } from './tokenText';

/** Every model call as a line of text: what was committed, what stayed masked. */
export function StepTable({
  manifest,
  records,
  callMs,
}: {
  manifest: ModelManifest;
  records: TraceRecord[];
  callMs: number[];
}) {
  return (
    <table className="steps" aria-label="Steps">
      <thead>
        <tr>
          <th>call</th>
          <th>t</th>
          <th>committed</th>
          <th>sequence after the call</th>
          <th>ms</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r, i) => (
          <tr key={r.call} data-testid="step-row">
            <td>{r.call + 1}</td>
            <td>{r.t === null ? '—' : r.t.toFixed(3)}</td>
            <td>{r.committed}</td>
            <td>
              {r.after.map((id, p) => (
                <span
                  key={p}
                  className={`tok ${r.status[p]}${id === manifest.special.eos ? ' eos' : ''}${id === manifest.special.mask ? ' masked' : ''}`}
                  title={`position ${p + 1}: ${r.status[p]}, confidence ${Number.isFinite(r.confidence[p]) ? r.confidence[p].toFixed(3) : '—'}`}
                >
                  {tokenLabel(manifest, id)}
                </span>
              ))}
            </td>
            <td>{callMs[i]?.toFixed(1) ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
