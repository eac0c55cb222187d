/// <reference lib="webworker" />
import { buildTimingPackage } from '../model/timingPackage';
import type { TimingPackageReply, TimingPackageRequest } from './timingPackages';

/**
 * Builds the speed lab's timing packages (random weights, serialized to ONNX) off the main
 * thread: one takes 20-90 ms of CPU, and the lab asks for two per window length at once.
 */
self.onmessage = (event: MessageEvent<TimingPackageRequest>) => {
  const { id, trained, seqLen } = event.data;
  let reply: TimingPackageReply;
  const transfer: Transferable[] = [];
  try {
    const pkg = buildTimingPackage(trained, seqLen);
    reply = { id, pkg };
    transfer.push(pkg.onnx.buffer);
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(reply, transfer);
};
