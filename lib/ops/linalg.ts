// matmul with PyTorch semantics (1-D operands, batched and broadcast batch dims), one native
// GEMM call per batch layout. Its rule:  dA = dC · Bᵀ (saves B),  dB = Aᵀ · dC (saves A), each
// summed over broadcast batch dims and saved only when that gradient is needed. Transposed operands
// reach the kernel as flags on strided views, never as copies.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { broadcastShapes, fmt, numelOf, sameShape, type Shape, type Strided } from "../shape.js";
import { defineOp } from "./define.js";
import { copyInto, dense, fill, sumTo } from "./kernels.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { bumpVersion } from "../autograd/version.js";
import { refuseExpanded } from "../autograd/view-history.js";
import { options } from "../options.js";
import { checkTensor } from "./check.js";
import { mul } from "./elementwise.js";
import { squeeze, unsqueeze } from "./views.js";
import { args, vals } from "./samples.js";

interface MatrixOperand {
  t: Tensor;
  trans: boolean;
  ld: number;
}

// How the kernel reads the last two dims of t: row-major (trans=false) or column-major.
function asMatrix(t: Tensor): MatrixOperand {
  const n = t.ndim, rows = t.shape[n - 2], cols = t.shape[n - 1];
  const rs = t.strides[n - 2], cs = t.strides[n - 1];
  if ((cs === 1 || cols === 1) && (rows === 1 || rs >= cols)) return { t, trans: false, ld: rows === 1 ? Math.max(cols, 1) : rs };
  if ((rs === 1 || rows === 1) && (cols === 1 || cs >= rows)) return { t, trans: true, ld: cols === 1 ? Math.max(rows, 1) : cs };
  return asMatrix(dense(t));
}

// The product of the last two dims, batched over the broadcast leading dims (not recorded). With
// `transA`, a's matrices are read transposed in place (aᵀ·b), with no transposed view made.
export function matmulKernel(a: Tensor, b: Tensor, transA = false): Tensor {
  const ra = transA ? a.ndim - 1 : a.ndim - 2;
  const M = a.shape[ra], K = a.shape[transA ? a.ndim - 2 : a.ndim - 1], N = b.shape[b.ndim - 1];
  // Two matrices (every product of a linear layer and its backward): no batch dims to broadcast.
  const plain = a.ndim === 2 && b.ndim === 2;
  const batch = productBatch(a.shape, b.shape, K, "matmul", plain);
  const shape = plain ? [M, N] : [...batch, M, N];
  // A zero-size operand: an empty result, or (K = 0, an empty sum) zeros, as PyTorch.
  if (numelOf(shape) === 0 || K === 0) return Tensor.empty(shape, a.dtype);
  const out = Tensor.output(shape, a.dtype);
  const A = asMatrix(a), B = asMatrix(b);
  if (transA) A.trans = !A.trans;
  // The layout block holds the batch dims only; with none, each operand contributes just its offset.
  const operands = plain ? [A.t, B.t, out] : [batchView(A.t), batchView(B.t), batchView(out)];
  native.gemm(batch, operands, A.t.storage, B.t.storage, out.storage, A.trans, B.trans, M, N, K, A.ld, B.ld, N, 1, 0);
  return out;
}

// t's layout over its batch dims (all but the last two).
function batchView(t: Tensor): Strided {
  return { shape: t.shape.slice(0, -2), strides: t.strides.slice(0, -2), offset: t.offset };
}

// t with its last two dims swapped, as a view.
export function transposed(t: Tensor): Tensor {
  const n = t.ndim, shape = t.shape.slice(), strides = t.strides.slice();
  shape[n - 2] = t.shape[n - 1], shape[n - 1] = t.shape[n - 2];
  strides[n - 2] = t.strides[n - 1], strides[n - 1] = t.strides[n - 2];
  return new Tensor(t.storage, shape, strides, t.offset, t.dtype);
}

// The gradient of an operand laid out like the operand: for a transposed view (W.t() in a linear
// layer) the kernel writes the transposed product, so the leaf's grad arrives contiguous with no
// transposing copy. `direct` computes the gradient, `flipped` its transpose.
function gradLike(x: Operand, direct: () => Tensor, flipped: () => Tensor): Tensor {
  const n = x.shape.length;
  const columnMajor = n >= 2 && x.strides[n - 2] === 1 && x.shape[n - 2] > 1 && x.shape[n - 1] > 1;
  return sumTo(columnMajor ? transposed(flipped()) : direct(), x.shape);
}

// An operand's layout, kept where its gradient is needed.
interface Operand {
  shape: number[];
  strides: number[];
}
interface MatmulCtx {
  a: Tensor | null;  // saved where dB is needed
  b: Tensor | null;  // saved where dA is needed
  ga: Operand | null;
  gb: Operand | null;
}

