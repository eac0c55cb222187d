import { useEffect, useMemo, useState } from 'react';
import { SEP_TOKEN } from '../../core/corpus';
import {
  scoreOutcomes,
  type ReversalOutcome,
  type ReversalScore,
} from '../../core/evaluation/reversalEvaluation';
import { REVERSAL_PAPER_FIGURES } from '../../core/evaluation/reversalPaperFigures';
import type { CoupletModelKind, ReversalDirection } from '../../core/evaluation/reversalTasks';
import type { ModelManifest } from '../../model/manifest';
import type { ReversalRun } from '../../state/reversalSlice';
import { useAppStore } from '../../state/store';
import { NumberField } from '../generate/NumberField';
import { Legend } from '../generate/Legend';
import { TracePlayer } from '../generate/TracePlayer';
import './reversal.css';

const PAPER_ROWS = REVERSAL_PAPER_FIGURES.map((p) => ({ ...p, name: `${p.model} (paper)` }));

const KINDS: CoupletModelKind[] = ['masked-diffusion', 'autoregressive'];
const DIRECTIONS: ReversalDirection[] = ['forward', 'reversal'];
const KIND_NAME: Record<CoupletModelKind, string> = {
  'masked-diffusion': 'diffusion',
  autoregressive: 'autoregressive twin',
};
/** Rows of the examples table shown before "Show all". */
const FIRST_ROWS = 40;

const percent = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

/** A couplet window as text: characters, [SEP] as " / ", up to the first [EOS]. */
function coupletText(manifest: ModelManifest, ids: readonly number[]): string {
  let text = '';
  for (const id of ids) {
    if (id === manifest.special.eos) break;
    if (id === manifest.special.pad) continue;
    const token = manifest.vocab[id];
    text += id === manifest.special.mask ? '_' : token === SEP_TOKEN ? ' / ' : token;
  }
  return text;
}

/** Scores so far (live while running), one per model and direction. */
const liveScores = (run: ReversalRun): ReversalScore[] =>
  run.scores.length
    ? run.scores
    : scoreOutcomes(
        run.outcomes,
        KINDS.flatMap((kind) => DIRECTIONS.map((direction) => ({ kind, direction }))),
      );

