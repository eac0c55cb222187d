import type { Rng } from '../rng';

/**
 * A probabilistic context-free grammar written as data, and the two things the project does
 * with it: sample sentences, and decide exactly whether a word sequence is in its language.
 * Both read the same rules, so the sampler and the oracle cannot disagree.
 *
 * Conventions: nonterminals start with an upper-case letter, terminals are the words
 * themselves (anything else). The grammar must be acyclic (no nonterminal derives itself) and
 * no rule may be empty, so every sentence has a bounded length and the exact length range and
 * distribution can be computed from the rules.
 */

export interface Rule {
  lhs: string;
  rhs: readonly string[];
  /** Relative weight among the rules with the same lhs; must be > 0. */
  weight: number;
}

export function isNonterminal(symbol: string): boolean {
  return /^[A-Z]/.test(symbol);
}

interface CompiledRule {
  rhs: readonly string[];
  probability: number;
  /** suffixMin[k] / suffixMax[k]: fewest / most words rhs[k..] can cover. */
  suffixMin: number[];
  suffixMax: number[];
}

export class Grammar {
  readonly start: string;
  readonly rules: readonly Rule[];
  /** Every terminal (word) some rule can produce, in first-appearance order. */
  readonly terminals: readonly string[];
  /** Nonterminals in an order where every one comes before those it expands into. */
  private readonly topological: string[];
  private readonly byLhs = new Map<string, CompiledRule[]>();
  /** Per nonterminal: words produced directly by one-word rules (a fast path for the parser). */
  private readonly lexical = new Map<string, Set<string>>();
  private readonly phrasal = new Map<string, CompiledRule[]>();
  private readonly minLen = new Map<string, number>();
  private readonly maxLen = new Map<string, number>();

  constructor(start: string, rules: readonly Rule[]) {
    this.start = start;
    this.rules = rules;
    const weights = new Map<string, number>();
    for (const r of rules) {
      if (!isNonterminal(r.lhs)) throw new Error(`rule lhs '${r.lhs}' must be a nonterminal`);
      if (r.rhs.length === 0) throw new Error(`rule for ${r.lhs} is empty`);
      if (!(r.weight > 0) || !Number.isFinite(r.weight)) {
        throw new Error(`rule ${r.lhs} -> ${r.rhs.join(' ')} has weight ${r.weight}`);
      }
      weights.set(r.lhs, (weights.get(r.lhs) ?? 0) + r.weight);
    }
    const terminals = new Set<string>();
    for (const r of rules) {
      for (const s of r.rhs) {
        if (isNonterminal(s) && !weights.has(s)) {
          throw new Error(`${s} (in a rule for ${r.lhs}) has no rules`);
        }
        if (!isNonterminal(s)) terminals.add(s);
      }
    }
    if (!weights.has(start)) throw new Error(`start symbol ${start} has no rules`);
    this.terminals = [...terminals];

    for (const r of rules) {
      const list = this.byLhs.get(r.lhs) ?? [];
      list.push({
        rhs: r.rhs,
        probability: r.weight / weights.get(r.lhs)!,
        suffixMin: [],
        suffixMax: [],
      });
      this.byLhs.set(r.lhs, list);
    }
    this.topological = this.orderAndMeasure();
    for (const [lhs, list] of this.byLhs) {
      const words = new Set<string>();
      const phrasal: CompiledRule[] = [];
      for (const cr of list) {
        cr.suffixMin = suffixBounds(cr.rhs, (s) => this.minLength(s));
        cr.suffixMax = suffixBounds(cr.rhs, (s) => this.maxLength(s));
        if (cr.rhs.length === 1 && !isNonterminal(cr.rhs[0])) words.add(cr.rhs[0]);
        else phrasal.push(cr);
      }
      this.lexical.set(lhs, words);
      this.phrasal.set(lhs, phrasal);
    }
  }

  /** Depth-first post-order: detects cycles and fills the length bounds bottom-up. */
  private orderAndMeasure(): string[] {
    const post: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (symbol: string, path: string[]) => {
      const s = state.get(symbol);
      if (s === 'done') return;
      if (s === 'open') throw new Error(`grammar is recursive: ${[...path, symbol].join(' -> ')}`);
      state.set(symbol, 'open');
      let lo = Infinity;
      let hi = 0;
      for (const r of this.byLhs.get(symbol)!) {
        let rlo = 0;
        let rhi = 0;
        for (const child of r.rhs) {
          if (isNonterminal(child)) visit(child, [...path, symbol]);
          rlo += this.minLength(child);
          rhi += this.maxLength(child);
        }
        lo = Math.min(lo, rlo);
        hi = Math.max(hi, rhi);
      }
      this.minLen.set(symbol, lo);
      this.maxLen.set(symbol, hi);
      state.set(symbol, 'done');
      post.push(symbol);
    };
    for (const lhs of this.byLhs.keys()) visit(lhs, []);
    return post.reverse();
  }

