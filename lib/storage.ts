// Tensor storage allocation. Every typed array a kernel touches must live in an off-heap
// ArrayBuffer; a tiny typed array created in JS lives on V8's heap and is moved off it (a malloc,
// a copy, a later sweep) the first time native code asks for its data, which would double the
// cost of a tiny op. So small storage is carved from shared slabs, each one zero-filled
// ArrayBuffer freed by the garbage collector once no tensor views it any more. Slices are never
// reused, so they start zeroed.
import { ARRAY_TYPE, DTYPE_CODE, type DType } from "./dtype.js";
import { native, type Storage } from "./native.js";

// Up to this many bytes a tensor takes a slice of a slab; above, its own buffer.
const SLAB_MAX_BYTES = 2048;
// Small enough that a few long-lived small tensors pin little memory.
const SLAB_BYTES = 16384;
// Every slice starts on a 64-byte boundary, as native.alloc's buffers do (SIMD-friendly).
const ALIGN = 64;

let slab = new ArrayBuffer(0);
let slabUsed = 0;
// Slabs are shared, so they are never released early by dispose().
const slabs = new WeakSet<ArrayBufferLike>();

function fromSlab(dtype: DType, n: number, bytes: number): Storage {
  if (slabUsed + bytes > slab.byteLength) {
    const block = native.alloc(DTYPE_CODE.float32, SLAB_BYTES / 4);  // zeroed and 64-byte aligned
    slab = block.buffer as ArrayBuffer;
    slabs.add(slab);
    slabUsed = block.byteOffset;
  }
  const out = new ARRAY_TYPE[dtype](slab, slabUsed, n);
  slabUsed += (bytes + ALIGN - 1) & -ALIGN;
  return out;
}

// Zero-filled storage for n elements. `zero = false` may leave large storage uninitialised: only
// for outputs a kernel overwrites entirely.
export function allocStorage(dtype: DType, n: number, zero = true): Storage {
  const bytes = n * ARRAY_TYPE[dtype].BYTES_PER_ELEMENT;
  if (bytes === 0) return new ARRAY_TYPE[dtype](0);
  return bytes <= SLAB_MAX_BYTES ? fromSlab(dtype, n, bytes) : native.alloc(DTYPE_CODE[dtype], n, zero);
}

// Buffers a native thread is reading or writing (tg.distributed's collectives), with a count of
// the operations in flight; dispose() of such a buffer is deferred until the last one settles.
const pinned = new Map<ArrayBufferLike, { count: number; release: Storage | null }>();

export function pinStorage(s: Storage): void {
  const p = pinned.get(s.buffer);
  if (p) p.count++;
  else pinned.set(s.buffer, { count: 1, release: null });
}

export function unpinStorage(s: Storage): void {
  const p = pinned.get(s.buffer);
  if (!p || --p.count > 0) return;
  pinned.delete(s.buffer);
  if (p.release) releaseStorage(p.release);
}

// Frees storage now rather than at the next garbage collection, unless it shares a slab.
export function releaseStorage(s: Storage): void {
  const p = pinned.get(s.buffer);
  if (p) p.release = s;
  else if (s.length > 0 && !slabs.has(s.buffer)) native.release(s);
}

// Marks a buffer that several tensors view (a loaded checkpoint's data) so that dispose() on one of
// them leaves the others valid; the garbage collector frees it once none is left.
export function markShared(buffer: ArrayBufferLike): void {
  slabs.add(buffer);
}
