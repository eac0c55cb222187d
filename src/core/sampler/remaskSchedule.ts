/**
 * ReMDM's remasking probability σ_t (Wang, Schiff, Sahoo, Kuleshov 2025, "Remasking Discrete
 * Diffusion Models with Inference-Time Scaling", §3). Going from time t to s < t with signal
 * levels α_t < α_s (α = fraction of tokens unmasked), a decoded token is sent back to [MASK] with
 * probability σ_t, and σ_t must stay ≤ σ_max = min(1, (1 − α_s) / α_t) so that the masked
 * positions still have a valid unmasking probability (α_s − (1 − σ_t) α_t) / (1 − α_t) ≥ 0.
 *
 * - 'cap' (ReMDM-cap): σ_t = min(η, (1 − α_s) / α_t)
 * - 'rescale' (ReMDM-rescale): σ_t = η · σ_max
 *
 * At the last step α_s = 1, so σ = 0: nothing is remasked and the sequence ends clean.
 */
import type { RemaskSchedule } from './options';

export function remaskSigmaMax(alphaT: number, alphaS: number): number {
  if (alphaT <= 0) return 1; // nothing decoded yet; the bound (1 − α_s)/0 is +∞
  return Math.min(1, (1 - alphaS) / alphaT);
}

export function remaskSigma(
  schedule: RemaskSchedule,
  eta: number,
  alphaT: number,
  alphaS: number,
): number {
  const max = remaskSigmaMax(alphaT, alphaS);
  return schedule === 'cap' ? Math.min(eta, max) : eta * max;
}
