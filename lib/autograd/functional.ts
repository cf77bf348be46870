// tg.autograd.functional: Jacobians and vector-Jacobian products of a function of tensors
// (PyTorch's torch.autograd.functional.jacobian / vjp), computed by reverse mode on the ordinary
// tape: the function runs once on detached copies of the inputs, then one backward per output
// element (jacobian) or one backward with the given v (vjp).
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { enableGrad } from "./grad-mode.js";
import { grad } from "./grad.js";
import { options } from "../options.js";
import { checkLive } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

type Tensors = Tensor | Tensor[];

export interface JacobianOptions {
  /** Accepted for PyTorch compatibility. tensorgrad has no vmap, so rows are computed one backward each either way; the result is the same. */
  vectorize?: boolean;
  /** Must be false: tensorgrad's backward does not record a graph, so higher-order gradients are not available. */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input (instead of returning zeros). */
  strict?: boolean;
}
export type VjpOptions = Omit<JacobianOptions, "vectorize">;

const asList = (x: Tensors, what: string, op: string): Tensor[] => {
  const list = Array.isArray(x) ? x : [x];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} ${i} is ${t === null ? "null" : typeof t}, not a Tensor`);
    checkLive(t, op, `${what} ${i}`);
  });
  return list;
};

// Checks the options, and runs f on detached inputs that require grad; returns inputs and outputs.
function evaluate(op: string, f: (...xs: Tensor[]) => Tensors, inputs: Tensors, createGraph: boolean | undefined) {
  if (createGraph)
    throw new Error(`${op}: createGraph is not supported: tensorgrad's backward rules do not record a graph, so the result cannot be differentiated again`);
  const xs = asList(inputs, "input", op).map((t, i) => {
    if (t.dtype === "int32") throw new TypeError(`${op}: input ${i} is int32; only float tensors have gradients`);
    return t.detach().requiresGrad_(true);
  });
  const out = enableGrad(() => f(...xs));
  const outs = asList(out, "output of f", op);
  return { xs, out, outs };
}

// Gradients of `outs` (weighted by `vs`) for each x; zeros (or, with strict, an error) where an
// output does not depend on x.
function pullBack(op: string, outs: Tensor[], vs: Tensor[], xs: Tensor[], strict: boolean, retainGraph: boolean): Tensor[] {
  const live = outs.map((o, i) => i).filter((i) => outs[i].requiresGrad);
  if (strict && live.length < outs.length)
    throw new Error(`${op}: output ${outs.findIndex((o) => !o.requiresGrad)} of f does not depend on the inputs, which strict mode does not allow`);
  const gs = live.length
    ? grad(live.map((i) => outs[i]), xs, { gradOutputs: live.map((i) => vs[i]), retainGraph, allowUnused: true })
    : xs.map(() => null);
  return gs.map((g, j) => {
    if (g) return g;
    if (strict) throw new Error(`${op}: the output of f is independent of input ${j}, which strict mode does not allow`);
    return Tensor.empty(xs[j].shape, xs[j].dtype);
  });
}

/**
 * The Jacobian of `f` at `inputs` (PyTorch's `torch.autograd.functional.jacobian`). For one input of
 * shape `I` and one output of shape `O` it is a tensor of shape `[...O, ...I]`: `J[o..., i...] = ∂out[o...]/∂in[i...]`.
 * With several inputs it is an array (one per input); with several outputs an array per output of
 * those (`J[k][j]` = ∂out_k/∂in_j). dtype: the output's. Inputs are not modified; f sees detached copies.
 * @param f a function of the inputs returning a Tensor or an array of Tensors.
 * @param inputs a float Tensor or an array of them.
 * @param opts `{vectorize = false, createGraph = false, strict = false}` (see JacobianOptions).
 * @throws Error on an unknown option, createGraph: true, an int32 input, a non-tensor output, or (strict)
 *   an output independent of an input.
 */
export function jacobian(f: (...xs: Tensor[]) => Tensors, inputs: Tensors, opts?: JacobianOptions): Tensor | Tensor[] | Tensor[][] {
  refuseSurplus(jacobian, arguments.length, opts);
  const { createGraph, strict = false } = options("jacobian", opts, ["vectorize", "createGraph", "strict"]);
  const { xs, out, outs } = evaluate("jacobian", f, inputs, createGraph);
  const perOutput = outs.map((o, k) => {
    const jac = xs.map((x) => Tensor.empty([...o.shape, ...x.shape], o.dtype));
    const onehot = Tensor.empty(o.shape, o.dtype);
    const last = k === outs.length - 1;
    for (let e = 0; e < o.numel(); ++e) {
      onehot.storage[e] = 1;
      const rows = pullBack("jacobian", [o], [onehot], xs, strict, !(last && e === o.numel() - 1));
      onehot.storage[e] = 0;
      rows.forEach((r, j) => jac[j].storage.set(r.data(), e * xs[j].numel()));
    }
    return Array.isArray(inputs) ? jac : jac[0];
  });
  return Array.isArray(out) ? (perOutput as Tensor[][]) : perOutput[0];
}

/**
 * The vector-Jacobian product vᵀ·J of `f` at `inputs` (PyTorch's `torch.autograd.functional.vjp`).
 * Returns `[output, vjp]`: f's output (detached) and the gradient for each input (a Tensor for a Tensor
 * input, an array for an array), each of its input's shape. `v` has the output's shape (one per output);
 * it may be omitted when f returns one one-element tensor.
 * @throws Error on a missing or misshapen v, an unknown option, createGraph: true, an int32 input, or
 *   (strict) an output independent of an input.
 */
export function vjp(f: (...xs: Tensor[]) => Tensors, inputs: Tensors, v?: Tensors | null, opts?: VjpOptions): [Tensors, Tensors] {
  refuseSurplus(vjp, arguments.length, opts);
  const { createGraph, strict = false } = options("vjp", opts, ["createGraph", "strict"]);
  const { xs, out, outs } = evaluate("vjp", f, inputs, createGraph);
  let vs: Tensor[];
  if (v == null) {
    if (outs.length !== 1 || outs[0].numel() !== 1)
      throw new Error(`vjp: v may be omitted only when f returns a single one-element tensor; f returned shape${outs.length > 1 ? "s" : ""} ${outs.map((o) => fmt(o.shape)).join(", ")}`);
    vs = [Tensor.empty(outs[0].shape, outs[0].dtype)];
    vs[0].storage[0] = 1;
  } else {
    vs = asList(v, "v", "vjp");
    if (vs.length !== outs.length) throw new Error(`vjp: got ${vs.length} v for ${outs.length} outputs of f; give one per output`);
    vs.forEach((t, i) => {
      if (!sameShape(t.shape, outs[i].shape)) throw new Error(`vjp: v ${i} has shape ${fmt(t.shape)} but output ${i} of f has shape ${fmt(outs[i].shape)}`);
    });
  }
  const gs = pullBack("vjp", outs, vs, xs, strict, false);
  const detached = Array.isArray(out) ? outs.map((o) => o.detach()) : outs[0].detach();
  return [detached, Array.isArray(inputs) ? gs : gs[0]];
}
