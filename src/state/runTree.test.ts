import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTrace, serializeTrace } from '../core/sampler';
import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from '../model/manifest';
import { fakeDenoiser } from './fakeDenoiser.testutil';
import { DEFAULT_CONFIG } from './generationConfig';
import { childrenOf, nodeById, pathTo, treeOrder } from './runTree';
import { nodeIdOf } from './runTreeSlice';
import { useAppStore } from './store';

const vocab = Vocabulary.withSpecials(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
const L = 8;
const manifest = {
  id: 'fake',
  vocab: [...vocab.tokens],
  special: { mask: vocab.maskId, pad: vocab.padId, eos: vocab.eosId },
  seqLen: L,
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
} as unknown as ModelManifest;

let fake: ReturnType<typeof fakeDenoiser>;
vi.mock('./denoiserInstance', () => ({ getDenoiser: () => fake }));

const s = () => useAppStore.getState();
const greedy = { strategy: 'llada.low_confidence' as const, steps: 8, blockLength: null };

async function generated() {
  useAppStore.setState({
    manifest,
    runs: [],
    tree: null,
    frame: 0,
    playing: false,
    config: { ...DEFAULT_CONFIG, a: greedy, temperature: 0, eosLast: false, seed: 3 },
  });
  await s().generate();
  await vi.waitFor(() => expect(s().runs[0]?.status).toBe('done'));
  s().pause();
}

beforeEach(() => {
  fake = fakeDenoiser(vocab.size, L, vocab.maskId);
});

describe('the run tree in the store', () => {
  it('a branch with its parent’s knobs makes no model call; every node is a whole run', async () => {
    await generated();
    expect(fake.inputs).toHaveLength(8);
    const root = s().runs[0];

    s().openBranch('a', 3);
    const tree = s().tree!;
    expect(tree.nodes).toHaveLength(1);
    expect(s().branchDraft).toEqual({ nodeId: tree.rootId, atCall: 3 });
    // The run on screen is the root now, and its trace names it.
    expect(nodeIdOf(s().runs[0])).toBe(tree.rootId);
    expect(s().runs[0].trace?.lineage).toEqual({ id: tree.rootId });

    await s().runBranch({ ...greedy, temperature: 0, pin: null });
    const after = s().tree!;
    expect(after.nodes).toHaveLength(2);
    const branch = childrenOf(after, tree.rootId)[0];
    expect(fake.inputs).toHaveLength(8);
    expect(branch).toMatchObject({ atCall: 3, mode: 'continue', modelCalls: 0, reused: 5 });
    expect(branch.run.records).toEqual(root.records);
    expect(branch.run.status).toBe('done');
    expect(branch.run.trace?.lineage).toEqual({
      id: branch.id,
      parent: { id: tree.rootId, atCall: 3, mode: 'continue' },
      earlier: [{ fromCall: 0, options: root.options }],
    });
    // Known from its start: its shown run says which options made its first calls.
    expect(branch.run.lineage).toEqual(branch.run.trace?.lineage);
    // Shown beside its parent (which joins it a task later), from the branch point.
    await vi.waitFor(() => expect(s().runs).toHaveLength(2));
    expect(s().runs.map((r) => [r.key, nodeIdOf(r)])).toEqual([
      ['a', branch.id],
      ['b', tree.rootId],
    ]);
  });

  it('branches of branches: another strategy and a pinned word; no input reaches the model twice', async () => {
    await generated();
    s().openBranch('a', 2);
    const rootId = s().tree!.rootId;
    const masked = s().runs[0].records[1].after.findIndex((t) => t === vocab.maskId);
    await s().runBranch({
      ...greedy,
      temperature: 0,
      pin: { position: masked, token: vocab.id('e') },
    });
    const first = childrenOf(s().tree!, rootId)[0];
    expect(first.run.trace?.final[masked]).toBe(vocab.id('e'));

    // From the branch (on screen as A), after call 4, Fast-dLLM with a threshold.
    s().openBranch('a', 4);
    expect(s().branchDraft?.nodeId).toBe(first.id);
    await s().runBranch({
      strategy: 'fastdllm.threshold',
      steps: 1,
      temperature: 0,
      blockLength: null,
      pin: null,
    });
    const second = childrenOf(s().tree!, first.id)[0];
    expect(second.mode).toBe('restart');
    expect(second.run.records.slice(0, 4)).toEqual(first.run.records.slice(0, 4));
    expect(second.run.trace?.final[masked]).toBe(vocab.id('e'));
    expect(second.run.trace?.lineage?.pins).toEqual([
      { position: masked, token: vocab.id('e'), fromCall: 2 },
    ]);
    // Its first input is the window after call 4 with the masked fraction as t, which its
    // parent gave the model already.
    expect(second.reused).toBeGreaterThanOrEqual(1);
    expect(new Set(fake.inputs).size).toBe(fake.inputs.length);
    expect(fake.inputs).toHaveLength(8 + first.modelCalls + second.modelCalls);

    const tree = s().tree!;
    expect(pathTo(tree, second.id).map((n) => n.id)).toEqual([rootId, first.id, second.id]);
    expect(treeOrder(tree).map(({ node, depth }) => [node.id, depth])).toEqual([
      [rootId, 0],
      [first.id, 1],
      [second.id, 2],
    ]);

    // Any two nodes side by side.
    s().showNode(rootId, 'a');
    s().showNode(second.id, 'b');
    expect(s().runs.map((r) => [r.key, nodeIdOf(r)])).toEqual([
      ['a', rootId],
      ['b', second.id],
    ]);
    s().closeSideBySide();
    expect(s().runs).toHaveLength(1);

    // Each exports and imports as a whole trace; an imported branch roots a tree under its id.
    for (const node of tree.nodes) {
      const parsed = parseTrace(serializeTrace(node.run.trace!));
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      expect(parsed.trace).toEqual(node.run.trace);
    }
    s().importTrace(serializeTrace(second.run.trace!), 'second.json');
    expect(s().runs[0].source).toBe('import');
    s().openBranch('a', 6);
    const imported = s().tree!;
    expect(imported.rootId).toBe(second.id);
    expect(nodeById(imported, second.id)?.pins).toEqual(second.pins);
  });

  it('says why a branch cannot start, and changes nothing', async () => {
    await generated();
    s().openBranch('a', 8);
    await s().runBranch({ ...greedy, temperature: 0, pin: null });
    expect(s().branchError).toMatch(/nothing is masked after call 8/);
    expect(s().tree!.nodes).toHaveLength(1);
    s().openBranch('a', 2);
    await s().runBranch({ ...greedy, steps: 1, temperature: 0, pin: null });
    expect(s().branchError).toMatch(/would have finished after 1 calls, before call 2/);
    s().cancelBranch();
    expect(s().branchDraft).toBeNull();
    expect(s().branchError).toBeNull();
  });
});