// The shape of op's product of a and b (at least 2-D): the broadcast batch dims, then [M, N].
function productShape(a: Tensor, b: Tensor, op: string): number[] {
  const M = a.shape[a.ndim - 2], K = a.shape[a.ndim - 1];
  return [...productBatch(a.shape, b.shape, K, op, false), M, b.shape[b.ndim - 1]];
}

// The Error message for a product whose inner sizes differ: a's last dim (K) against b's rows.
function innerMismatch(op: string, a: Shape, b: Shape, K: number): string {
  const rows = b.length === 1 ? "only" : "second-to-last";
  return `${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be multiplied: the first's last dim (${K}) must equal the second's ${rows} dim (${b[Math.max(0, b.length - 2)]})`;
}

// The broadcast batch dims of a product of a's M×K matrices and b's (none when `plain`), or an Error
// naming the dims that disagree: the inner ones, or a pair of batch dims.
function productBatch(a: Shape, b: Shape, K: number, op: string, plain: boolean): number[] {
  if (b[b.length - 2] !== K) throw new Error(innerMismatch(op, a, b, K));
  if (plain) return [];
  try {
    return broadcastShapes(a.slice(0, -2), b.slice(0, -2), op);
  } catch {
    throw new Error(`${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be multiplied: their batch dims ` +
      `${fmt(a.slice(0, -2))} and ${fmt(b.slice(0, -2))} do not broadcast (each pair of sizes from the right must match or be 1)`);
  }
}

// a·b written into c (the product's shape; rows with contiguous columns; no memory shared with a or b).
function gemmInto(a: Tensor, b: Tensor, c: Tensor): void {
  const n = c.ndim, M = c.shape[n - 2], N = c.shape[n - 1], K = a.shape[a.ndim - 1];
  if (c.numel() === 0) return;
  if (K === 0) return void fill(c, 0);  // an empty sum, as matmulKernel
  const A = asMatrix(a), B = asMatrix(b), ldc = M === 1 ? Math.max(N, 1) : c.strides[n - 2];
  // As in matmulKernel: with no batch dims each operand contributes just its offset.
  const operands = n === 2 ? [A.t, B.t, c] : [batchView(A.t), batchView(B.t), batchView(c)];
  native.gemm(c.shape.slice(0, -2), operands, A.t.storage, B.t.storage, c.storage, A.trans, B.trans, M, N, K, A.ld, B.ld, ldc, 1, 0);
}

// A view of t with its own shape and strides (for the product written through out), disposed after use.
const viewOf = (t: Tensor, shape: number[], strides: number[]) => new Tensor(t.storage, shape, strides, t.offset, t.dtype);

// The element range t reads or writes, in bytes of its storage's ArrayBuffer.
function byteExtent(t: Tensor): [number, number] {
  let lo = t.offset, hi = t.offset;
  t.shape.forEach((d, i) => (t.strides[i] < 0 ? (lo += t.strides[i] * (d - 1)) : (hi += t.strides[i] * (d - 1))));
  const e = t.storage.BYTES_PER_ELEMENT, start = t.storage.byteOffset;
  return [start + lo * e, start + (hi + 1) * e];
}
const intersect = (x: [number, number], y: [number, number]) => x[0] < y[1] && y[0] < x[1];
const storageExtent = (t: Tensor): [number, number] => [t.storage.byteOffset, t.storage.byteOffset + t.storage.byteLength];

// Two matrices into a row-major out of the product's shape in memory of its own: nothing below applies
// (its checks and views cost ~0.8 µs, a quarter of a 64³ product). Sharing an ArrayBuffer (small tensors
// carved from one slab) takes the general path, which tells overlap from none.
function isPlainInto(a: Tensor, b: Tensor, out: Tensor): boolean {
  return a.ndim === 2 && b.ndim === 2 && out.ndim === 2 && a.shape[1] === b.shape[0] &&
    out.shape[0] === a.shape[0] && out.shape[1] === b.shape[1] && out.strides[1] === 1 && out.strides[0] >= out.shape[1] &&
    out.storage.buffer !== a.storage.buffer && out.storage.buffer !== b.storage.buffer;
}

