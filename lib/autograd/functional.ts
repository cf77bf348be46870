// tg.autograd.functional: Jacobians and vector-Jacobian products of a function of tensors, as
// torch.autograd.functional computes them (by backward passes over the graph of one forward call).
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { options } from "../options.js";
import { grad } from "./grad.js";
import { dense, fill } from "../ops/kernels.js";

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

// Fresh leaves holding the inputs' values, so the caller's tensors and their .grad stay untouched.
function leaves(inputs: Tensor | Tensor[], op: string): Tensor[] {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  return xs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`${op}: input ${i} is not a Tensor`);
    if (x.dtype === "int32") throw new TypeError(`${op}: input ${i} is int32; differentiate with respect to float tensors`);
    return dense(x, x.dtype, true).requiresGrad_(true);
  });
}

// f's outputs as a list, and whether f returned a list.
function outputsOf(f: Fn, xs: Tensor[], op: string): { outs: Tensor[]; many: boolean } {
  const out = f(...xs);
  const outs = Array.isArray(out) ? out : [out];
  outs.forEach((o, i) => {
    if (!(o instanceof Tensor)) throw new TypeError(`${op}: the function must return a Tensor or an array of Tensors; output ${i} is ${typeof o}`);
  });
  return { outs, many: Array.isArray(out) };
}

// A zero gradient where an input does not affect an output.
const orZeros = (g: Tensor | null, like: Tensor) => g ?? Tensor.empty(like.shape, like.dtype);

export interface JacobianOptions {
  // Accepted for PyTorch's signature; the rows are always computed one backward pass each.
  vectorize?: boolean;
}

/**
 * The Jacobian of `f` at `inputs` (PyTorch's `torch.autograd.functional.jacobian`): for an output of shape
 * `[...O]` and an input of shape `[...I]`, a tensor `[...O, ...I]` of d output / d input. With one input and
 * one output, that tensor; with several, an array per output (of one tensor per input when inputs is an array).
 * @throws TypeError when an input is not a float tensor or f does not return tensors.
 */
export function jacobian(f: Fn, inputs: Tensor | Tensor[], opts: JacobianOptions = {}): Tensor | Tensor[] | Tensor[][] {
  options("jacobian", opts, ["vectorize"]);
  const xs = leaves(inputs, "jacobian");
  const { outs, many } = outputsOf(f, xs, "jacobian");
  const perOutput = outs.map((o) => {
    const rows = xs.map((x) => Tensor.empty([...o.shape, ...x.shape], x.dtype));
    for (let i = 0; i < o.numel; ++i) {
      const v = Tensor.empty(o.shape, o.dtype);
      v.storage[i] = 1;
      const gs = o.requiresGrad ? grad(o, xs, { gradOutputs: v, retainGraph: true, allowUnused: true }) : xs.map(() => null);
      gs.forEach((g, k) => rows[k].storage.set(dense(orZeros(g, xs[k])).storage.subarray(0, xs[k].numel), i * xs[k].numel));
    }
    return Array.isArray(inputs) ? rows : rows[0];
  });
  return many ? (perOutput as Tensor[] | Tensor[][]) : perOutput[0];
}

/**
 * The vector-Jacobian product vᵀ·J of `f` at `inputs` (PyTorch's `torch.autograd.functional.vjp`): returns
 * `[outputs, vjp]`, with vjp shaped like inputs. `v` (one per output, same shapes) may be omitted when f
 * returns one element.
 * @throws Error when v is missing for a non-scalar output or has the wrong shape.
 */
export function vjp(f: Fn, inputs: Tensor | Tensor[], v?: Tensor | Tensor[]): [Tensor | Tensor[], Tensor | Tensor[]] {
  const xs = leaves(inputs, "vjp");
  const { outs, many } = outputsOf(f, xs, "vjp");
  const vs = v === undefined ? outs.map((o) => {
    if (o.numel !== 1) throw new Error(`vjp: the output has shape ${fmt(o.shape)}; pass v of that shape`);
    return fill(Tensor.empty(o.shape, o.dtype), 1);
  }) : Array.isArray(v) ? v : [v];
  if (vs.length !== outs.length || vs.some((t, i) => !(t instanceof Tensor) || !sameShape(t.shape, outs[i].shape)))
    throw new Error(`vjp: v must be ${outs.length} tensor(s) shaped like the outputs (${outs.map((o) => fmt(o.shape)).join(", ")})`);
  const live = outs.map((o, i) => [o, vs[i]] as const).filter(([o]) => o.requiresGrad);
  const gs = live.length ? grad(live.map(([o]) => o), xs, { gradOutputs: live.map(([, t]) => t), allowUnused: true }) : xs.map(() => null);
  const result = gs.map((g, k) => orZeros(g, xs[k]));
  const values = outs.map((o) => o.detach());
  return [many ? values : values[0], Array.isArray(inputs) ? result : result[0]];
}
