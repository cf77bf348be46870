// Every op exported on `tg` and on Tensor.prototype must be either differentiable with a
// gradCheck case below, or listed as not differentiable. A new export that is in neither
// list fails this suite, so no op reaches users without a checked backward.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { i32, positive, vals } from "./util.js";

type Case = () => boolean;
const check = (fn: (...xs: tg.Tensor[]) => tg.Tensor, ...inputs: tg.Tensor[]) => () => tg.gradCheck(fn, inputs);
const x = vals([2, 3]), y = vals([2, 3], 2), p = positive([2, 3]);

// One gradCheck per differentiable name (functions on tg and methods share names).
const GRAD_CASES: Record<string, Case> = {
  add: check((a, b) => tg.add(a, b), x, vals([3], 4)),
  sub: check((a, b) => a.sub(b, 2), x, y),
  mul: check((a, b) => tg.mul(a, b), x, y),
  div: check((a, b) => tg.div(a, b), x, p),
  neg: check((a) => tg.neg(a), x),
  exp: check((a) => tg.exp(a), x),
  log: check((a) => tg.log(a), p),
  sqrt: check((a) => tg.sqrt(a), p),
  pow: check((a) => tg.pow(a, 2.5), p),
  abs: check((a) => tg.abs(a), x),
  sign: check((a) => tg.sign(a), x),
  square: check((a) => a.square(), x),
  sigmoid: check((a) => tg.sigmoid(a), x),
  tanh: check((a) => tg.tanh(a), x),
  relu: check((a) => tg.relu(a), x),
  leakyRelu: check((a) => tg.leakyRelu(a, 0.2), x),
  elu: check((a) => tg.elu(a), x),
  gelu: check((a) => tg.gelu(a), x),
  clamp: check((a) => tg.clamp(a, -0.5, 0.5), x),
  maximum: check((a, b) => tg.maximum(a, b), x, y),
  minimum: check((a, b) => tg.minimum(a, b), x, y),
  where: check((a, b) => tg.where(i32([[1, 0, 1], [0, 0, 1]]), a, b), x, y),
  sum: check((a) => tg.sum(a, 1), x),
  mean: check((a) => tg.mean(a, 0, true), x),
  max: check((a) => tg.max(a, 1), x),
  min: check((a) => tg.min(a), x),
  reshape: check((a) => tg.reshape(a, [3, 2]), x),
  view: check((a) => tg.view(a, [-1]), x),
  transpose: check((a) => tg.transpose(a, 0, 1), x),
  t: check((a) => a.t(), x),
  permute: check((a) => tg.permute(a, [1, 0]), x),
  squeeze: check((a) => tg.squeeze(a), vals([2, 1, 3])),
  unsqueeze: check((a) => tg.unsqueeze(a, 1), x),
  expand: check((a) => tg.expand(a, [4, 2, 3]), x),
  expandAs: check((a) => a.expandAs(tg.zeros([2, 2, 3])), x),
  flatten: check((a) => tg.flatten(a), x),
  narrow: check((a) => tg.narrow(a, 1, 1, 2), x),
  slice: check((a) => tg.slice(a, 1, 0, 3, 2), x),
  select: check((a) => tg.select(a, 0, 1), x),
  cat: check((a, b) => tg.cat([a, b], 1), x, y),
  stack: check((a, b) => tg.stack([a, b], 2), x, y),
  indexSelect: check((a) => tg.indexSelect(a, 1, i32([2, 0, 2])), x),
  gather: check((a) => tg.gather(a, 1, i32([[2, 0], [1, 1]])), x),
  matmul: check((a, b) => tg.matmul(a, b), x, vals([3, 2], 3)),
  softmax: check((a) => tg.softmax(a, 1), x),
  logSoftmax: check((a) => tg.logSoftmax(a, 0), x),
  contiguous: check((a) => a.t().contiguous(), x),
  clone: check((a) => a.clone(), x),
  to: check((a) => a.to("float64").mul(a), x),
  double: check((a) => a.double(), x),
  float: () => tg.gradCheck((a) => a.float(), [x], { eps: 1e-3, atol: 1e-4, rtol: 1e-2 }),
};

