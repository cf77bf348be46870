// softmax and logSoftmax along a dim, numerically stable (max-subtracted) in native code:
//   softmax:     dx = y · (g − Σ g·y)
//   logSoftmax:  dx = g − exp(y) · Σ g
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { normalizeDim, numelOf } from "../shape.js";
import { record } from "../autograd/node.js";
import { checkTensor } from "./elementwise.js";
import { contiguous, toDType } from "./copy.js";

function dims(x: Tensor, d: number) {
  return [numelOf(x.shape.slice(0, d)), x.ndim ? x.shape[d] : 1, numelOf(x.shape.slice(d + 1))] as const;
}

function softmaxOp(x: Tensor, dim: number, log: boolean): Tensor {
  const op = log ? "logSoftmax" : "softmax";
  if (checkTensor(x, op).dtype === "int32") x = toDType(x, "float32");
  const d = normalizeDim(dim, x.ndim, op);
  const xd = contiguous(x, true);
  const [outer, D, inner] = dims(xd, d);
  const y = Tensor.output(x.shape, x.dtype);
  native.softmax(log, xd.storage, y.storage, outer, D, inner);
  return record(y, `${op}Backward`, [x], (g) => {
    const gx = Tensor.output(x.shape, x.dtype);
    native.softmaxBackward(log, y.storage, contiguous(g, true).storage, gx.storage, outer, D, inner);
    return [gx];
  });
}

export const softmax = (x: Tensor, dim: number) => softmaxOp(x, dim, false);
export const logSoftmax = (x: Tensor, dim: number) => softmaxOp(x, dim, true);
