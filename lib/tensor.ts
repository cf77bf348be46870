// The Tensor: a strided view (shape, strides, offset) over typed-array storage that native code
// reads and writes in place, plus its autograd fields. This module imports no op: ops are attached
// to Tensor.prototype by their definitions (lib/ops/define.ts), and backward(), hooks and
// retainGrad() by lib/autograd/tensor-autograd.ts, so no module's load order matters.
import { ARRAY_TYPE, type DType } from "./dtype.js";
import { native, type Storage } from "./native.js";
import { allocStorage, checkForeignView, dropStorage, retainStorage, soleHandle } from "./storage.js";
import { checkShape, contiguousStrides, fmt, isContiguous, normalizeDim, numelOf, sameShape, type Shape } from "./shape.js";
import type { Node } from "./autograd/node.js";
import { formatTensor } from "./format.js";

export type NestedArray = number | NestedArray[];

// Regenerates a stale view's history (installed by lib/autograd/view-history.ts, which every op that
// changes a history imports, so it is in place before any view can be stale).
let refreshView: (view: Tensor) => void = () => {};
export function setViewRefresh(f: (view: Tensor) => void): void {
  refreshView = f;
}

// What may be assigned as t's .grad (the engine's own gradients always pass).
function checkGrad(g: unknown, t: Tensor): void {
  if (!(g instanceof Tensor))
    throw new TypeError(`.grad: assigned a ${Array.isArray(g) ? "plain array" : typeof g}; assign a Tensor of shape ${fmt(t.shape)} or null`);
  if (!sameShape(g.shape, t.shape))
    throw new Error(`.grad: assigned a gradient of shape ${fmt(g.shape)} to a tensor of shape ${fmt(t.shape)}; they must match`);
  if (g.disposeState === "disposed") throw new Error(`.grad: assigned a disposed tensor (shape ${fmt(g.shape)})`);
}

// The key of a tensor's gradient: a symbol, so that Object.entries(t), {...t} or a for-in loop cannot
// reach the gradient without going through .grad (which marks it seen).
const GRADIENT = Symbol("gradient");

// t's .grad as the engine, optimizers and zeroGrad() read and set it: this does not count as handing
// the gradient to user code (Tensor.gradSeen).
export function gradOf(t: Tensor): Tensor | null {
  return t[GRADIENT];
}
export function setGradUnseen(t: Tensor, g: Tensor | null): void {
  t[GRADIENT] = g;
}

// Held by every tensor so that structuredClone(t) and postMessage(t) throw a DataCloneError naming this
// function, whose name says what to do, instead of sending a plain object of internals: one without the
// tensor's methods, and whose storage carries the whole slab a small tensor shares with others' values.
function tgTensorCannotBeCloned_sendTensorToTransferableAndRebuildWithTgFromTransferable(): void {}

// The storage of every disposed tensor: empty, one per dtype (disposing allocates nothing).
const DISPOSED = { float32: new Float32Array(0), float64: new Float64Array(0), int32: new Int32Array(0) };

/**
 * An n-dimensional array of float32, float64 or int32: a strided view (`shape`, `strides`, `offset`) over
 * typed-array `storage`, with autograd fields (`requiresGrad`, `grad`, `gradFn`). Create tensors with
 * `tg.tensor`, `tg.zeros`, `tg.randn`, …; ops are methods (`a.matmul(b).relu()`) and functions (`tg.matmul`).
 * Ownership: `dispose()` frees the memory once no view, alias or recorded graph uses it. Mirrors `torch.Tensor`.
 */
export class Tensor {
  // Every field is assigned in the constructor, in this order, rather than by class-field
  // initialisers: those run as a separate initialiser function of define-property stores, which is
  // a fifth of making a tensor until V8 optimises it, hundreds of steps into a training run.
  declare storage: Storage;
  declare readonly shape: number[];
  declare readonly strides: number[];
  declare readonly offset: number;
  declare readonly dtype: DType;
  // The element count, read by numel() (a method, as PyTorch's).
  declare private readonly count: number;
  // Which output of gradFn this is.
  declare outputNr: number;
  // A leaf's gradient-accumulation node, made when an op first reads the leaf (autograd/node.ts).
  declare accumulator: Node | null;
  /** The tensor this one is a view of (view ops set it), for the in-place checks; null otherwise. */
  declare base: Tensor | null;
  // Counts the times an in-place op replaced this tensor's autograd history; a view copies its base's
  // count when made, so a view whose base's history changed since is known to be stale and has its
  // history regenerated from the base's when next read (lib/autograd/view-history.ts).
  declare historyEpoch: number;
  // A view made under tg.noGrad: PyTorch refuses to regenerate or record its history (ambiguous).
  declare viewWithoutGrad: boolean;
  private declare requires: boolean;
  private declare maker: Node | null;
  declare [GRADIENT]: Tensor | null;
  // Ownership (see storage.ts and the README's Memory section). `graphUses` counts the recorded
  // nodes that saved this tensor for their backward rule (lib/autograd/node.ts); while one still
  // holds it, dispose() only marks the tensor, and finishes once that node has run its backward.
  declare graphUses: number;
  declare disposeState: "live" | "pending" | "disposed";
  // Set once this tensor, as some tensor's .grad, has reached user code (read through .grad, assigned
  // to one, or given to a hook that reads it): zeroGrad() may then only drop it. A gradient backward
  // made that no one has seen is disposed there instead, so the next backward's gradient of that size
  // reuses its memory (lib/autograd/zero-grad.ts).
  declare gradSeen: boolean;
  private declare readonly notCloneable: () => void;

