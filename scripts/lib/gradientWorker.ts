/**
 * A data-parallel gradient worker for `npm run train`: it reads the shared parameters, computes
 * the gradient of its rows of each batch and posts it back. The main thread sums and updates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  computeGradients,
  type CpuTrainerWorkspace,
  type TrainingBatch,
} from '../../src/model/cpuTrainer';
import { buildParameterLayout } from '../../src/model/parameterLayout';
import type { ModelConfig } from '../../src/model/config';

interface Init {
  config: ModelConfig;
  params: SharedArrayBuffer;
}

const init = workerData as Init;
const layout = buildParameterLayout(init.config);
const params = new Float32Array(init.params);
const workspace: CpuTrainerWorkspace<Float32Array> = {};

parentPort!.on('message', (batch: TrainingBatch) => {
  const { loss, grads } = computeGradients(layout, params, batch, workspace);
  const out = grads.slice();
  parentPort!.postMessage({ loss, grads: out }, [out.buffer]);
});
