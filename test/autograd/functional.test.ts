// tg.autograd.functional.jacobian / vjp: hand cases (Linear, sigmoid), PyTorch-generated values
// (test/autograd/gen-functional-reference.py), and the options and errors.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64 } from "../ops/util.js";
import { REF } from "./functional-reference.js";

const { jacobian, vjp } = tg.autograd.functional;
type T = tg.Tensor;
type Nested = number | Nested[];
const t = (v: unknown) => f64(v as Nested);
const near = (got: unknown, want: unknown) => expectClose(got as T, want as Nested, 1e-12);

describe("jacobian: hand cases", () => {
  it("of a Linear layer is its weight (for one sample: [out, in]; batched: block-diagonal)", () => {
    tg.manualSeed(3);
    const lin = new tg.nn.Linear(3, 4, { dtype: "float64" });
    const J = jacobian((x) => lin.call(x), t([[0.5, -1, 2]])) as T;
    expect(J.shape).toEqual([1, 4, 1, 3]);
    expectClose(J.reshape([4, 3]), lin.weight.toArray() as Nested, 1e-15);
    const Jb = jacobian((x) => lin.call(x), t([[1, 2, 3], [4, 5, 6]])) as T;
    expectClose(Jb.select(0, 1).select(1, 1), lin.weight.toArray() as Nested, 1e-15);
    expectClose(Jb.select(0, 0).select(1, 1), [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(lin.weight.grad).toBeNull(); // jacobian touches no .grad
  });
  it("of elementwise sigmoid is diag(σ(1−σ))", () => {
    const x = t([-2, 0, 0.5, 3]);
    const J = jacobian((v) => v.sigmoid(), x) as T;
    const s = [-2, 0, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v)));
    expectClose(J, s.map((si, i) => s.map((_, j) => (i === j ? si * (1 - si) : 0))), 1e-15);
  });
  it("of a scalar function of a scalar is the derivative (0-d in, 0-d out)", () => {
    const J = jacobian((v) => v.mul(v).mul(v), f64(2)) as T;
    expect(J.shape).toEqual([]);
    expect(J.item()).toBe(12);
  });
  it("of an empty input or output is empty, shaped [...O, ...I]", () => {
    expect((jacobian((v) => v.mul(2), tg.zeros([0], { dtype: "float64" })) as T).shape).toEqual([0, 0]);
    expect((jacobian((v) => v.sum(), tg.zeros([0, 2], { dtype: "float64" })) as T).shape).toEqual([0, 2]);
  });
  it("of a custom Function uses its backward", () => {
    class Cube extends tg.autograd.Function {
      static override forward(ctx: tg.autograd.FunctionCtx, x: T): T { ctx.saveForBackward(x); return x.mul(x).mul(x); }
      static override backward(ctx: tg.autograd.FunctionCtx, g: T): T { const [x] = ctx.savedTensors as T[]; return g.mul(x).mul(x).mul(3); }
    }
    expectClose(jacobian((v) => Cube.apply(v), t([1, 2])) as T, [[3, 0], [0, 12]]);
  });
  it("leaves the inputs as they were (no requiresGrad, no .grad)", () => {
    const x = t([1, 2]);
    jacobian((v) => v.exp(), x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });
});

describe("jacobian / vjp against PyTorch", () => {
  it("tanh(W·x)·sum(x), one input", () => {
    const { W, x, J } = REF.tanhLinear;
    const w = t(W);
    near(jacobian((v) => w.matmul(v).tanh().mul(v.sum()), t(x)), J);
  });
  it("the same for two inputs: an array of Jacobians", () => {
    const { W, x } = REF.tanhLinear;
    const [Jx, JW] = jacobian((v, w) => w.matmul(v).tanh().mul(v.sum()), [t(x), t(W)]) as T[];
    near(Jx, REF.tanhLinearBoth.Jx);
    near(JW, REF.tanhLinearBoth.JW);
  });
  it("softmax over a vector", () => {
    near(jacobian((v) => v.softmax(0), t(REF.softmax.x)), REF.softmax.J);
  });
  it("two inputs, two outputs: J[k][j] = ∂out_k/∂in_j", () => {
    const { a, b, J } = REF.twoByTwo;
    const got = jacobian((p, q) => [p.mul(q), p.exp().add(q.sum())], [t(a), t(b)]) as T[][];
    expect(got.length).toBe(2);
    got.forEach((row, k) => row.forEach((g, j) => near(g, J[k][j])));
  });
  it("vectorize: true gives the same Jacobian", () => {
    const { W, x, J } = REF.tanhLinear;
    const w = t(W);
    near(jacobian((v) => w.matmul(v).tanh().mul(v.sum()), t(x), { vectorize: true }), J);
  });
  it("vjp of logSoftmax(X·M) with v", () => {
    const { X, M, v, out, gX, gM } = REF.vjpLogSoftmax;
    const [o, [dX, dM]] = vjp((p, q) => p.matmul(q).logSoftmax(1), [t(X), t(M)], t(v)) as [T, T[]];
    near(o, out);
    expect(o.requiresGrad).toBe(false);
    near(dX, gX);
    near(dM, gM);
  });
  it("vjp of a scalar function without v", () => {
    const [o, g] = vjp((p) => p.mul(p).sum().sigmoid(), t(REF.twoByTwo.a)) as [T, T];
    expect(o.item()).toBeCloseTo(REF.vjpScalar.out, 14);
    near(g, REF.vjpScalar.g);
  });
});

describe("jacobian / vjp: independence, options and errors", () => {
  it("an input the output does not depend on gets zeros; strict throws", () => {
    const [, Jy] = jacobian((x, _y) => x.mul(2), [t([1, 2]), t([3])]) as T[];
    expectClose(Jy, [[0], [0]]);
    expect(() => jacobian((x, _y) => x.mul(2), [t([1, 2]), t([3])], { strict: true })).toThrow(
      "jacobian: the output of f is independent of input 1, which strict mode does not allow");
    expect(() => jacobian(() => t([1]), t([1]), { strict: true })).toThrow(
      "jacobian: output 0 of f does not depend on the inputs, which strict mode does not allow");
    expectClose(jacobian(() => t([1, 1]), t([1])) as T, [[0], [0]]);
  });
  it("unknown options suggest the spelling; createGraph is refused with the reason", () => {
    expect(() => jacobian((x) => x, t([1]), { create_graph: false } as never)).toThrow(
      'jacobian: unknown option "create_graph"; did you mean "createGraph"?');
    expect(() => jacobian((x) => x, t([1]), { createGraph: true })).toThrow(/createGraph is not supported/);
    expect(() => vjp((x) => x, t([1]), null, { vectorize: true } as never)).toThrow(/vjp: unknown option "vectorize"/);
  });
  it("bad v and inputs are named", () => {
    expect(() => vjp((x) => x.mul(2), t([1, 2]))).toThrow(
      "vjp: v may be omitted only when f returns a single one-element tensor; f returned shape [2]");
    expect(() => vjp((x) => x.mul(2), t([1, 2]), t([1, 2, 3]))).toThrow("vjp: v 0 has shape [3] but output 0 of f has shape [2]");
    expect(() => jacobian((x) => x, tg.tensor([1], { dtype: "int32" }))).toThrow("jacobian: input 0 is int32; only float tensors have gradients");
    expect(() => jacobian((x) => x, [t([1]), 3 as unknown as T])).toThrow("jacobian: input 1 is number, not a Tensor");
    expect(() => jacobian(() => 3 as unknown as T, t([1]))).toThrow("jacobian: output of f 0 is number, not a Tensor");
  });
});
