import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { STRATEGY_NAMES, type AutomaticStrategyName } from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import { choosable, mostConfident, tokenFor, type HumanSession } from '../../state/humanSession';
import type { Drive } from '../../state/driveSlice';
import { useAppStore } from '../../state/store';
import { confidenceColour } from './confidenceScale';
import { STRATEGY_INFO } from './strategyInfo';
import { tokenLabel } from './tokenText';
import { readWord } from './wordInput';
import './drive.css';

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** One position of the board: a masked position to choose, or the token already there. */
function BoardCell({
  session,
  i,
  manifest,
  focused,
  onFocus,
  register,
}: {
  session: HumanSession;
  i: number;
  manifest: ModelManifest;
  focused: boolean;
  onFocus: (i: number) => void;
  register: (i: number, el: HTMLButtonElement | null) => void;
}) {
  const toggle = useAppStore((s) => s.driveToggle);
  const word = (id: number) => tokenLabel(manifest, id);
  const token = session.state.tokens[i];
  if (!choosable(session, i)) {
    const pinned = session.state.pinned[i] === 1;
    const masked = token === session.state.maskId;
    return (
      <li className={`board-slot board-${pinned ? 'pinned' : masked ? 'waiting' : 'written'}`}>
        <span className="board-cell" data-n={i + 1} data-testid="board-cell" data-state="fixed">
          {masked ? '[M]' : word(token)}
        </span>
      </li>
    );
  }
  const p = session.pending!.predictions;
  const chosen = session.chosen.includes(i);
  const typed = session.typed.find((w) => w.position === i);
  const shown = tokenFor(session, i)!;
  const c = typed ? null : p.confidence[i];
  const colour = c === null ? null : confidenceColour(Math.max(0, Math.min(1, c)));
  // The bar under the cell: the guess's confidence on the strip's colour scale.
  const style = { '--bar': c ?? 0, '--bar-c': colour ?? 'transparent' } as CSSProperties;
  return (
    <li className="board-slot" style={style}>
      <button
        type="button"
        ref={(el) => register(i, el)}
        className={`board-cell board-guess${typed ? ' board-typed' : ''}`}
        data-testid="board-cell"
        data-state={chosen ? 'chosen' : 'guess'}
        data-position={i}
        data-n={i + 1}
        aria-pressed={chosen}
        tabIndex={focused ? 0 : -1}
        aria-label={`position ${i + 1}: ${word(shown)} ${typed ? 'yours, your word' : `${pct(p.confidence[i])}, the model's guess`}`}
        onFocus={() => onFocus(i)}
        onClick={() => toggle(i)}
      >
        {word(shown)} <span className="board-conf">{typed ? 'yours' : pct(p.confidence[i])}</span>
      </button>
    </li>
  );
}

/** The focused position's candidates and a word of the person's own. */
function WordPicker({
  session,
  position,
  manifest,
  input,
  onWritten,
}: {
  session: HumanSession;
  position: number;
  manifest: ModelManifest;
  input: React.RefObject<HTMLInputElement | null>;
  /** After a word is written: the keyboard goes back to the board. */
  onWritten: () => void;
}) {
  const type = useAppStore((s) => s.driveType);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const candidates = session.pending?.predictions.topK[position] ?? [];
  const write = () => {
    const word = readWord(manifest, text);
    if (!word.ok) {
      setProblem(word.message);
      return;
    }
    setProblem(null);
    setText('');
    type(position, word.token);
    onWritten();
  };
  return (
    <div className="word-picker" aria-label={`Words for position ${position + 1}`} role="group">
      <span className="small muted">Position {position + 1}, the model’s top guesses:</span>
      <div className="row">
        {candidates.map((c) => (
          <button
            key={c.token}
            type="button"
            className="quiet"
            disabled={c.token === session.state.maskId}
            onClick={() => {
              type(position, c.token);
              onWritten();
            }}
          >
            {tokenLabel(manifest, c.token)} {pct(c.prob)}
          </button>
        ))}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          write();
        }}
      >
        <label className="field inline">
          <span>Your word at position {position + 1}</span>
          <input
            ref={input}
            aria-label="Your word"
            value={text}
            autoComplete="off"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit">Write it</button>
      </form>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function Comparison({ drive, manifest }: { drive: Drive; manifest: ModelManifest }) {
  const compare = useAppStore((s) => s.driveCompare);
  const configured = useAppStore((s) => s.config.a.strategy);
  const strategies = STRATEGY_NAMES.filter((s) => s !== 'autoregressive');
  const [strategy, setStrategy] = useState<AutomaticStrategyName>(
    configured !== 'autoregressive' && configured !== 'human' ? configured : 'llada.low_confidence',
  );
  const c = drive.comparison;
  const r = c?.result;
  const verdict = (v: boolean | null) => (v === null ? 'no oracle' : v ? 'yes' : 'no');
  const word = (id: number) => tokenLabel(manifest, id);
  return (
    <div className="drive-compare">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void compare(strategy);
        }}
      >
        <label className="field">
          <span>Compare with</span>
          <select
            aria-label="Compare with"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as AutomaticStrategyName)}
          >
            {strategies.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_INFO[s].title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={c?.status === 'running'}>
          {c?.status === 'running' ? 'Running it…' : 'Compare'}
        </button>
      </form>
      {c?.error && (
        <p role="alert" className="error-panel">
          {c.error}
        </p>
      )}
      {c && r && (
        <div
          aria-label="Your run and the strategy's"
          role="region"
          data-testid="drive-comparison"
          data-you-calls={r.a.calls}
          data-strategy-calls={r.b.calls}
          data-differ={r.differing.length}
        >
          <div className="scroll-x">
            <table className="small">
              <thead>
                <tr>
                  <th scope="col"></th>
                  <th scope="col">You</th>
                  <th scope="col">{STRATEGY_INFO[c.strategy].title}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Model calls</th>
                  <td>{r.a.calls}</td>
                  <td>{r.b.calls}</td>
                </tr>
                <tr>
                  <th scope="row">Grammatical</th>
                  <td data-valid={String(r.a.valid)}>{verdict(r.a.valid)}</td>
                  <td data-valid={String(r.b.valid)}>{verdict(r.b.valid)}</td>
                </tr>
                <tr>
                  <th scope="row">Masks left</th>
                  <td>{r.a.masksLeft}</td>
                  <td>{r.b.masksLeft}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <p className="small">
            {r.differing.length === 0
              ? 'You wrote the same window.'
              : `You differ at ${r.differing.length} position${r.differing.length === 1 ? '' : 's'}: ${r.differing
                  .map((i) => `${i + 1} (you ${word(r.a.final[i])}, it ${word(r.b.final[i])})`)
                  .join(', ')}.`}{' '}
            {r.sameWordOtherCall.length > 0 &&
              `The same word at another call at ${r.sameWordOtherCall.map((i) => i + 1).join(', ')}.`}
            {!c.judged && ' This model has no exact oracle to say what is grammatical.'}
          </p>
          <p className="small muted">
            Its run is shown as run B below; calls it shared with yours (the same window and t) were
            read from the cache.
          </p>
        </div>
      )}
    </div>
  );
}

