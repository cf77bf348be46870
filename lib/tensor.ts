// The Tensor: a strided view (shape, strides, offset) over typed-array storage that native code
// reads and writes in place, plus its autograd fields. Op methods forward to lib/ops/*, where
// each op's forward call and backward rule sit side by side.
import { ARRAY_TYPE, type DType, checkDType } from "./dtype.js";
import type { Storage } from "./native.js";
import { allocStorage, dropStorage, retainStorage } from "./storage.js";
import { contiguousStrides, isContiguous, numelOf, type Shape } from "./shape.js";
import type { Node } from "./autograd/node.js";
import { runBackward } from "./autograd/backward.js";
import { isGradEnabled } from "./autograd/grad-mode.js";
import { bumpVersion } from "./autograd/version.js";
import * as ew from "./ops/elementwise.js";
import * as red from "./ops/reduce.js";
import * as sh from "./ops/shape.js";
import * as idx from "./ops/index.js";
import { matmul } from "./ops/linalg.js";
import { softmax, logSoftmax } from "./ops/softmax.js";
import { alias, clone, contiguous, copyInto, copyTo, fillInto, toDType } from "./ops/copy.js";
import { formatTensor } from "./format.js";
import { toJSON, toTransferable, type TransferableTensor } from "./transfer.js";

type Operand = Tensor | number;
// PyTorch's `alpha` argument of add/sub: the other operand times alpha.
const scaled = (o: Operand, alpha?: number): Operand =>
  alpha === undefined ? o : typeof o === "number" ? o * alpha : ew.mul(o, alpha);
export type NestedArray = number | NestedArray[];

