import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  branchMode,
  canvasAt,
  STRATEGY_NAMES,
  usesBlocks,
  type StrategyName,
} from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import { differingPositions, nodeById, treeOrder, type TreeNode } from '../../state/runTree';
import { nodeIdOf } from '../../state/runTreeSlice';
import { useAppStore } from '../../state/store';
import { NumberField } from './NumberField';
import { STRATEGY_INFO, ignoresSteps, stepsMeaning } from './strategyInfo';
import { tokenLabel } from './tokenText';
import { readWord } from './wordInput';
import './drive.css';

/** A node's name in the tree: "the run" for the root, "branch k" in the order they were made. */
function nodeName(nodes: readonly TreeNode[], node: TreeNode): string {
  const k = nodes.indexOf(node);
  return k <= 0 ? 'the run' : `branch ${k}`;
}

function nodeSummary(node: TreeNode): string {
  const o = node.run.options;
  const steps = ignoresSteps(o.strategy) ? '' : ` · ${o.steps} steps`;
  const block = o.blockLength !== null ? ` · blocks of ${o.blockLength}` : '';
  return `${STRATEGY_INFO[o.strategy].title}${steps}${block} · temperature ${o.temperature}`;
}

/** The strategies a branch may take on this model (the typewriter only on a causal model). */
function branchStrategies(manifest: ModelManifest): StrategyName[] {
  return manifest.kind === 'autoregressive'
    ? ['autoregressive']
    : STRATEGY_NAMES.filter((s) => s !== 'autoregressive');
}