function ScoresTable({ run }: { run: ReversalRun | null }) {
  const scores = run ? liveScores(run) : [];
  const score = (kind: CoupletModelKind, direction: ReversalDirection) =>
    scores.find((s) => s.kind === kind && s.direction === direction) ?? null;
  return (
    <div className="scroll-x">
      <table className="labs-table" data-testid="reversal-table">
        <thead>
          <tr>
            <th>model</th>
            <th>forward (first → second)</th>
            <th>reversal (second → first)</th>
            <th>reversal ÷ forward</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((kind) => {
            const f = score(kind, 'forward');
            const r = score(kind, 'reversal');
            const ratio = f?.accuracy && r && r.accuracy !== null ? r.accuracy / f.accuracy : null;
            return (
              <tr key={kind} data-kind={kind}>
                <th scope="row">This page: {KIND_NAME[kind]}</th>
                {[f, r].map((s, i) => (
                  <td
                    key={i}
                    data-direction={DIRECTIONS[i]}
                    data-value={s?.accuracy ?? ''}
                    data-n={s?.n ?? 0}
                  >
                    {s && s.n > 0 ? (
                      <>
                        {percent(s.accuracy)}{' '}
                        <span className="muted small">
                          ({s.correct}/{s.n})
                        </span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                ))}
                <td>{ratio === null ? '—' : ratio.toFixed(2)}</td>
              </tr>
            );
          })}
          {PAPER_ROWS.map((p) => (
            <tr key={p.name} className="muted" data-paper={p.name}>
              <th scope="row">{p.name}</th>
              <td>{p.forward}%</td>
              <td>{p.reversal}%</td>
              <td>{(p.reversal / p.forward).toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The targets, judged on the finished run. */
function Verdicts({ scores }: { scores: ReversalScore[] }) {
  const acc = (kind: CoupletModelKind, direction: ReversalDirection) =>
    scores.find((s) => s.kind === kind && s.direction === direction)?.accuracy ?? null;
  const df = acc('masked-diffusion', 'forward');
  const dr = acc('masked-diffusion', 'reversal');
  const af = acc('autoregressive', 'forward');
  const ar = acc('autoregressive', 'reversal');
  const items = [
    {
      text: 'diffusion reversal ≥ 0.8 × diffusion forward',
      met: df !== null && dr !== null ? dr >= 0.8 * df : null,
    },
    { text: 'the twin answers forward: ≥ 80%', met: af === null ? null : af >= 0.8 },
    { text: 'the twin shows the curse: reversal ≤ 10%', met: ar === null ? null : ar <= 0.1 },
  ];
  return (
    <ul className="small reversal-verdicts" aria-label="Targets">
      {items.map((i) => (
        <li key={i.text} data-met={i.met === null ? '' : String(i.met)}>
          {i.met === null ? '—' : i.met ? '✓' : '✗'} {i.text}
        </li>
      ))}
    </ul>
  );
}

/** One answer as a button that opens it in the drill-down. */
function AnswerCell({ outcome }: { outcome: ReversalOutcome | undefined }) {
  const drill = useAppStore((s) => s.drillReversal);
  if (!outcome) return <td className="muted">…</td>;
  return (
    <td>
      <button
        type="button"
        className="reversal-answer"
        data-correct={outcome.correct}
        title={`Watch the ${KIND_NAME[outcome.kind]} write it (${outcome.calls} model calls)`}
        aria-label={`${outcome.correct ? 'right' : 'wrong'}: couplet ${outcome.index + 1}, ${KIND_NAME[outcome.kind]}, ${outcome.direction}, wrote ${outcome.answer || 'nothing'}`}
        onClick={() => void drill(outcome.index, outcome.kind, outcome.direction)}
      >
        {outcome.correct ? '✓' : '✗'} {outcome.answer || '(nothing)'}
      </button>
    </td>
  );
}

function ExamplesTable({ run }: { run: ReversalRun }) {
  const [all, setAll] = useState(false);
  const byKey = useMemo(() => {
    const m = new Map<string, ReversalOutcome>();
    for (const o of run.outcomes) m.set(`${o.index}.${o.kind}.${o.direction}`, o);
    return m;
  }, [run.outcomes]);
  const shown = all ? run.couplets : run.couplets.slice(0, FIRST_ROWS);
  return (
    <>
      <div className="scroll-x">
        <table className="labs-table reversal-examples" data-testid="reversal-examples">
          <thead>
            <tr>
              <th>#</th>
              <th>first line</th>
              <th>second line</th>
              {KINDS.flatMap((k) =>
                DIRECTIONS.map((d) => (
                  <th key={`${k}.${d}`}>
                    {KIND_NAME[k]}, {d}
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody>
            {shown.map((c, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{c.first}</td>
                <td>{c.second}</td>
                {KINDS.flatMap((k) =>
                  DIRECTIONS.map((d) => (
                    <AnswerCell key={`${k}.${d}`} outcome={byKey.get(`${i}.${k}.${d}`)} />
                  )),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {run.couplets.length > FIRST_ROWS && (
        <button type="button" className="small" onClick={() => setAll((a) => !a)}>
          {all ? `Show the first ${FIRST_ROWS}` : `Show all ${run.couplets.length}`}
        </button>
      )}
    </>
  );
}

function DrillDown() {
  const drill = useAppStore((s) => s.reversalDrill);
  const pair = useAppStore((s) => s.reversalPair);
  const close = useAppStore((s) => s.closeReversalDrill);
  if (!drill) return null;
  const manifest = drill.kind === 'autoregressive' ? pair.autoregressive : pair.diffusion;
  const what = `couplet ${drill.index + 1}, ${KIND_NAME[drill.kind]}, ${drill.direction}`;
  return (
    <div className="reversal-drill" data-testid="reversal-drill" data-status={drill.status}>
      <h4>
        Drill-down: {what}{' '}
        <button type="button" className="small" onClick={close}>
          Close
        </button>
      </h4>
      {drill.status === 'running' && <p className="small muted">Running it again…</p>}
      {drill.error && (
        <p role="alert" className="error-panel small">
          {drill.error}
        </p>
      )}
      {drill.outcome && (
        <p className="small">
          Given <strong>{drill.outcome.given}</strong>, expected{' '}
          <strong>{drill.outcome.expected}</strong>; wrote{' '}
          <strong>{drill.outcome.answer || '(nothing)'}</strong> {drill.outcome.correct ? '✓' : '✗'}{' '}
          in {drill.outcome.calls} model calls (
          {drill.kind === 'autoregressive'
            ? 'one per character, left to right, until [EOS]'
            : 'LLaDA low-confidence remasking, one character per call'}
          ).
        </p>
      )}
      {drill.trace && manifest && (
        <>
          <TracePlayer
            trace={drill.trace}
            names={manifest}
            label="Drill-down"
            text={(ids) => coupletText(manifest, ids)}
          />
          <details className="small">
            <summary>What the cells show</summary>
            <Legend />
          </details>
        </>
      )}
    </div>
  );
}

/**
 * The reversal lab: a diffusion model and its autoregressive twin, both trained on couplets in
 * one direction only (first line, [SEP], second line), asked for the second line given the
 * first and for the first given the second. Exact match, measured here in the browser, beside
 * the LLaDA paper's figures; any answer opens a drill-down that replays how it was written.
 */
export function ReversalLab() {
  const data = useAppStore((s) => s.reversalData);
  const fileProblem = useAppStore((s) => s.reversalFileProblem);
  const limit = useAppStore((s) => s.reversalLimit);
  const pair = useAppStore((s) => s.reversalPair);
  const run = useAppStore((s) => s.reversalRun);
  const loadFile = useAppStore((s) => s.loadReversalFile);
  const chooseBuiltIn = useAppStore((s) => s.chooseBuiltInCouplets);
  const setLimit = useAppStore((s) => s.setReversalLimit);
  const open = useAppStore((s) => s.openReversalPair);
  const start = useAppStore((s) => s.runReversal);
  const stop = useAppStore((s) => s.stopReversal);
  // The pair follows the couplets: the one whose vocabulary can be asked the most of them.
  useEffect(() => {
    void open();
  }, [open, data, limit]);
  // The figure shows the effect on arrival: once the pair is open, the couplets are measured
  // (160 short answers, about a second and a half here); Measure runs it again with other data.
  useEffect(() => {
    if (pair.status === 'ready' && run === null) void start();
  }, [pair.status, run, start]);

  const limitProblem =
    limit !== null && !(Number.isInteger(limit) && limit >= 1)
      ? 'Test the first N couplets: a whole number ≥ 1, or empty for all.'
      : null;
  const running = run?.status === 'running';
  const training = pair.diffusion?.training as
    { couplets?: number; data?: string; withBuiltIn?: boolean } | undefined;
  const trainedOn = !training?.data
    ? 'ours'
    : training.withBuiltIn
      ? `${training.data} and ours`
      : training.data;

  return (
    <div className="labs-reversal">
      <p className="small" data-testid="reversal-pair" data-status={pair.status}>
        {pair.status === 'ready' && pair.diffusion && pair.autoregressive ? (
          <>
            Models: <strong>{pair.diffusion.id}</strong> and{' '}
            <strong>{pair.autoregressive.id}</strong> (
            {String(pair.diffusion.architecture?.layers ?? '?')} layers, d ={' '}
            {String(pair.diffusion.architecture?.dModel ?? '?')}, window {pair.diffusion.seqLen}),
            trained on {training?.couplets ?? '?'} couplets ({trainedOn}), each in a lab worker of
            its own; greedy decoding. The lab uses the shipped pair that knows the most of the
            couplets in use.
          </>
        ) : pair.status === 'error' ? (
          <span role="alert" className="error-panel">
            {pair.error}
          </span>
        ) : (
          'Opening the couplet model and its autoregressive twin…'
        )}
      </p>
      <ScoresTable run={run} />
      <div className="row labs-settings">
        <fieldset>
          <legend>Couplets</legend>
          <span className="small" data-testid="reversal-data" data-count={data.couplets.length}>
            {data.source === 'built-in'
              ? `Ours: ${data.couplets.length} short English couplets`
              : `${data.source}: ${data.couplets.length} couplets`}
          </span>
          <label className="field">
            <span>Load a JSON file</span>
            <input
              type="file"
              accept=".json,application/json"
              aria-label="Couplet file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void file.text().then((text) => loadFile(text, file.name));
              }}
            />
          </label>
          {data.source !== 'built-in' && (
            <button type="button" onClick={chooseBuiltIn}>
              Use ours again
            </button>
          )}
          <NumberField
            label="Test the first N"
            value={limit}
            nullable
            placeholder={`all ${data.couplets.length}`}
            min={1}
            step={1}
            invalid={limitProblem !== null}
            onChange={setLimit}
          />
        </fieldset>
        {running ? (
          <button type="button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={limitProblem !== null || pair.status === 'error' || pair.status === 'loading'}
            onClick={() => void start()}
          >
            Measure
          </button>
        )}
      </div>
      {fileProblem && (
        <div role="alert" className="error-panel small" data-testid="reversal-file-problem">
          {fileProblem.fileName} was not loaded (the couplets in use are unchanged):
          <ul>
            {fileProblem.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {limitProblem && (
        <p role="alert" className="error-panel small">
          {limitProblem}
        </p>
      )}
      {run && (
        <div className="labs-results" data-testid="reversal-results" data-status={run.status}>
          <p className="small">
            {run.status === 'running' ? (
              <>
                <progress value={run.done} max={run.total || 1} /> {run.done} / {run.total || '…'}{' '}
                answers
              </>
            ) : (
              `${run.outcomes.length} answers`
            )}{' '}
            in {run.seconds.toFixed(1)} s on {run.couplets.length} couplets ({run.source})
            {run.status === 'stopped' ? ' · stopped' : ''}
            {run.skipped.length > 0
              ? ` · ${run.skipped.length} left out (e.g. couplet ${run.skipped[0].index + 1}: ${run.skipped[0].reason})`
              : ''}
          </p>
          {run.error && (
            <p role="alert" className="error-panel small">
              {run.error}
            </p>
          )}
          {run.status === 'done' && <Verdicts scores={run.scores} />}
          <DrillDown />
          <ExamplesTable run={run} />
        </div>
      )}
      <details className="lab-how">
        <summary>How this is measured</summary>
        <p className="small">
          The <em>reversal curse</em>: a model taught that A is followed by B does not learn that B
          is preceded by A. Both models here were trained on couplets in one direction only — first
          line, [SEP], second line — with the same network, the diffusion model to unmask, the twin
          on the next character. Asked for the <strong>second</strong> line given the first, both
          can answer. Asked for the <strong>first</strong> given the second, the diffusion model
          fills in the left of the very window it learned ([MASK]s, [SEP], the second line), while
          the twin can only be prompted with the second line and continue it — an order it never
          saw.
        </p>
        <p className="small muted">
          A file is a JSON list of {'{"first": …, "second": …}'} (for example the LLaDA authors’ 469
          couplets). The shipped models know only the characters they were trained on; a couplet
          with any other character is left out and counted as such.
        </p>
      </details>
    </div>
  );
}
