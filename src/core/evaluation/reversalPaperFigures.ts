/**
 * The LLaDA paper's poem-completion figures (exact match, %), which the reversal lab and the
 * reversal bench print beside ours.
 */
export const REVERSAL_PAPER_SOURCE = 'Nie et al. 2025, Large Language Diffusion Models, Table 4';

export const REVERSAL_PAPER_FIGURES: readonly {
  model: string;
  forward: number;
  reversal: number;
}[] = [
  { model: 'LLaDA 8B Instruct', forward: 48.8, reversal: 42.4 },
  { model: 'GPT-4o', forward: 82.7, reversal: 34.3 },
];