/** The board of the waiting call: every position, the masked ones to choose, and the keys. */
function Board({ drive, manifest }: { drive: Drive; manifest: ModelManifest }) {
  const commit = useAppStore((s) => s.driveCommit);
  const toggle = useAppStore((s) => s.driveToggle);
  const stop = useAppStore((s) => s.stopDriving);
  const session = drive.session;
  const n = session.state.tokens.length;
  const masked = Array.from({ length: n }, (_, i) => i).filter((i) => choosable(session, i));
  const [focus, setFocus] = useState<number | null>(null);
  const cells = useRef(new Map<number, HTMLButtonElement>());
  const wordInput = useRef<HTMLInputElement>(null);
  const current = focus !== null && masked.includes(focus) ? focus : (masked[0] ?? null);
  const deciding = drive.status === 'deciding';

  // After each call, keep the keyboard on the board: focus the position in hand, or the first.
  const calls = session.records.length;
  const hadFocus = useRef(false);
  useEffect(() => {
    if (!deciding || current === null) return;
    if (hadFocus.current || calls === 0) cells.current.get(current)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [calls, deciding]);

  const move = (to: number) => {
    const el = cells.current.get(to);
    if (el) el.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target instanceof HTMLInputElement) return;
    const at = current === null ? -1 : masked.indexOf(current);
    let handled = true;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        if (at >= 0) move(masked[Math.min(masked.length - 1, at + 1)]);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        if (at >= 0) move(masked[Math.max(0, at - 1)]);
        break;
      case 'Home':
        if (masked.length) move(masked[0]);
        break;
      case 'End':
        if (masked.length) move(masked[masked.length - 1]);
        break;
      case 'Enter':
      case ' ':
        if (current !== null && deciding) toggle(current);
        break;
      case 'c':
      case 'C':
        if (deciding && session.chosen.length > 0) void commit();
        break;
      case 'w':
      case 'W':
        wordInput.current?.focus();
        break;
      case 'Escape':
        stop();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const left =
    masked.length || session.state.tokens.filter((t) => t === session.state.maskId).length;
  return (
    <div className="drive-board" onKeyDown={onKeyDown} onFocus={() => (hadFocus.current = true)}>
      <p className="small" aria-live="polite" data-testid="drive-status" data-status={drive.status}>
        {drive.status === 'calling'
          ? `Call ${calls + 1}: asking the model…`
          : `Call ${calls + 1}: ${left} masked · you chose ${session.chosen.length}. The model has made ${drive.modelCalls} call${drive.modelCalls === 1 ? '' : 's'}${drive.reused ? `, ${drive.reused} answered from the cache` : ''}.`}
      </p>
      <p className="small muted drive-keys">
        <kbd>←</kbd> <kbd>→</kbd> move · <kbd>Enter</kbd> or <kbd>Space</kbd> choose · <kbd>C</kbd>{' '}
        commit the chosen and call the model · <kbd>W</kbd> your own word · <kbd>Esc</kbd> leave
      </p>
      <ol
        className="board"
        aria-label="Masked positions: the model's guesses"
        aria-busy={!deciding}
      >
        {Array.from({ length: n }, (_, i) => (
          <BoardCell
            key={i}
            session={session}
            i={i}
            manifest={manifest}
            focused={i === current}
            onFocus={setFocus}
            register={(k, el) => {
              if (el) cells.current.set(k, el);
              else cells.current.delete(k);
            }}
          />
        ))}
      </ol>
      {deciding && current !== null && (
        <WordPicker
          key={`${calls}:${current}`}
          session={session}
          position={current}
          manifest={manifest}
          input={wordInput}
          onWritten={() => setTimeout(() => cells.current.get(current)?.focus(), 0)}
        />
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!deciding || session.chosen.length === 0}
          onClick={() => void commit()}
        >
          Commit {session.chosen.length} and call the model
        </button>
        <button
          type="button"
          disabled={!deciding}
          onClick={() => {
            const [best] = mostConfident({ ...session, chosen: [] }, masked.length).filter(
              (i) => !session.chosen.includes(i),
            );
            if (best !== undefined) toggle(best);
          }}
        >
          Choose the surest guess
        </button>
        <button type="button" className="quiet" onClick={stop}>
          Leave
        </button>
      </div>
    </div>
  );
}

/**
 * Be the sampler: the person decides which of the model's guesses to commit at each call, or
 * writes a word of their own; at the end, the same start run by a strategy of their choice, side
 * by side. Their run is run A below (a trace like any other: it plays back and exports).
 */
export function DriveMode({ manifest }: { manifest: ModelManifest }) {
  const drive = useAppStore((s) => s.drive);
  const start = useAppStore((s) => s.startDriving);
  const stop = useAppStore((s) => s.stopDriving);
  const ready = useAppStore((s) => s.modelStatus === 'ready');
  const shownIsMine = useAppStore((s) => s.runs[0]?.source === 'human');
  const diffusion = manifest.kind !== 'autoregressive';

  // Generate or an import put another run on screen: the person's run is over.
  useEffect(() => {
    if (drive && !shownIsMine) stop();
  }, [drive, shownIsMine, stop]);

  if (!drive) {
    return (
      <div className="drive-start row">
        <button
          type="button"
          className="quiet"
          disabled={!ready || !diffusion}
          onClick={() => void start()}
          title={
            diffusion
              ? 'You choose what the model commits at every call'
              : 'Only for a masked-diffusion model'
          }
        >
          Be the sampler
        </button>
        <span className="small muted">you choose what the model commits, call by call</span>
      </div>
    );
  }
  return (
    <section className="drive panel" aria-label="Be the sampler">
      <h3 className="knobs-title">You are the sampler</h3>
      {drive.error && (
        <p role="alert" className="error-panel">
          {drive.error}
        </p>
      )}
      {drive.status === 'done' ? (
        <>
          <p className="small" data-testid="drive-status" data-status="done">
            You wrote it in {drive.session.records.length} call
            {drive.session.records.length === 1 ? '' : 's'} ({drive.modelCalls} reached the model).
            What would a strategy have done from the same start?
          </p>
          <Comparison drive={drive} manifest={manifest} />
          <button type="button" className="quiet" onClick={stop}>
            Leave
          </button>
        </>
      ) : (
        <Board drive={drive} manifest={manifest} />
      )}
    </section>
  );
}