/** The settings of a branch about to be made, from its parent's. */
function BranchForm({ manifest }: { manifest: ModelManifest }) {
  const draft = useAppStore((s) => s.branchDraft)!;
  const tree = useAppStore((s) => s.tree)!;
  const error = useAppStore((s) => s.branchError);
  const runBranch = useAppStore((s) => s.runBranch);
  const cancel = useAppStore((s) => s.cancelBranch);
  const parent = nodeById(tree, draft.nodeId)!;
  const p = parent.run.options;
  const strategies = branchStrategies(manifest);
  const [strategy, setStrategy] = useState<StrategyName>(
    strategies.includes(p.strategy) ? p.strategy : strategies[0],
  );
  const [steps, setSteps] = useState<number | null>(p.steps);
  const [blockLength, setBlockLength] = useState<number | null>(p.blockLength);
  const [temperature, setTemperature] = useState<number | null>(p.temperature);
  const [pinAt, setPinAt] = useState('');
  const [pinWord, setPinWord] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const canvas = canvasAt(parent.run, draft.atCall);
  const pinnable = canvas.flatMap((t, i) =>
    i >= parent.run.promptLength &&
    !parent.run.pinned[i] &&
    !parent.pins.some((x) => x.position === i)
      ? [{ i, t }]
      : [],
  );
  const blocks = usesBlocks(strategy);
  const mode = branchMode(p, { strategy, blockLength: blocks ? blockLength : null });
  const form = useRef<HTMLFormElement>(null);
  // The form opens below the runs: bring it into view and put the keyboard on its first field.
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'nearest' });
    form.current?.querySelector('select')?.focus({ preventScroll: true });
  }, []);

  const submit = () => {
    setProblem(null);
    if (steps === null || temperature === null) {
      setProblem('Steps and temperature need a number.');
      return;
    }
    let pin = null;
    if (pinAt !== '') {
      const word = readWord(manifest, pinWord);
      if (!word.ok) {
        setProblem(`Pinned word: ${word.message}`);
        return;
      }
      pin = { position: Number(pinAt), token: word.token };
    }
    void runBranch({ strategy, steps, temperature, blockLength: blocks ? blockLength : null, pin });
  };

  return (
    <form
      ref={form}
      className="branch-form"
      aria-label="New branch"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 className="knobs-title">
        Branch {nodeName(tree.nodes, parent)} after call {draft.atCall}
      </h3>
      <p className="small muted">
        The branch keeps calls 1–{draft.atCall} of its parent (no model call is made for them) and
        makes its own from there.{' '}
        {mode === 'continue'
          ? 'Same strategy and blocks: its sampler goes on where the parent’s was, with these knobs.'
          : 'Another strategy or other blocks: it starts afresh on the window after that call.'}{' '}
        A window the model has already seen with the same t is not given to it again.
      </p>
      <div className="row">
        <label className="field branch-strategy">
          <span>Branch strategy</span>
          <select
            aria-label="Branch strategy"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as StrategyName)}
          >
            {strategies.map((name) => (
              <option key={name} value={name}>
                {STRATEGY_INFO[name].title}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="Branch steps"
          value={steps}
          min={1}
          step={1}
          disabled={ignoresSteps(strategy)}
          title={stepsMeaning(strategy)}
          onChange={setSteps}
        />
        <NumberField
          label="Branch block length"
          value={blocks ? blockLength : null}
          nullable
          placeholder={blocks ? 'one block' : 'no blocks'}
          min={1}
          step={1}
          disabled={!blocks}
          onChange={setBlockLength}
        />
        <NumberField
          label="Branch temperature"
          value={temperature}
          min={0}
          step={0.1}
          onChange={setTemperature}
        />
      </div>
      <div className="row">
        <label className="field">
          <span>Pin a word at</span>
          <select
            aria-label="Pin position"
            value={pinAt}
            onChange={(e) => setPinAt(e.target.value)}
          >
            <option value="">no pinned word</option>
            {pinnable.map(({ i, t }) => (
              <option key={i} value={i}>
                position {i + 1} (now {tokenLabel(manifest, t)})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Pinned word</span>
          <input
            aria-label="Pinned word"
            value={pinWord}
            disabled={pinAt === ''}
            autoComplete="off"
            onChange={(e) => setPinWord(e.target.value)}
          />
        </label>
      </div>
      {(problem ?? error) && (
        <p role="alert" className="error-panel">
          {problem ?? error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">
          Run branch
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The tree of a run's branches: each node with what it changed and what it cost, shown as run A
 * or beside it as run B. ↑/↓ move between the nodes.
 */
function TreeNavigator({ manifest }: { manifest: ModelManifest }) {
  const tree = useAppStore((s) => s.tree)!;
  const runs = useAppStore((s) => s.runs);
  const showNode = useAppStore((s) => s.showNode);
  const closeSideBySide = useAppStore((s) => s.closeSideBySide);
  const list = useRef<HTMLOListElement>(null);
  const shownAs = (id: string) => runs.find((r) => nodeIdOf(r) === id)?.key ?? null;
  const order = treeOrder(tree);
  const a = runs.find((r) => r.key === 'a');
  const b = runs.find((r) => r.key === 'b');
  const bothInTree = a && b && nodeIdOf(a) && nodeIdOf(b);
  const differ = bothInTree ? differingPositions(a, b) : null;

  // ↑/↓ move the focus from node to node (the transport keeps ←/→).
  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const rows = [...(list.current?.querySelectorAll<HTMLElement>('[data-node-first]') ?? [])];
    const at = rows.findIndex((r) => r.closest('li')?.contains(document.activeElement));
    const next = Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    rows[next]?.focus();
    e.preventDefault();
  };

  return (
    <section className="run-tree" aria-label="Branches">
      <h3 className="knobs-title">Branches</h3>
      <ol className="tree-list" ref={list} onKeyDown={onKeyDown}>
        {order.map(({ node, depth }) => {
          const name = nodeName(tree.nodes, node);
          const as = shownAs(node.id);
          const own = node.run.records.length - node.atCall;
          const pins = node.pins.filter((pin) => pin.fromCall === node.atCall);
          return (
            <li
              key={node.id}
              className="tree-node"
              style={{ marginInlineStart: `calc(${Math.min(depth, 6)} * var(--space-4))` }}
              data-node={name}
              data-status={node.run.status}
              data-calls={node.modelCalls}
              data-reused={node.reused}
              data-shared={node.atCall}
              aria-current={as === 'a' ? 'true' : undefined}
            >
              <div className="tree-node-text">
                <strong>{name}</strong>
                {node.parentId !== null && node.id !== tree.rootId && (
                  <span className="muted"> · after call {node.atCall}</span>
                )}
                <span className="small"> · {nodeSummary(node)}</span>
                {pins.map((pin) => (
                  <span key={pin.position} className="small">
                    {' '}
                    · pinned {tokenLabel(manifest, pin.token)} at {pin.position + 1}
                  </span>
                ))}
                <span className="small muted tree-cost">
                  {node.id === tree.rootId
                    ? `${node.run.records.length} calls`
                    : node.run.status === 'running'
                      ? 'computing…'
                      : `${node.atCall} calls shared · ${own} of its own: ${node.modelCalls} model call${node.modelCalls === 1 ? '' : 's'}, ${node.reused} reused`}
                </span>
                {node.run.error && <span className="small field-error"> {node.run.error}</span>}
              </div>
              <div className="row tree-node-actions">
                <button
                  type="button"
                  data-node-first=""
                  aria-pressed={as === 'a'}
                  aria-label={`Show ${name} as run A`}
                  onClick={() => showNode(node.id, 'a')}
                >
                  Show
                </button>
                <button
                  type="button"
                  aria-pressed={as === 'b'}
                  aria-label={`Show ${name} beside, as run B`}
                  onClick={() => showNode(node.id, 'b')}
                >
                  Beside
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {b && (
        <div className="row">
          {differ && (
            <p className="small" aria-label="Where A and B differ" data-differ={differ.length}>
              {differ.length === 0
                ? 'Run A and run B end with the same window.'
                : `Run A and run B end differently at position${differ.length === 1 ? '' : 's'} ${differ.map((i) => i + 1).join(', ')}.`}
            </p>
          )}
          <button type="button" className="quiet" onClick={closeSideBySide}>
            Close run B
          </button>
        </div>
      )}
      <p className="small muted">
        Show puts a node in run A; Beside puts it next to run A as run B. ↑/↓ move between nodes.
      </p>
    </section>
  );
}

/**
 * Rewind and branch, below the runs: the form of a branch being set up (from a run header's
 * "Branch after call N"), and the tree of the branches made so far.
 */
export function RunTreePanel({ manifest }: { manifest: ModelManifest }) {
  const draft = useAppStore((s) => s.branchDraft);
  const tree = useAppStore((s) => s.tree);
  const branches = tree ? tree.nodes.length > 1 : false;
  if (!draft && !branches) return null;
  return (
    <div className="tree-panel">
      {draft && <BranchForm key={`${draft.nodeId}:${draft.atCall}`} manifest={manifest} />}
      {tree && branches && <TreeNavigator manifest={manifest} />}
    </div>
  );
}
