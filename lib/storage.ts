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
// copies). dispose() drops one handle; when the last one goes, the array goes to a free list for the next
// tensor of its size (FreeLists below) or its memory is released at once.
// Storage tensorgrad did not allocate (a caller's typed array) is never released.
import { ARRAY_TYPE, DTYPE_CODE, dtypeOf, type DType } from "./dtype.js";
import { fmt } from "./shape.js";
import { describe } from "./options.js";
import { native, type Storage } from "./native.js";
import { largeAllocation, noteLargeReuse, onEmptyCache, registerJsCache } from "./memory.js";

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
  const lists = bytes <= SLAB_MAX_BYTES ? smallFree : largeFree;
  let s = lists.take(dtype, n);
  if (s !== undefined) {
    if (lists === largeFree) noteLargeReuse(bytes);
    if (zero) s.fill(0);
    return s;
  }
  s = bytes <= SLAB_MAX_BYTES ? fromSlab(small, dtype, n, bytes) : largeAllocation(bytes, () => native.alloc(DTYPE_CODE[dtype], n, zero));
  s[OWNERS] = 0;
  return s;
}

// Free lists of storage whose last handle was disposed, by dtype and length, each array handed whole to
// the next tensor of its size: a training step's intermediates and used-up gradients are then the same
// few arrays every step. Bounded by arrays in all, arrays per size, and bytes; beyond a bound an array
// is let go (`drop`). Only storage no live tensor uses ever enters (the owner count reached 0).
class FreeLists {
  private readonly lists: Record<DType, Map<number, Owned[]>> = { float32: new Map(), float64: new Map(), int32: new Map() };
  private count = 0;
  bytes = 0;
  constructor(private readonly maxArrays: number, private readonly maxPerSize: number, private readonly maxBytes: number,
    private readonly drop: (s: Owned) => void) {}

  take(dtype: DType, n: number): Owned | undefined {
    const list = this.lists[dtype].get(n);
    if (list === undefined || list.length === 0) return undefined;
    const s = list.pop()!;
    --this.count, this.bytes -= s.byteLength;
    return s;
  }

  put(s: Owned): void {
    if (this.count >= this.maxArrays || this.bytes + s.byteLength > this.maxBytes) return this.drop(s);
    const dtype = dtypeOf(s);
    let list = this.lists[dtype].get(s.length);
    if (list === undefined) this.lists[dtype].set(s.length, (list = []));
    if (list.length >= this.maxPerSize) return this.drop(s);
    ++this.count, this.bytes += s.byteLength;
    list.push(s);
  }

  clear(): void {
    for (const byLength of Object.values(this.lists)) {
      for (const list of byLength.values()) for (const s of list) this.drop(s);
      byLength.clear();
    }
    this.count = 0, this.bytes = 0;
  }
}

// Small (slab-carved) storage. A listed array keeps its whole 16 KiB slab alive, so at most 64 arrays
// (1 MiB of slabs), 8 per size; one let go is left to the garbage collector with its slab.
const smallFree = new FreeLists(64, 8, Infinity, () => {});
// Large storage, each its own ArrayBuffer: reusing one spares the native allocation, a new ArrayBuffer
// and its external-memory count (1.3-1.8 µs each, and the scavenges that V8 runs as that count grows:
// one every ~13 steps of the 784-512-256-10 MLP, ~3.5 MB of new buffers per step). Bounded by bytes
// (32 MiB, arrays of up to 8 MiB) so that what it holds stays a small part of malloc's cache, which
// serves every other size; one let go is freed at once. Counted as cached in tg.memoryStats().
const LARGE_KEEP_MAX_BYTES = 8 << 20;
const largeFree = new FreeLists(Infinity, 8, 32 << 20, (s) => native.release(s));
registerJsCache(largeFree);

onEmptyCache(() => {
  smallFree.clear();
  largeFree.clear();
});

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
  const p = pinned.get(s.buffer);
  if (s.byteLength <= SLAB_MAX_BYTES) {
    if (!p && s.byteLength > 0) smallFree.put(s);  // a slab a collective reads stays out of the lists
  } else if (p) p.release = s;
  else if (s.byteLength <= LARGE_KEEP_MAX_BYTES) largeFree.put(s);
  else native.release(s);
}

// What the public `new Tensor(array, shape, strides?, offset?)` reads, checked: a typed array of a tensor dtype, and a
// view (shape already checked) that stays inside it. Returns the array's dtype.
export function checkForeignView(storage: unknown, shape: number[], strides: unknown, offset: unknown): DType {
  if (!(storage instanceof Float32Array || storage instanceof Float64Array || storage instanceof Int32Array))
    throw new TypeError(`Tensor: storage must be a Float32Array, Float64Array or Int32Array, got ${describe(storage)}; copy other data with tg.tensor(Array.from(data))`);
  if (!Array.isArray(strides) || strides.length !== shape.length || !strides.every((s) => Number.isInteger(s) && s >= 0))
    throw new TypeError(`Tensor: strides must be ${shape.length} non-negative integer${shape.length === 1 ? "" : "s"} (one per dim of shape ${fmt(shape)}; as PyTorch, no negative strides), got ${Array.isArray(strides) ? fmt(strides) : describe(strides)}`);
  if (!Number.isInteger(offset) || (offset as number) < 0) throw new TypeError(`Tensor: offset must be a non-negative integer, got ${describe(offset)}`);
  let hi = offset as number;
  for (let i = 0; i < shape.length; ++i) hi += strides[i] * (shape[i] - 1);
  if (shape.every((d) => d > 0) && hi >= storage.length)
    throw new RangeError(`Tensor: shape ${fmt(shape)} with strides ${fmt(strides)} from offset ${offset} reads elements ${offset}..${hi}, ` +
      `but the ${storage.constructor.name} has ${storage.length}${storage.length === 0 ? " (an empty array, or one whose buffer was transferred)" : ""}`);
  return dtypeOf(storage);
}
