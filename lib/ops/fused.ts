// Fused ops: several steps in one native call, with their backward side by side.
//   linear(x, w, b, relu): y = x·wᵀ + b (b broadcast over rows), then ReLU if asked, as one GEMM on an
//   output pre-filled with the bias rows.  With g' = g where y > 0 (ReLU) or g:
//   dx = g'·w,  dw = g'ᵀ·x,  db = g' summed over rows.
// Not exported on `tg` (nn.Linear is the public way in).
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt } from "../shape.js";
import { record } from "../autograd/node.js";
import { checkTensor, unaryGrad } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { sum } from "./reduce.js";
import { transpose } from "./shape.js";
import { contiguous } from "./copy.js";

export interface LinearOptions {
  relu?: boolean;
}

function checkLinear(x: Tensor, w: Tensor, b: Tensor | undefined): void {
  checkTensor(x, "linear"), checkTensor(w, "linear");
  if (b !== undefined) checkTensor(b, "linear");
  const ok = x.ndim === 2 && w.ndim === 2 && x.shape[1] === w.shape[1] && (b === undefined || (b.ndim === 1 && b.shape[0] === w.shape[0]));
  if (!ok)
    throw new Error(`linear: expected x [M, K], weight [N, K] and bias [N], got ${fmt(x.shape)}, ${fmt(w.shape)}` +
      (b === undefined ? "" : ` and ${fmt(b.shape)}`));
  const dtypes = [x.dtype, w.dtype, ...(b ? [b.dtype] : [])];
  if (dtypes.some((d) => d !== x.dtype) || x.dtype === "int32")
    throw new TypeError(`linear: expected float tensors of one dtype, got ${dtypes.join(", ")}`);
}

export function linear(x: Tensor, w: Tensor, b?: Tensor, opts: LinearOptions = {}): Tensor {
  checkLinear(x, w, b);
  const relu = opts.relu ?? false;
  const [M, K] = x.shape, N = w.shape[0];
  const xd = contiguous(x, true), wd = contiguous(w, true), bd = b ? contiguous(b, true) : undefined;
  const out = Tensor.output([M, N], x.dtype);
  native.linear(xd.storage, wd.storage, bd ? bd.storage : null, out.storage, M, N, K, relu);
  const inputs = b ? [x, w, b] : [x, w];
  return record(out, relu ? "LinearReluBackward" : "LinearBackward", inputs, (g) => {
    const gp = relu ? unaryGrad("relu", out, out, g, 0, 0) : g;  // out > 0 exactly where x·wᵀ + b > 0
    return [
      x.requiresGrad ? matmul(gp, w) : null,
      w.requiresGrad ? matmul(transpose(gp, 0, 1), x) : null,
      ...(b ? [b.requiresGrad ? sum(gp, 0) : null] : []),
    ];
  });
}