// In-place ops are not recorded on the tape, so a leaf being trained must not change that way.
function checkInPlace(t: Tensor, op: string): void {
  if (t.requiresGrad && t.isLeaf && isGradEnabled())
    throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place; wrap the change in tg.noGrad(() => ...)`);
}

export class Tensor {
  readonly numel: number;
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: Node | null = null;
  // Ownership (see storage.ts and the README's Memory section). `graphUses` counts the live
  // recorded ops that saved this tensor (as an input, or as the output they made): while one is
  // waiting for backward, dispose() only marks the tensor and finishes once backward has used it.
  graphUses = 0;
  private disposeState: "live" | "pending" | "disposed" = "live";

  constructor(
    public storage: Storage,
    readonly shape: number[],
    readonly strides: number[] = contiguousStrides(shape),
    readonly offset = 0,
    readonly dtype: DType = storage instanceof Float32Array ? "float32" : storage instanceof Float64Array ? "float64" : "int32",
  ) {
    this.numel = numelOf(shape);
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

  get ndim(): number {
    return this.shape.length;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  size(dim?: number): number | number[] {
    return dim === undefined ? [...this.shape] : this.shape[sh.dimOf(this, dim, "size")];
  }
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  // ---- autograd ----
  // backward(), backward(grad), backward(grad, {retainGraph}) or backward({retainGraph}).
  backward(gradOrOpts?: Tensor | { retainGraph?: boolean }, opts: { retainGraph?: boolean } = {}): void {
    const given = gradOrOpts instanceof Tensor ? gradOrOpts : undefined;
    if (gradOrOpts !== undefined && !(gradOrOpts instanceof Tensor)) opts = gradOrOpts;
    if (this.disposeState !== "live") throw new Error("backward: this tensor was disposed; call backward() before dispose()");
    if (!this.requiresGrad)
      throw new Error("backward: this tensor does not require grad and has no grad_fn; create inputs with {requiresGrad: true}");
    if (!given && this.numel !== 1)
      throw new Error(`backward: grad can be implicitly created only for a tensor with one element, this one has shape [${this.shape.join(", ")}]; pass a gradient of that shape`);
    const grad = given ?? Tensor.empty(this.shape, this.dtype);
    if (!given) fillInto(grad, grad.storage, 1);
    runBackward([this], [grad], opts);
  }
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype);
  }
  requiresGrad_(on = true): this {
    if (!this.isLeaf) throw new Error("requiresGrad_: only leaf tensors can change requiresGrad; use detach() first");
    if (on && this.dtype === "int32") throw new Error("requiresGrad_: only float tensors can require gradients (this one is int32)");
    this.requiresGrad = on;
    return this;
  }
  retainGrad(): this {
    if (!this.requiresGrad) throw new Error("retainGrad: this tensor does not require grad, so it never gets one");
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  }
  // Ends this handle: it is unusable afterwards. The memory is released now (not at the next
  // garbage collection) when no other live tensor uses it: views, aliases and detached handles
  // over the same storage keep it, and so does a recorded graph that still needs this tensor for
  // backward, in which case disposal completes once backward has used it. Memory tensorgrad did not
  // allocate (a caller's typed array) is never released. Calling it twice is harmless.
  dispose(): void {
    this.endHandle(true);
  }
  // `freeGraph`: the caller is done with this tensor, so the op that made it (which saves it for
  // backward) is unreachable and is freed too. Not when backward itself releases the tensor: it
  // frees each op after running it.
  private endHandle(freeGraph: boolean): void {
    if (this.disposeState === "disposed") return;
    const own = this.gradFn && !this.gradFn.freed ? 1 : 0;
    if (this.graphUses > own || (own && !freeGraph)) {
      this.disposeState = "pending";
      return;
    }
    this.disposeState = "disposed";
    const s = this.storage, fn = this.gradFn;
    this.storage = new ARRAY_TYPE[this.dtype](0);
    this.grad = null;
    this.gradFn = null;
    fn?.free(true);
    dropStorage(s);
  }
  // A recorded op that saved this tensor was freed: by backward (`cascade` false) or because its
  // output was disposed (true).
  releaseGraphUse(cascade: boolean): void {
    --this.graphUses;
    if (this.disposeState === "pending") this.endHandle(cascade);
  }

  // ---- read-out ----
  // The elements in row-major order, as a standalone typed array of this dtype: it shares memory
  // with nothing, so it may be changed or transferred (postMessage(a, [a.buffer])) freely.
  data(): Storage {
    const out = new Tensor(new ARRAY_TYPE[this.dtype](this.numel), this.shape);
    if (this.numel > 0) copyInto(this, out);
    return out.storage;
  }
  item(): number {
    if (this.numel !== 1) throw new Error(`item: only one-element tensors can be converted to a number, this one has shape [${this.shape.join(", ")}]`);
    if (this.offset >= this.storage.length) throw new Error("item: the tensor's storage was released by dispose()");
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
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
  /** What JSON.stringify writes: `{dtype, shape, data}`, data flat in row-major order. */
  toJSON(): { dtype: DType; shape: number[]; data: number[] } {
    return toJSON(this);
  }
  /**
   * A copy to send to another thread: `{dtype, shape, buffer}`; post it with `[t.buffer]` as the
   * transfer list and rebuild with `tg.fromTransferable()`. The tensor itself is untouched.
   */
  toTransferable(): TransferableTensor {
    return toTransferable(this);
  }

  // ---- conversion and copies ----
  // to/float/double/int/contiguous return a new handle even when no copy is needed (sharing this
  // tensor's storage, like a view), so disposing the result never ends this tensor.
  to(dtype: DType): Tensor {
    const d = checkDType(dtype, "to");
    return d === this.dtype ? alias(this) : toDType(this, d);
  }
  float(): Tensor { return this.to("float32"); }
  double(): Tensor { return this.to("float64"); }
  int(): Tensor { return this.to("int32"); }
  // `dense` also asks for a tensor that owns its storage from offset 0 (what some kernels need).
  contiguous(dense = false): Tensor {
    const c = contiguous(this, dense);
    return c === this ? alias(this) : c;
  }
  clone(): Tensor {
    return clone(this);
  }
  fill_(value: number): this {
    checkInPlace(this, "fill_");
    fillInto(this, this.storage, value);
    bumpVersion(this.storage);
    return this;
  }
  zero_(): this {
    return this.fill_(0);
  }
  copy_(src: Tensor): this {
    checkInPlace(this, "copy_");
    copyTo(src, this);
    bumpVersion(this.storage);
    return this;
  }

  // ---- elementwise ----
  add(o: Operand, alpha?: number): Tensor { return ew.add(this, scaled(o, alpha)); }
  sub(o: Operand, alpha?: number): Tensor { return ew.sub(this, scaled(o, alpha)); }
  mul(o: Operand): Tensor { return ew.mul(this, o); }
  div(o: Operand): Tensor { return ew.div(this, o); }
  maximum(o: Operand): Tensor { return ew.maximum(this, o); }
  minimum(o: Operand): Tensor { return ew.minimum(this, o); }
  pow(p: number): Tensor { return ew.pow(this, p); }
  neg(): Tensor { return ew.neg(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  square(): Tensor { return ew.mul(this, this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  relu(): Tensor { return ew.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return ew.leakyRelu(this, negativeSlope); }
  elu(alpha = 1): Tensor { return ew.elu(this, alpha); }
  gelu(): Tensor { return ew.gelu(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }
  eq(o: Operand): Tensor { return ew.eq(this, o); }
  ne(o: Operand): Tensor { return ew.ne(this, o); }
  gt(o: Operand): Tensor { return ew.gt(this, o); }
  ge(o: Operand): Tensor { return ew.ge(this, o); }
  lt(o: Operand): Tensor { return ew.lt(this, o); }
  le(o: Operand): Tensor { return ew.le(this, o); }

  // ---- reductions ----
  sum(dim?: number | number[], keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  max(dim?: number, keepdim = false): Tensor { return red.max(this, dim, keepdim); }
  min(dim?: number, keepdim = false): Tensor { return red.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return red.argmin(this, dim, keepdim); }

  // ---- shape ----
  reshape(...shape: (number | number[])[]): Tensor { return sh.reshape(this, sh.shapeArgs(shape)); }
  view(...shape: (number | number[])[]): Tensor { return sh.view(this, sh.shapeArgs(shape)); }
  transpose(d0: number, d1: number): Tensor { return sh.transpose(this, d0, d1); }
  t(): Tensor {
    if (this.ndim > 2) throw new Error(`t: expects a tensor with <= 2 dims, got ${this.ndim}; use transpose(d0, d1)`);
    return this.ndim < 2 ? this : sh.transpose(this, 0, 1);
  }
  permute(...dims: (number | number[])[]): Tensor { return sh.permute(this, sh.shapeArgs(dims)); }
  squeeze(dim?: number): Tensor { return sh.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  expand(...shape: (number | number[])[]): Tensor { return sh.expand(this, sh.shapeArgs(shape)); }
  expandAs(o: Tensor): Tensor { return sh.expand(this, o.shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  narrow(dim: number, start: number, length: number): Tensor { return sh.narrow(this, dim, start, length); }
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return sh.slice(this, dim, start, end, step); }
  select(dim: number, index: number): Tensor { return sh.select(this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return idx.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }

  // ---- linear algebra and softmax ----
  matmul(o: Tensor): Tensor { return matmul(this, o); }
  softmax(dim: number): Tensor { return softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return logSoftmax(this, dim); }
}