  /**
   * A tensor over `storage`: a Float32Array, Float64Array or Int32Array (float32, float64, int32) read as `shape`
   * (`[N, C, H, W]` …) with `strides` (elements; row-major when omitted) from element `offset` (0). The array is
   * shared, not copied, and `dispose()` never releases it. Mirrors `torch.frombuffer`.
   * @throws TypeError for another kind of array or a malformed shape, strides or offset; RangeError when the
   *   view reaches beyond the array.
   */
  constructor(storage: Storage, shape: number[], strides?: number[], offset = 0, dtype?: DType) {
    // Ops build their views from checked parts and name the dtype; the public form without it is checked here.
    if (dtype === undefined) dtype = checkForeignView(storage, checkShape(shape, "Tensor"), (strides ??= contiguousStrides(shape)), offset);
    this.storage = storage;
    this.shape = shape;
    this.strides = strides ?? contiguousStrides(shape);
    this.offset = offset;
    this.dtype = dtype;
    this.count = numelOf(shape);
    this.outputNr = 0;
    this.accumulator = null;
    this.base = null;
    this.historyEpoch = 0;
    this.viewWithoutGrad = false;
    this.requires = false;
    this.maker = null;
    this[GRADIENT] = null;
    this.graphUses = 0;
    this.disposeState = "live";
    this.gradSeen = false;
    this.notCloneable = tgTensorCannotBeCloned_sendTensorToTransferableAndRebuildWithTgFromTransferable;
    retainStorage(storage);
  }

  // A new zero-filled contiguous tensor.
  static empty(shape: Shape, dtype: DType = "float32"): Tensor {
    const s = shape as number[];
    return new Tensor(allocStorage(dtype, numelOf(s)), s, contiguousStrides(s), 0, dtype);
  }
  // A new contiguous tensor with unspecified contents, for a kernel that writes every element.
  static output(shape: Shape, dtype: DType = "float32"): Tensor {
    const s = shape as number[];
    return new Tensor(allocStorage(dtype, numelOf(s), false), s, contiguousStrides(s), 0, dtype);
  }

  /** Whether gradients flow to this tensor (set `{requiresGrad: true}` at creation, or requiresGrad_()). */
  get requiresGrad(): boolean {
    if (this.base !== null && this.historyEpoch !== this.base.historyEpoch) refreshView(this);
    return this.requires;
  }
  set requiresGrad(on: boolean) {
    this.requires = on;
  }
  /** The graph node that made this tensor (PyTorch's grad_fn); null for a leaf. */
  get gradFn(): Node | null {
    if (this.base !== null && this.historyEpoch !== this.base.historyEpoch) refreshView(this);
    return this.maker;
  }
  set gradFn(node: Node | null) {
    this.maker = node;
  }

  /**
   * The gradient backward accumulated (PyTorch's .grad), or null. Assigning checks, as PyTorch does, that
   * it is null or a live tensor of this tensor's shape (another float dtype is accepted: optimizers convert it).
   * @throws TypeError for anything else (a plain array), Error for another shape or a disposed tensor.
   */
  get grad(): Tensor | null {
    const g = this[GRADIENT];
    if (g !== null) g.gradSeen = true;
    return g;
  }
  set grad(g: Tensor | null) {
    if (g !== null) {
      checkGrad(g, this);
      g.gradSeen = true;
    }
    this[GRADIENT] = g;
  }

