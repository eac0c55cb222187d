import os from 'node:os';

/** The machine a Node-side figure was measured on, for every bench line. */
export interface NodeMachine {
  cores: number;
  cpu: string;
  node: string;
  platform: string;
}

export function describeNodeMachine(): NodeMachine {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