// PyTorch's out=: the product of a and b (1-D, 2-D or batched) written into out, which is returned. Not
// recorded, so refused while grad is enabled and an argument requires grad (as PyTorch); out must have the
// product's shape and dtype (PyTorch would resize out: tensorgrad never swaps a tensor's memory behind it)
// and share no memory with a or b (PyTorch 1.13 writes a wrong product there).
function matmulInto(op: string, a: Tensor, b: Tensor, outArg: unknown): Tensor {
  const out = checkTensor(outArg, op, "out");
  if (isGradEnabled() && (a.requiresGrad || b.requiresGrad || out.requiresGrad))
    throw new Error(`${op}: functions with out= don't support automatic differentiation, but one of the arguments requires grad; ` +
      "call it inside tg.noGrad(() => ...), pass detach()ed tensors, or leave out the out option");
  if (out.dtype !== a.dtype) throw new TypeError(`${op}: expected out to have dtype ${a.dtype}, but got ${out.dtype}; pass an out of dtype ${a.dtype}`);
  if (isPlainInto(a, b, out)) {
    gemmInto(a, b, out);
    bumpVersion(out.storage);
    return out;
  }
  // 1-D operands as a row (left) or a column (right), as in matmul.
  const a2 = a.ndim === 1 ? viewOf(a, [1, a.shape[0]], [0, a.strides[0]]) : a;
  const b2 = b.ndim === 1 ? viewOf(b, [b.shape[0], 1], [b.strides[0], 0]) : b;
  const full = productShape(a2, b2, op), want = full.filter((_, i) => !(i === full.length - 2 && a.ndim === 1) && !(i === full.length - 1 && b.ndim === 1));
  if (!sameShape(out.shape, want))
    throw new Error(`${op}: out has shape ${fmt(out.shape)} but the product has shape ${fmt(want)}; pass an out of that shape`);
  if (out.numel() > 0 && [a, b].some((x) => x.numel() > 0 && x.storage.buffer === out.storage.buffer && intersect(byteExtent(x), byteExtent(out))))
    throw new Error(`${op}: out (shape ${fmt(out.shape)}) shares memory with an input; pass a separate tensor, or clone() the input`);
  refuseExpanded(out, op, "out", "pass an out with memory for every element (tg.empty(shape), or .contiguous() of this one)");
  const strides = out.strides.slice();
  if (a.ndim === 1) strides.splice(strides.length - (b.ndim === 1 ? 0 : 1), 0, 0);
  if (b.ndim === 1) strides.push(0);
  const c = a2 === a && b2 === b ? out : viewOf(out, full, strides), n = full.length, views = [a2, b2, c];
  // The kernel writes rows with contiguous columns: a column-major out takes the transposed product
  // (bᵀ·aᵀ into outᵀ), any other layout a copy; so does an out in an input's storage (the kernel refuses it).
  const lanes = (rows: number, cols: number, rs: number, cs: number) => (cols === 1 || cs === 1) && (rows === 1 || rs >= cols);
  const [rows, cols, rs, cs] = [full[n - 2], full[n - 1], strides[n - 2], strides[n - 1]];
  const sameStorage = [a, b].some((x) => x.storage.buffer === out.storage.buffer && intersect(storageExtent(x), storageExtent(out)));
  if (!sameStorage && lanes(rows, cols, rs, cs)) {
    gemmInto(a2, b2, c);
  } else if (!sameStorage && lanes(cols, rows, cs, rs)) {
    const [bt, at, ct] = [transposed(b2), transposed(a2), transposed(c)];
    gemmInto(bt, at, ct);
    views.push(bt, at, ct);
  } else {
    const tmp = matmulKernel(a2, b2);
    copyInto(tmp, c);
    tmp.dispose();
  }
  for (const v of views) if (v !== a && v !== b && v !== out) v.dispose();
  bumpVersion(out.storage);
  return out;
}

/** Options of matmul: PyTorch's keyword-only `out`. */
export interface MatmulOptions {
  /** Write the product into this tensor (its exact shape and dtype; no memory shared with the operands) and return it. */
  out?: Tensor;
}

// The operand checks every matrix product shares: two float tensors of one dtype, not 0-d.
function checkOperands(op: string, a: Tensor, b: Tensor): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${op}: both operands must be Tensors`);
  checkTensor(a, op, "input"), checkTensor(b, op, op === "mm" ? "mat2" : "other");
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`${op}: both operands need at least 1 dim, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (b.shape[Math.max(0, b.ndim - 2)] !== a.shape[a.ndim - 1]) throw new Error(innerMismatch(op, a.shape, b.shape, a.shape[a.ndim - 1]));
  if (a.dtype !== b.dtype || a.dtype === "int32")
    throw new TypeError(`${op}: expected two float tensors of the same dtype, got ${a.dtype} and ${b.dtype}; convert with .float() or .double()`);
}

/**
 * torch.matmul: the matrix product of a and b with PyTorch's rules: 1-D × 1-D → dot product `[]`;
 * 1-D `[k]` × `[..., k, n]` → `[..., n]`; `[..., m, k]` × 1-D `[k]` → `[..., m]`; `[..., m, k]` × `[..., k, n]`
 * → `[...batch, m, n]` with the batch dims broadcast. float32 or float64, both the same dtype.
 * `{out}` writes the product into a given tensor instead of new memory (no allocation per call), as
 * PyTorch's `out=`: not recorded by autograd.
 * @throws TypeError for non-tensors, mixed or int32 dtypes, an out of another dtype; Error for 0-d operands,
 *   inner sizes that differ, batch dims that do not broadcast, an out of another shape (PyTorch would resize
 *   it), an out sharing memory with a or b, or an out while grad is enabled and an argument requires grad.
 */