  /** Fewest words the symbol can derive (1 for a terminal). */
  minLength(symbol: string = this.start): number {
    return isNonterminal(symbol) ? this.minLen.get(symbol)! : 1;
  }

  /** Most words the symbol can derive. */
  maxLength(symbol: string = this.start): number {
    return isNonterminal(symbol) ? this.maxLen.get(symbol)! : 1;
  }

  /** Expands the start symbol left to right, picking each rule by its weight. */
  sample(rng: Rng): string[] {
    const words: string[] = [];
    const stack: string[] = [this.start];
    while (stack.length > 0) {
      const symbol = stack.pop()!;
      if (!isNonterminal(symbol)) {
        words.push(symbol);
        continue;
      }
      const options = this.byLhs.get(symbol)!;
      // A symbol with a single rule has no choice to make, so it takes no random draw.
      const chosen =
        options.length === 1
          ? options[0]
          : options[rng.weighted(options.map((o) => o.probability))];
      for (let k = chosen.rhs.length - 1; k >= 0; k--) stack.push(chosen.rhs[k]);
    }
    return words;
  }

  /**
   * Exact membership: can the start symbol derive exactly these words? A memoised top-down
   * chart over (symbol, span), pruned by the symbols' length bounds; polynomial in the length.
   */
  recognizes(words: readonly string[]): boolean {
    const n = words.length;
    if (n < this.minLength() || n > this.maxLength()) return false;
    const memo = new Map<string, boolean>();

    const derives = (symbol: string, i: number, j: number): boolean => {
      const span = j - i;
      if (!isNonterminal(symbol)) return span === 1 && words[i] === symbol;
      if (span < this.minLen.get(symbol)! || span > this.maxLen.get(symbol)!) return false;
      const key = `${symbol} ${i} ${j}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      let result = span === 1 && this.lexical.get(symbol)!.has(words[i]);
      if (!result) {
        for (const r of this.phrasal.get(symbol)!) {
          if (matches(r, 0, i, j)) {
            result = true;
            break;
          }
        }
      }
      memo.set(key, result);
      return result;
    };

    // Can r.rhs[k..] cover exactly words[i..j)?
    const matches = (r: CompiledRule, k: number, i: number, j: number): boolean => {
      if (k === r.rhs.length) return i === j;
      const span = j - i;
      if (span < r.suffixMin[k] || span > r.suffixMax[k]) return false;
      const head = r.rhs[k];
      const first = i + this.minLength(head);
      const last = Math.min(i + this.maxLength(head), j - r.suffixMin[k + 1]);
      for (let m = first; m <= last; m++) {
        if (derives(head, i, m) && matches(r, k + 1, m, j)) return true;
      }
      return false;
    };

    return derives(this.start, 0, n);
  }

  /** Expected occurrences of each word in one sampled sentence (exact, from the weights). */
  expectedWordCounts(): Map<string, number> {
    const expected = new Map<string, number>([[this.start, 1]]);
    const words = new Map<string, number>();
    for (const symbol of this.topological) {
      const e = expected.get(symbol) ?? 0;
      if (e === 0) continue;
      for (const r of this.byLhs.get(symbol)!) {
        for (const child of r.rhs) {
          const target = isNonterminal(child) ? expected : words;
          target.set(child, (target.get(child) ?? 0) + e * r.probability);
        }
      }
    }
    return words;
  }

  /** Exact probability of each sentence length: index = number of words. */
  lengthDistribution(): number[] {
    const dist = new Map<string, number[]>();
    const of = (symbol: string) => (isNonterminal(symbol) ? dist.get(symbol)! : [0, 1]);
    for (const symbol of [...this.topological].reverse()) {
      const total = new Array<number>(this.maxLength(symbol) + 1).fill(0);
      for (const r of this.byLhs.get(symbol)!) {
        let acc = [1];
        for (const child of r.rhs) acc = convolve(acc, of(child));
        acc.forEach((p, len) => (total[len] += r.probability * p));
      }
      dist.set(symbol, total);
    }
    return dist.get(this.start)!;
  }
}

function suffixBounds(rhs: readonly string[], length: (s: string) => number): number[] {
  const out = new Array<number>(rhs.length + 1).fill(0);
  for (let k = rhs.length - 1; k >= 0; k--) out[k] = out[k + 1] + length(rhs[k]);
  return out;
}

function convolve(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return out;
}
