import { isAdaptive, settingLabel } from '../../core/speed/decodingSettings';
import type { SpeedRow } from '../../state/labsSlice';
import { formatNumber } from '../explore/format';
import { backendLabel } from './backendLabel';

/** Every measured setting: calls, time, tokens per second and (trained models) quality. */
export function SpeedTable({ rows }: { rows: readonly SpeedRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="scroll-x">
      <table className="labs-table" data-testid="speed-table">
        <thead>
          <tr>
            <th>model</th>
            <th>L</th>
            <th>steps</th>
            <th>model calls</th>
            <th>ms per window</th>
            <th>ms per call</th>
            <th>tokens / s</th>
            <th>grammatical</th>
            <th>weights</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const s = r.setting;
            return (
              <tr key={settingLabel(s)} data-setting={settingLabel(s)} data-trained={r.trained}>
                <td>{s.model === 'autoregressive' ? 'autoregressive twin' : 'diffusion'}</td>
                <td>{s.length}</td>
                <td>
                  {s.model === 'autoregressive'
                    ? `${s.length - 1} (one per token)`
                    : isAdaptive(s)
                      ? `threshold ${s.threshold}`
                      : `S = ${s.steps}`}
                </td>
                <td data-col="calls">{formatNumber(r.calls.mean)}</td>
                <td>{formatNumber(r.ms.mean)}</td>
                <td>{formatNumber(r.msPerCall)}</td>
                <td data-col="tokens-per-second">{formatNumber(r.tokensPerSecond)}</td>
                <td data-col="valid">
                  {r.valid === null ? (
                    <span className="muted">— (untrained)</span>
                  ) : (
                    `${Math.round((100 * r.valid) / r.samples)}% of ${r.samples}`
                  )}
                </td>
                <td className="small">
                  {r.trained ? 'trained' : 'random, same architecture (timing only)'} ·{' '}
                  {backendLabel(r.backend)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
