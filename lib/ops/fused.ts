// Fused ops: several steps in one native call, with their rule side by side.
//   linear(x, w, b, relu): y = x·wᵀ + b (b broadcast over rows), then ReLU if asked, as one GEMM on an
//   output pre-filled with the bias rows.  With g' = g where y > 0 (ReLU) or g:
//   dx = g'·w (saves w),  dw = g'ᵀ·x (saves x),  db = g' summed over rows;  ReLU saves y, and g' and db
//   then come from one native pass (reluBiasBackward).
// Not exported on `tg`: nn.Linear and nn.functional.linear are the public ways in.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt } from "../shape.js";
import { options } from "../options.js";
import { record } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { checkTensor } from "./check.js";
import { dense, sumRows } from "./kernels.js";
import { matmulKernel } from "./linalg.js";

export interface LinearOptions {
  relu?: boolean;
}

function checkLinear(x: Tensor, w: Tensor, b: Tensor | undefined): void {
  checkTensor(x, "linear"), checkTensor(w, "linear", "weight");
  if (b !== undefined) checkTensor(b, "linear", "bias");
  const ok = x.ndim === 2 && w.ndim === 2 && x.shape[1] === w.shape[1] && (b === undefined || (b.ndim === 1 && b.shape[0] === w.shape[0]));
  if (!ok)
    throw new Error(`linear: expected x [M, K], weight [N, K] and bias [N], got ${fmt(x.shape)}, ${fmt(w.shape)}` +
      (b === undefined ? "" : ` and ${fmt(b.shape)}`));
  const dtypes = [x.dtype, w.dtype, ...(b ? [b.dtype] : [])];
  if (dtypes.some((d) => d !== x.dtype) || x.dtype === "int32")
    throw new TypeError(`linear: expected float tensors of one dtype, got ${dtypes.join(", ")}`);
}

interface LinearCtx {
  x: Tensor | null;  // saved where dw is needed
  w: Tensor | null;  // saved where dx is needed
  y: Tensor | null;  // the output, where ReLU was applied
  bias: number | null;  // bias length where db is needed
}

// With ReLU, g' and db come from one native pass over g (bit-identical to the relu rule then a row sum).
function reluBiasGrads(y: Tensor, g: Tensor, bias: number | null): [Tensor, Tensor | null] {
  const [M, N] = y.shape;
  const gd = dense(g);
  const gp = Tensor.output([M, N], y.dtype), db = bias === null ? null : Tensor.output([N], y.dtype);
  native.reluBiasBackward(y.storage, gd.storage, gp.storage, db && db.storage, M, N);
  if (gd !== g) gd.dispose();
  return [gp, db];
}

function linearRule(c: LinearCtx, gs: (Tensor | null)[]): (Tensor | null)[] {
  const g = gs[0]!;
  const fused = c.y ? reluBiasGrads(c.y, g, c.bias) : null;
  const gp = fused ? fused[0] : g;
  const grads = [
    c.w && matmulKernel(gp, c.w),
    c.x && matmulKernel(gp, c.x, true),
    c.bias === null ? null : fused ? fused[1] : sumRows(gp),
  ];
  // This rule's own temporary (the ReLU-masked gradient) ends here, so the engine's disposal of g,
  // or this one of gp, gives the memory back to the cache now.
  if (gp !== g) gp.dispose();
  return grads;
}

export function linear(x: Tensor, w: Tensor, b?: Tensor, opts: LinearOptions = {}): Tensor {
  checkLinear(x, w, b);
  return linearChecked(x, w, b, options("linear", opts, ["relu"]).relu ?? false);
}

// linear() on operands already checked (x [M, K], w [N, K], b [N], one float dtype): nn.functional.linear,
// whose own checks imply checkLinear's, calls this so a training step does not check twice.
export function linearChecked(x: Tensor, w: Tensor, b: Tensor | undefined, relu: boolean): Tensor {
  const M = x.shape[0], K = x.shape[1], N = w.shape[0];
  const out = Tensor.output([M, N], x.dtype);
  native.linear(dense(x).storage, dense(w).storage, b ? dense(b).storage : null, out.storage, M, N, K, relu);
  if (!isGradEnabled() || !(x.requiresGrad || w.requiresGrad || b?.requiresGrad)) return out;
  const ctx = { x: w.requiresGrad ? x : null, w: x.requiresGrad ? w : null, y: relu ? out : null, bias: b?.requiresGrad ? N : null };
  return record(relu ? "LinearReluBackward0" : "LinearBackward0", [out], [x, w, b ?? null], ctx, linearRule);
}
