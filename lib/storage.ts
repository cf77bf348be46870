// Tensor storage: allocation and the ownership rule.
//
// Allocation. Every typed array a kernel touches must live in an off-heap ArrayBuffer; a tiny
// typed array created in JS lives on V8's heap and is moved off it (a malloc, a copy, a later
// sweep) the first time native code asks for its data, which would double the cost of a tiny op.
// So small storage is carved from shared slabs, each one zero-filled ArrayBuffer freed by the
// garbage collector once no tensor views it any more. Slices are never reused, so they start
// zeroed. Scalars and other tiny tensors get slabs of their own: a kept loss scalar then pins only
// its neighbouring scalars (a few bytes), not a 16 KiB slab of a step's activations.
//
// Ownership. Storage above the slab size belongs to tensorgrad (native.alloc) and has an owner
// count: the number of live tensor handles over it (a tensor and its views, aliases, detached
// copies). dispose() drops one handle; the memory is released only when the last one goes.
// Storage tensorgrad did not allocate (a caller's typed array) is never released.
import { ARRAY_TYPE, DTYPE_CODE, dtypeOf, type DType } from "./dtype.js";
import { native, type Storage } from "./native.js";
import { largeAllocation, onEmptyCache } from "./memory.js";

// Up to this many bytes a tensor takes a slice of a slab; above, its own buffer.
export const SLAB_MAX_BYTES = 2048;
// Up to this many bytes a tensor is "tiny" (scalars, small vectors) and uses the tiny slabs.
const TINY_MAX_BYTES = 16;

interface Slab {
  buffer: ArrayBuffer;
  used: number;
  readonly bytes: number;  // size of a fresh slab
  readonly align: number;  // every slice starts on this boundary (at least its element size)
}
// 64-byte slices are SIMD-friendly, as native.alloc's buffers are; tiny slices are packed.
const small: Slab = { buffer: new ArrayBuffer(0), used: 0, bytes: 16384, align: 64 };
const tiny: Slab = { buffer: new ArrayBuffer(0), used: 0, bytes: 2048, align: 1 };

// Live tensor handles over a buffer tensorgrad allocated for one tensor's storage (which dispose()
// may release), kept on the array itself under a private symbol; other arrays have none. A WeakMap
// keyed by these short-lived arrays cost a quarter of a mid-size op (ephemeron write barriers, and
// clearing them in every scavenge).
const OWNERS = Symbol("tensorgrad.owners");
type Owned = Storage & { [OWNERS]?: number };

function fromSlab(s: Slab, dtype: DType, n: number, bytes: number): Storage {
  const align = Math.max(s.align, ARRAY_TYPE[dtype].BYTES_PER_ELEMENT);
  let start = (s.used + align - 1) & -align;
  if (start + bytes > s.buffer.byteLength) {
    const block = native.alloc(DTYPE_CODE.float32, s.bytes / 4);  // zeroed and 64-byte aligned
    s.buffer = block.buffer as ArrayBuffer;
    start = block.byteOffset;
  }
  s.used = start + bytes;
  return new ARRAY_TYPE[dtype](s.buffer, start, n);
}

// Zero-filled storage for n elements. `zero = false` may leave large storage uninitialised: only
// for outputs a kernel overwrites entirely.
export function allocStorage(dtype: DType, n: number, zero = true): Storage {
  const bytes = n * ARRAY_TYPE[dtype].BYTES_PER_ELEMENT;
  if (n > 2 ** 50) throw new RangeError(`cannot allocate a tensor of ${n.toExponential(3)} elements (${bytes.toExponential(3)} bytes): too large`);
  if (bytes === 0) return new ARRAY_TYPE[dtype](0);
  if (bytes <= TINY_MAX_BYTES) return fromSlab(tiny, dtype, n, bytes);
  let s: Owned;
  if (bytes <= SLAB_MAX_BYTES) {
    const free = FREE[dtype].get(n);
    if (free !== undefined && free.length > 0) {
      --freeCount;
      s = free.pop()!;
      if (zero) s.fill(0);
      return s;
    }
    s = fromSlab(small, dtype, n, bytes);
  } else s = largeAllocation(bytes, () => native.alloc(DTYPE_CODE[dtype], n, zero));
  s[OWNERS] = 0;
  return s;
}

// Small storage whose last handle was disposed, by dtype and length, handed to the next tensor of that
// size: a training step's gradients, which backward disposes once used, are then the same few arrays
// every step instead of fresh slab memory (whose pages fault in until the garbage collector frees
// old slabs) and a new typed array each. A listed array keeps its whole 16 KiB slab alive, so the
// lists are bounded by count (at most 64 arrays: 1 MiB of slabs), 8 arrays per size; beyond that a
// slice is left to the collector.
const FREE: Record<DType, Map<number, Owned[]>> = { float32: new Map(), float64: new Map(), int32: new Map() };
const FREE_MAX = 64, FREE_MAX_PER_SIZE = 8;
let freeCount = 0;

onEmptyCache(() => {
  for (const dtype of ["float32", "float64", "int32"] as const) FREE[dtype].clear();
  freeCount = 0;
});

function recycle(s: Owned): void {
  if (freeCount >= FREE_MAX || pinned.has(s.buffer)) return;
  const dtype = dtypeOf(s);
  let list = FREE[dtype].get(s.length);
  if (list === undefined) FREE[dtype].set(s.length, (list = []));
  if (list.length >= FREE_MAX_PER_SIZE) return;
  ++freeCount;
  list.push(s);
}

// A new tensor handle over `s` (called by the Tensor constructor).
export function retainStorage(s: Storage): void {
  const n = (s as Owned)[OWNERS];
  if (n !== undefined) (s as Owned)[OWNERS] = n + 1;
}

// Whether `s` is storage tensorgrad allocated with exactly one live tensor handle over it: changing it
// in place then changes no other tensor.
export function soleHandle(s: Storage): boolean {
  return (s as Owned)[OWNERS] === 1;
}

// One handle over `s` is gone (dispose): frees the memory now, rather than at the next garbage
// collection, when it was the last handle and tensorgrad allocated it.
export function dropStorage(s: Storage): void {
  const n = (s as Owned)[OWNERS];
  if (n === undefined) return;
  (s as Owned)[OWNERS] = n - 1;
  if (n <= 1) release(s);
}

// Buffers a native thread is reading or writing (tg.distributed's collectives), with a count of
// the operations in flight; releasing such a buffer is deferred until the last one settles.
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
  if (p.release) native.release(p.release);
}

function release(s: Storage): void {
  if (s.byteLength <= SLAB_MAX_BYTES) return recycle(s);
  const p = pinned.get(s.buffer);
  if (p) p.release = s;
  else native.release(s);
}
