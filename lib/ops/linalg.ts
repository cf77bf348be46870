// matmul with PyTorch semantics (1-D operands, batched and broadcast batch dims), one native
// GEMM call per batch layout. Its rule:  dA = dC · Bᵀ (saves B),  dB = Aᵀ · dC (saves A), each
// summed over broadcast batch dims and saved only when that gradient is needed. Transposed operands
// reach the kernel as flags on strided views, never as copies.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { broadcastShapes, fmt, numelOf, type Strided } from "../shape.js";
import { defineOp } from "./define.js";
import { dense, sumTo } from "./kernels.js";
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
  if (b.shape[b.ndim - 2] !== K)
    throw new Error(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${M}x${K} and ${b.shape[b.ndim - 2]}x${N})`);
  // Two matrices (every product of a linear layer and its backward): no batch dims to broadcast.
  const plain = a.ndim === 2 && b.ndim === 2;
  const batch = plain ? [] : broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
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

export const matmul = defineOp({
  name: "matmul", doc: "matrix product with PyTorch's 1-D and batch-broadcast rules", method: true,
  sample: () => args(vals([2, 3]), vals([3, 2], 3)), node: "MmBackward0",
  forward(a: Tensor, b: Tensor): Tensor {
    if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("matmul: both operands must be Tensors");
    checkTensor(a, "matmul", "input"), checkTensor(b, "matmul", "other");
    if (a.ndim === 0 || b.ndim === 0) throw new Error(`matmul: both operands need at least 1 dim, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
    if (a.dtype !== b.dtype || a.dtype === "int32")
      throw new TypeError(`matmul: expected two float tensors of the same dtype, got ${a.dtype} and ${b.dtype}; convert with .float() or .double()`);
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
 * @throws Error naming both shapes when either operand is not 2-D or the inner sizes differ.
 */
export const mm = defineOp({
  name: "mm", doc: "matrix product of two 2-D tensors [n, m] @ [m, p] (no broadcasting; matmul for more)", method: true,
  sample: () => args(vals([2, 3]), vals([3, 2], 2)),
  forward(a: Tensor, b: Tensor): Tensor {
    if (checkTensor(a, "mm", "input").ndim !== 2 || checkTensor(b, "mm", "mat2").ndim !== 2)
      throw new Error(`mm: both operands must be 2-D matrices, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}; use matmul for vectors and batches`);
    return matmul(a, b);
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
    if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`outer: expected two 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
    return mul(unsqueeze(a, 1), unsqueeze(b, 0));
  },
});