  /** The number of dims (PyTorch's `ndim`; also `dim()` and `ndimension()`). */
  get ndim(): number {
    return this.shape.length;
  }
  /** The number of elements, the product of the shape (1 for a 0-d tensor). Mirrors `torch.Tensor.numel`. */
  numel(): number {
    return this.count;
  }
  /** numel(), by PyTorch's other name (`torch.Tensor.nelement`). */
  nelement(): number {
    return this.count;
  }
  /** The number of dims, as `ndim` (`torch.Tensor.dim`). */
  dim(): number {
    return this.shape.length;
  }
  /** The number of dims, as `ndim` (`torch.Tensor.ndimension`). */
  ndimension(): number {
    return this.shape.length;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Where the data lives: always "cpu", tensorgrad's one device (PyTorch's `device`), so `x.to(y.device)` works. */
  get device(): "cpu" {
    return "cpu";
  }
  size(dim?: number): number | number[] {
    if (dim !== undefined && this.ndim === 0) throw new RangeError(`size: dimension specified as ${dim} but the tensor has no dimensions`);
    return dim === undefined ? [...this.shape] : this.shape[normalizeDim(dim, this.ndim, "size")];
  }
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype);
  }
  requiresGrad_(on = true): this {
    if (!this.isLeaf) throw new Error("requiresGrad_: only leaf tensors can change requiresGrad; use detach() first");
    if (on && this.dtype === "int32") throw new Error("requiresGrad_: only float tensors can require gradients (this one is int32)");
    this.requiresGrad = on;
    // A view that becomes a leaf requiring grad is the base of its own views from now on, so writes
    // through them are refused as writes through a view of a leaf (as PyTorch).
    if (on) this.base = null;
    return this;
  }
  /**
   * Ends this handle (TF.js's `dispose`; PyTorch has none, it frees at the last reference). The memory
   * is released now, not at the next garbage collection, when no other live tensor uses it: views,
   * aliases and detached handles over the same storage keep it, and so does a recorded node that saved
   * this tensor for backward, in which case disposal completes once that node has run. Memory
   * tensorgrad did not allocate (a caller's typed array) is never released. Calling it twice is harmless.
   * Afterwards every method and getter throws an Error naming itself ("data: the tensor (shape [2, 2],
   * float32) was disposed; …"), except the metadata reads: `shape`, `dtype`, `ndim`, `numel()`,
   * `size()`, `requiresGrad`, `grad`, `gradFn`, `isLeaf`, `isContiguous()`, `isDisposed`, `toString()`.
   */
  dispose(): void {
    if (this.disposeState === "disposed") return;
    if (this.graphUses > 0) this.disposeState = "pending";
    else endHandle(this);
  }
  /**
   * Whether `dispose()` was called on this tensor (TF.js's `isDisposed`). Also true while a recorded graph
   * still holds the storage for backward; a view or `detach()` of it is a handle of its own.
   */
  get isDisposed(): boolean {
    return this.disposeState !== "live";
  }
  // A recorded node that saved this tensor let it go (it ran its backward).
  releaseGraphUse(): void {
    if (--this.graphUses === 0 && this.disposeState === "pending") endHandle(this);
  }

  // ---- read-out ----
  // The elements in row-major order, as a standalone typed array of this dtype: it shares memory
  // with nothing, so it may be changed or transferred (postMessage(a, [a.buffer])) freely.
  data(): Storage {
    const out = new ARRAY_TYPE[this.dtype](this.count);
    if (this.count > 0) native.copy(this.shape, [this, { shape: this.shape, strides: contiguousStrides(this.shape), offset: 0 }], this.storage, out);
    return out;
  }
  item(): number {
    if (this.count !== 1) throw new Error(`item: only one-element tensors can be converted to a number, this one has shape [${this.shape.join(", ")}]`);
    return this.storage[this.offset];
  }
  toArray(): NestedArray {
    const d = this.data();
    if (this.ndim === 0) return d[0];
    const build = (dim: number, off: number): NestedArray[] => {
      const n = this.shape[dim], out = new Array<NestedArray>(n);
      const step = numelOf(this.shape.slice(dim + 1));
      for (let i = 0; i < n; ++i) out[i] = dim === this.ndim - 1 ? d[off + i] : build(dim + 1, off + i * step);
      return out;
    };
    return build(0, 0);
  }
  /** toArray() by PyTorch's name (`torch.Tensor.tolist`): nested arrays of numbers, a number for a 0-d tensor. */
  tolist(): NestedArray {
    return this.toArray();
  }
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// dispose()'s work once no recorded node needs the tensor. Every method but the metadata reads refuses
// it from now on (lib/disposed-guard.ts).
function endHandle(t: Tensor): void {
  const s = t.storage;
  t.disposeState = "disposed";
  t.storage = DISPOSED[t.dtype];
  t.grad = null;
  // Views still over the storage keep their base's history: a stale one regenerates from it.
  if (soleHandle(s)) t.gradFn = null;
  dropStorage(s);
}
