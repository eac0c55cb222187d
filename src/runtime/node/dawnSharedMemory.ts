/**
 * onnxruntime-web's WebGPU build runs threaded WebAssembly, whose memory is a SharedArrayBuffer,
 * and uploads tensors with `queue.writeBuffer(buffer, offset, view-of-that-memory)`. Browsers
 * accept a view of shared memory there; Dawn's Node binding (the `webgpu` package) throws
 * "Invalid argument". Installed once in a Node process, this copies such a view into an
 * ordinary buffer first (the bytes and the call are otherwise the same). Node hosts only.
 */
export function acceptSharedMemoryInWriteBuffer(): void {
  const queue = (globalThis as { GPUQueue?: { prototype: GPUQueue } }).GPUQueue?.prototype;
  if (!queue) throw new Error('install the webgpu package globals (GPUQueue) first');
  const marked = queue as GPUQueue & { __acceptsSharedMemory?: true };
  if (marked.__acceptsSharedMemory) return;
  const writeBuffer = queue.writeBuffer;
  queue.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    bufferOffset: number,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: number,
    size?: number,
  ) {
    const view = ArrayBuffer.isView(data) ? data : null;
    if (view && view.buffer instanceof SharedArrayBuffer) {
      // dataOffset and size count elements of a typed array, bytes of a DataView.
      const unit = 'BYTES_PER_ELEMENT' in view ? (view.BYTES_PER_ELEMENT as number) : 1;
      const start = view.byteOffset + (dataOffset ?? 0) * unit;
      const bytes = size === undefined ? view.byteLength - (dataOffset ?? 0) * unit : size * unit;
      const copy = new Uint8Array(bytes);
      copy.set(new Uint8Array(view.buffer, start, bytes));
      return writeBuffer.call(this, buffer, bufferOffset, copy, 0, bytes);
    }
    return writeBuffer.call(this, buffer, bufferOffset, data as BufferSource, dataOffset, size);
  } as GPUQueue['writeBuffer'];
  marked.__acceptsSharedMemory = true;
}
