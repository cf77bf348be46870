// softmax and logSoftmax along a dim, numerically stable (max-subtracted) in native code. Each
// saves only its output:
//   softmax:     dx = y · (g − Σ g·y)
//   logSoftmax:  dx = g − exp(y) · Σ g
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { normalizeDim, numelOf } from "../shape.js";
import { defineOp } from "./define.js";
import { checkTensor, dimArgument, type DimOptions } from "./check.js";
import { convert, dense } from "./kernels.js";
import { args, vals } from "./samples.js";

interface SoftmaxCtx {
  y: Tensor;
  log: boolean;
  outer: number;
  D: number;
  inner: number;
}

function softmaxOp(name: "softmax" | "logSoftmax", doc: string, sampleDim: number) {
  const log = name === "logSoftmax";
  return defineOp({
    name, doc, method: true, sample: () => args(vals([2, 3]), sampleDim),
    forward(x: Tensor, dim: number | DimOptions): Tensor {
      if (checkTensor(x, name).dtype === "int32") x = convert(x, "float32");
      const d = normalizeDim(dimArgument(name, dim)!, x.ndim, name);
      const outer = numelOf(x.shape.slice(0, d)), D = x.ndim ? x.shape[d] : 1, inner = numelOf(x.shape.slice(d + 1));
      const y = Tensor.output(x.shape, x.dtype);
      native.softmax(log, dense(x).storage, y.storage, outer, D, inner);
      return this.record(y, [x], { y, log, outer, D, inner });
    },
    backward(c: SoftmaxCtx, g) {
      const gx = Tensor.output(c.y.shape, c.y.dtype);
      native.softmaxBackward(c.log, c.y.storage, dense(g).storage, gx.storage, c.outer, c.D, c.inner);
      return [gx];
    },
  });
}

export const softmax = softmaxOp("softmax", "e^x / Σ e^x along dim", 1);
export const logSoftmax = softmaxOp("logSoftmax", "log softmax along dim (stable)", 0);