// Exports that are not differentiable ops, by kind.
const NOT_DIFFERENTIABLE = new Set([
  // comparisons and index results: integer outputs
  "eq", "ne", "gt", "ge", "lt", "le", "argmax", "argmin", "int",
  // creation and randomness
  "tensor", "zeros", "ones", "full", "zerosLike", "onesLike", "fullLike", "arange", "linspace", "eye",
  "rand", "randn", "randint", "randperm", "randLike", "randnLike", "manualSeed",
  // autograd and runtime control
  "noGrad", "enableGrad", "isGradEnabled", "setGradEnabled", "gradCheck",
  "setNumThreads", "getNumThreads", "cpuIsa", "setCpuIsa", "memoryStats", "emptyCache",
  // model inspection (runs a forward pass under noGrad)
  "summary",
  // checkpoints, random generators and moving tensors between threads
  "Generator", "save", "load", "loadMetadata", "fromTransferable", "toJSON", "toTransferable",
  // Tensor bookkeeping, read-out and in-place writes (in-place ops are not recorded on the tape)
  "constructor", "backward", "detach", "requiresGrad_", "retainGrad", "dispose", "endHandle", "releaseGraphUse", "data", "item", "toArray",
  "toString", "size", "isContiguous", "fill_", "zero_", "copy_",
  // serialisation, threads and data pipeline (copies; never on the tape)
  "toJSON", "toTransferable", "fromTransferable", "save", "load", "loadMetadata", "Generator",
]);

// Namespaces and classes exported next to the ops.
const NOT_OPS = new Set(["Tensor", "autograd", "nn", "optim"]);

const exportedFunctions = Object.entries(tg)
  .filter(([name, v]) => typeof v === "function" && !NOT_OPS.has(name))
  .map(([name]) => name);
const tensorMethods = Object.getOwnPropertyNames(tg.Tensor.prototype).filter((name) => {
  const d = Object.getOwnPropertyDescriptor(tg.Tensor.prototype, name)!;
  return typeof d.value === "function";
});

describe("op registry", () => {
  it("finds the exports (sanity)", () => {
    expect(exportedFunctions).toContain("matmul");
    expect(tensorMethods).toContain("logSoftmax");
    expect(exportedFunctions.length).toBeGreaterThan(50);
  });
  it("every exported function is classified", () => {
    const missing = exportedFunctions.filter((n) => !(n in GRAD_CASES) && !NOT_DIFFERENTIABLE.has(n));
    expect(missing, `exported on tg without a gradCheck case or a non-differentiable listing: ${missing.join(", ")}`).toEqual([]);
  });
  it("every Tensor method is classified", () => {
    const missing = tensorMethods.filter((n) => !(n in GRAD_CASES) && !NOT_DIFFERENTIABLE.has(n));
    expect(missing, `Tensor methods without a gradCheck case or a non-differentiable listing: ${missing.join(", ")}`).toEqual([]);
  });
  it("no name is in both lists, and no stale entries", () => {
    for (const n of Object.keys(GRAD_CASES)) expect(NOT_DIFFERENTIABLE.has(n), n).toBe(false);
    const all = new Set([...exportedFunctions, ...tensorMethods]);
    const stale = [...Object.keys(GRAD_CASES), ...NOT_DIFFERENTIABLE].filter((n) => !all.has(n));
    expect(stale, `listed but not exported: ${stale.join(", ")}`).toEqual([]);
  });
  it("non-differentiable ops never record a backward", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true });
    for (const out of [a.eq(2), a.gt(a), a.argmax(), a.argmin(0), a.int()]) {
      expect(out.requiresGrad).toBe(false);
      expect(out.gradFn).toBeNull();
    }
  });
  it.each(Object.keys(GRAD_CASES))("%s records a backward that passes gradCheck", (name) => {
    expect(GRAD_CASES[name]()).toBe(true);
  });
});
