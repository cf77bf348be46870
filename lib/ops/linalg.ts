// matmul with PyTorch semantics (1-D operands, batched and broadcast batch dims), one native
// GEMM call per batch layout. Its rule:  dA = dC · Bᵀ,  dB = Aᵀ · dC  (summed over broadcast
// batch dims). Transposed operands reach the kernel as flags on strided views, never as copies.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { broadcastShapes, fmt } from "../shape.js";
import { record } from "../autograd/node.js";
import { sumTo } from "./reduce.js";
import { transpose, unsqueeze, squeeze } from "./shape.js";
import { contiguous } from "./copy.js";

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
  return asMatrix(contiguous(t));
}

function matmul2(a: Tensor, b: Tensor): Tensor {
  const M = a.shape[a.ndim - 2], K = a.shape[a.ndim - 1], N = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== K)
    throw new Error(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${M}x${K} and ${b.shape[b.ndim - 2]}x${N})`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
  const out = Tensor.output([...batch, M, N], a.dtype);
  const A = asMatrix(a), B = asMatrix(b);
  const batchView = (t: Tensor) => ({ shape: t.shape.slice(0, -2), strides: t.strides.slice(0, -2), offset: t.offset });
  native.gemm(batch, [batchView(A.t), batchView(B.t), batchView(out)], A.t.storage, B.t.storage, out.storage, A.trans, B.trans, M, N, K, A.ld, B.ld, N, 1, 0);
  return out;
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("matmul: both operands must be Tensors");
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`matmul: both operands need at least 1 dim, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.dtype !== b.dtype || a.dtype === "int32")
    throw new TypeError(`matmul: expected two float tensors of the same dtype, got ${a.dtype} and ${b.dtype}; convert with .float() or .double()`);
  // 1-D operands become a row (left) or a column (right) and lose that dim again after.
  if (a.ndim === 1 && b.ndim === 1) return squeeze(squeeze(matmul(unsqueeze(a, 0), unsqueeze(b, 1)), -1), -1);
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  const out = matmul2(a, b);
  return record(out, "MmBackward", [a, b], (g) => [
    a.requiresGrad ? sumTo(gradLike(a, () => matmul2(g, transpose(b, -1, -2)), () => matmul2(b, transpose(g, -1, -2))), a.shape) : null,
    b.requiresGrad ? sumTo(gradLike(b, () => matmul2(transpose(a, -1, -2), g), () => matmul2(transpose(g, -1, -2), a)), b.shape) : null,
  ]);
}

// The gradient of an operand laid out like the operand: for a transposed view (W.t() in a linear
// layer) the kernel writes the transposed product, so the leaf's grad arrives contiguous with no
// transposing copy. `direct` computes the gradient, `transposed` its transpose.
function gradLike(x: Tensor, direct: () => Tensor, transposed: () => Tensor): Tensor {
  const n = x.ndim;
  const columnMajor = n >= 2 && x.strides[n - 2] === 1 && x.shape[n - 2] > 1 && x.shape[n - 1] > 1;
  return columnMajor ? transpose(transposed(), -1, -2) : direct();
}
