/**
 * The branches of a run, as a tree the generation view can move through (rewind and branch). The
 * root is the run a person first branched from (generated, imported, recorded or their own);
 * every other node is a branch: its parent's first `atCall` calls, then its own
 * (core/sampler/branch.ts). Each node holds its whole run, so any node plays, exports and is put
 * side by side with any other like a run of its own. Pure: no store, no worker.
 */
import {
  isManualStrategy,
  resolveOptions,
  usesBlocks,
  type BranchMode,
  type BranchSource,
  type LineagePin,
  type ResolvedSamplerOptions,
  type StrategyName,
} from '../core/sampler';
import type { GenerationRun } from './generationRun';

export interface TreeNode {
  /** The lineage id its trace carries (a branch names its parent by it). */
  id: string;
  parentId: string | null;
  /** Calls shared with the parent (0 for the root). */
  atCall: number;
  mode: BranchMode | null;
  /** Words pinned after the start on this node's path, each from its call on. */
  pins: LineagePin[];
  /** The whole run: the parent's calls up to atCall, then its own. */
  run: GenerationRun;
  /** Of its own calls: those that reached the model, and those the logits cache answered. */
  modelCalls: number;
  reused: number;
}

export interface RunTree {
  rootId: string;
  /** In the order they were made: a parent always before its branches. */
  nodes: TreeNode[];
}

/** What a branch changes: the rest of its options are its parent's. */
export interface BranchSettings {
  strategy: StrategyName;
  steps: number;
  temperature: number;
  /** Block strategies only; null = one block. */
  blockLength: number | null;
  /** A word pinned at the branch point (0-based position, the word's id). */
  pin: { position: number; token: number } | null;
}

let counter = 0;

/** A fresh lineage id: random where the platform gives one, unique in this page regardless. */
export function newRunId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  counter++;
  return `${random}-${counter}`;
}

/** A tree whose root is `run` (its trace's lineage id kept when it has one). */
export function treeFromRun(
  run: GenerationRun,
  id = run.trace?.lineage?.id ?? newRunId(),
): RunTree {
  const lineage = run.trace?.lineage;
  return {
    rootId: id,
    nodes: [
      {
        id,
        parentId: lineage?.parent?.id ?? null,
        atCall: lineage?.parent?.atCall ?? 0,
        mode: lineage?.parent?.mode ?? null,
        pins: lineage?.pins ?? [],
        run: withLineageId(run, id),
        modelCalls: run.modelCalls,
        reused: 0,
      },
    ],
  };
}

/** The run with its trace carrying `id`, so an export names what its branches refer to. */
function withLineageId(run: GenerationRun, id: string): GenerationRun {
  if (!run.trace || run.trace.lineage?.id === id) return run;
  return { ...run, trace: { ...run.trace, lineage: { ...run.trace.lineage, id } } };
}

export function nodeById(tree: RunTree, id: string): TreeNode | null {
  return tree.nodes.find((n) => n.id === id) ?? null;
}

export function childrenOf(tree: RunTree, id: string): TreeNode[] {
  return tree.nodes.filter((n) => n.parentId === id && n.id !== tree.rootId);
}

/** The nodes from the root to `id`, both included. */
export function pathTo(tree: RunTree, id: string): TreeNode[] {
  const path: TreeNode[] = [];
  let node = nodeById(tree, id);
  while (node) {
    path.unshift(node);
    if (node.id === tree.rootId) break;
    node = node.parentId === null ? null : nodeById(tree, node.parentId);
  }
  return path;
}

/** How deep a node is (the root 0). */
export const depthOf = (tree: RunTree, id: string) => pathTo(tree, id).length - 1;

/** The tree's nodes depth first (a parent, then each of its branches and theirs), with depth. */
export function treeOrder(tree: RunTree): { node: TreeNode; depth: number }[] {
  const out: { node: TreeNode; depth: number }[] = [];
  const visit = (node: TreeNode, depth: number) => {
    out.push({ node, depth });
    for (const child of childrenOf(tree, node.id)) visit(child, depth + 1);
  };
  const root = nodeById(tree, tree.rootId);
  if (root) visit(root, 0);
  return out;
}

export function addNode(tree: RunTree, node: TreeNode): RunTree {
  return { ...tree, nodes: [...tree.nodes, node] };
}

export function updateNode(tree: RunTree, id: string, change: Partial<TreeNode>): RunTree {
  return { ...tree, nodes: tree.nodes.map((n) => (n.id === id ? { ...n, ...change } : n)) };
}

/** A node's run as a branch source (core/sampler/branch.ts). */
export function sourceOf(node: TreeNode): BranchSource {
  const r = node.run;
  return {
    initial: r.initial,
    pinned: r.pinned,
    promptLength: r.promptLength,
    maskId: r.maskId,
    vocabSize: r.vocabSize,
    records: r.records,
    pins: node.pins,
    options: r.options,
    earlier: (r.lineage ?? r.trace?.lineage)?.earlier,
    ownFrom: node.atCall,
  };
}

/** A branch's options: its parent's, with the settings it changes. Throws on a bad value. */
export function branchOptions(
  parent: ResolvedSamplerOptions,
  settings: BranchSettings,
): ResolvedSamplerOptions {
  const manual = isManualStrategy(parent.strategy);
  return resolveOptions({
    ...parent,
    strategy: settings.strategy,
    steps: settings.steps,
    temperature: settings.temperature,
    blockLength: usesBlocks(settings.strategy) ? settings.blockLength : null,
    // A person's run carries no [EOS] rule of its own; a sampler after it ranks [EOS] last, as
    // the generation view does by default.
    ...(manual && parent.eosId !== null ? { confidenceEosEotInf: true } : {}),
  });
}

/** The positions at which the two runs' final windows differ. */
export function differingPositions(a: GenerationRun, b: GenerationRun): number[] {
  const fa = a.records.at(-1)?.after ?? a.initial;
  const fb = b.records.at(-1)?.after ?? b.initial;
  const out: number[] = [];
  for (let i = 0; i < Math.min(fa.length, fb.length); i++) if (fa[i] !== fb[i]) out.push(i);
  return out;
}
