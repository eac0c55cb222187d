import type { Corpus } from '../core/corpus';
import { DEFAULT_ADAMW } from '../model/adamw';
import { buildOnnxModel } from '../model/onnx/buildOnnxModel';
import { manifestForBuiltModel } from '../model/packageManifest';
import type { ParameterLayout } from '../model/parameterLayout';
import type { HistoryPoint } from './lossHistory';
import { type ExportedPackage, scheduleFor, type TrainingSettings } from './trainingProtocol';

/**
 * A trained package's id says what it is (corpus, size, steps), so two downloads never share a
 * name and a trace written with one names the run it came from.
 */
function trainedPackageId(corpus: string, preset: string, step: number): string {
  return `trained-${corpus}-${preset}-${step}`;
}

export interface TrainingRecord {
  settings: TrainingSettings;
  step: number;
  history: readonly HistoryPoint[];
  backend: string;
}

/**
 * Mean loss of the last (up to) 20 steps: one batch's loss is too noisy to quote. Where the
 * history is thinned (lossHistory.ts) the last points cover more: their steps, at least 20,
 * each point weighted by the steps it covers.
 */
export function finalLoss(history: readonly HistoryPoint[]): number | null {
  let from = history.length;
  let steps = 0;
  while (from > 0 && steps < 20) steps += history[--from].span;
  if (!steps) return null;
  let sum = 0;
  for (let i = from; i < history.length; i++) sum += history[i].loss * history[i].span;
  return sum / steps;
}

/**
 * The run's weights as a model package (Contract 1): the ONNX graph from the src/model builder
 * and a manifest whose training record says how they were made, so it loads in every view and,
 * downloaded, back through "Open your own model".
 */
export function buildTrainedPackage(
  layout: ParameterLayout,
  params: Float32Array,
  corpus: Corpus,
  record: TrainingRecord,
): ExportedPackage {
  const { settings } = record;
  const { config } = layout;
  const vocab = corpus.vocab;
  const loss = finalLoss(record.history);
  const id = trainedPackageId(corpus.name, settings.preset, record.step);
  const files = { onnx: `${id}.onnx`, manifest: `${id}.manifest.json` };
  const manifest = manifestForBuiltModel({
    id,
    onnx: files.onnx,
    title: `Trained in this page (${settings.preset}, ${record.step} steps)`,
    description: `A ${config.layers}-layer bidirectional Transformer (d=${config.dModel}) trained in the browser with the masked-diffusion objective on ${corpus.name}.`,
    kind: 'masked-diffusion',
    config,
    vocab: vocab.tokens.slice(),
    special: { mask: vocab.maskId, pad: vocab.padId, eos: vocab.eosId },
    training: {
      corpus: corpus.name,
      trainer: record.backend === 'webgpu' ? 'in-page WebGPU trainer' : 'in-page CPU reference',
      backend: record.backend,
      preset: settings.preset,
      steps: record.step,
      plannedSteps: settings.steps,
      batch: settings.batch,
      lr: settings.lr,
      seed: settings.seed,
      weighting: settings.weighting,
      objective: `masked-diffusion, ${settings.weighting} weighting, t ~ U(0.001, 1)`,
      optimizer: { name: 'AdamW', ...DEFAULT_ADAMW, schedule: scheduleFor(settings) },
      finalLoss: loss === null ? null : +loss.toFixed(5),
    },
  });
  const onnx = buildOnnxModel(layout, params, { producer: 'unmask in-page trainer' });
  const bytes = new ArrayBuffer(onnx.byteLength);
  new Uint8Array(bytes).set(onnx);
  return { manifestJson: JSON.stringify(manifest, null, 2), onnx: bytes, files };
}
