/**
 * WebGPU's buffer-usage and map-mode bit values, fixed by the specification. TypeScript's DOM
 * library types the descriptors but does not declare the GPUBufferUsage / GPUMapMode globals,
 * and in Node they exist only after the `webgpu` package's globals are installed; these
 * constants work everywhere.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