export const matmul = defineOp({
  name: "matmul", doc: "matrix product with PyTorch's 1-D and batch-broadcast rules", method: true,
  sample: () => args(vals([2, 3]), vals([3, 2], 3)), node: "MmBackward0",
  forward(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor {
    checkOperands("matmul", a, b);
    if (opts !== undefined) {
      const { out } = options("matmul", opts, ["out"]);
      if (out !== undefined) return matmulInto("matmul", a, b, out);
    }
    // 1-D operands become a row (left) or a column (right) and lose that dim again after.
    if (a.ndim === 1 && b.ndim === 1) return squeeze(squeeze(matmul(unsqueeze(a, 0), unsqueeze(b, 1)), -1), -1);
    if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
    if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
    const layout = (t: Tensor) => (t.requiresGrad ? { shape: t.shape, strides: t.strides } : null);
    return this.record(matmulKernel(a, b), [a, b], { a: b.requiresGrad ? a : null, b: a.requiresGrad ? b : null, ga: layout(a), gb: layout(b) });
  },
  backward(c: MatmulCtx, g): (Tensor | null)[] {
    // The transposed views end once used: a live view would keep g's memory (and a's, b's) from
    // going back to the cache when the engine disposes g and the tape lets a and b go.
    const views: Tensor[] = [];
    const T = (t: Tensor) => (views.push(transposed(t)), views[views.length - 1]);
    const grads = [
      c.ga && gradLike(c.ga, () => matmulKernel(g, T(c.b!)), () => matmulKernel(c.b!, T(g))),
      c.gb && gradLike(c.gb, () => matmulKernel(T(c.a!), g), () => matmulKernel(T(g), c.a!)),
    ];
    for (const v of views) v.dispose();
    return grads;
  },
});

/**
 * torch.mm: the matrix product of two 2-D tensors, [n, m] @ [m, p] → [n, p], as `matmul` (no broadcasting,
 * no vectors: use `matmul` for those). float32/float64; the gradient flows to both (MmBackward0).
 * `{out}` writes the product into a given `[n, p]` tensor, as matmul's and PyTorch's `out=`.
 * @throws Error naming both shapes when either operand is not 2-D or the inner sizes differ.
 */
export const mm = defineOp({
  name: "mm", doc: "matrix product of two 2-D tensors [n, m] @ [m, p] (no broadcasting; matmul for more)", method: true,
  sample: () => args(vals([2, 3]), vals([3, 2], 2)),
  forward(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor {
    if (checkTensor(a, "mm", "input").ndim !== 2 || checkTensor(b, "mm", "mat2").ndim !== 2)
      throw new Error(`mm: both operands must be 2-D matrices, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}; use matmul for vectors and batches`);
    const out = opts === undefined ? undefined : options("mm", opts, ["out"]).out;
    checkOperands("mm", a, b);  // before matmul's own checks, so that an error names mm
    return out === undefined ? matmul(a, b) : matmulInto("mm", a, b, out);
  },
});

/**
 * torch.bmm: batched matrix product of a [B, n, m] and b [B, m, p] → [B, n, p] (no broadcasting,
 * as PyTorch; matmul broadcasts). float32/float64, both the same dtype.
 * @throws TypeError for non-tensors or mixed/int32 dtypes; Error when either is not 3-D or the
 *   batch or inner sizes differ.
 */
export const bmm = defineOp({
  name: "bmm", doc: "batched matrix product [B, n, m] @ [B, m, p] (no broadcasting)", method: true,
  sample: () => args(vals([2, 2, 3]), vals([2, 3, 2], 3)),
  forward(a: Tensor, b: Tensor): Tensor {
    if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("bmm: both operands must be Tensors");
    checkTensor(a, "bmm", "input"), checkTensor(b, "bmm", "other");
    if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1])
      throw new Error(`bmm: expected [B, n, m] and [B, m, p] tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
    return matmul(a, b);
  },
});

/**
 * torch.outer: the outer product of 1-D a [n] and b [m] → [n, m], out[i, j] = a[i]·b[j] (dtypes promote as mul).
 * @throws TypeError for non-tensors; Error when either is not 1-D.
 */
export const outer = defineOp({
  name: "outer", doc: "outer product of two 1-D tensors → [n, m]", method: true,
  sample: () => args(vals([3]), vals([2], 2)),
  forward(a: Tensor, b: Tensor): Tensor {
    if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("outer: both operands must be Tensors");
    checkTensor(a, "outer"), checkTensor(b, "outer", "other");
    if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`outer: expected two 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
    return mul(unsqueeze(a, 1), unsqueeze(b, 0));
  },
});
