// var, std, norm, logsumexp and F.normalize: hand values, PyTorch 1.13's values and gradients
// (test/ops/reference.ts), edge inputs and argument errors. gradCheck of each runs in registry.test.ts.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import * as ref from "./reference.js";
import { expectCase, expectClose, f64 } from "./util.js";

const X = [[1.0, 2.0, 4.0, -0.5], [3.0, -1.0, 0.5, 2.5], [0.25, 0.0, -3.0, 1.5]];
const X3 = [[[0.3, -1.2], [2.5, 0.7]], [[-0.4, 1.1], [0.9, -2.2]], [[1.7, 0.2], [-0.6, 0.8]]];
const F = tg.nn.functional;

describe("var and std", () => {
  it("hand values: Bessel's correction by default, population with correction 0 or unbiased false", () => {
    const x = tg.tensor([1, 2, 3, 4]);
    expect(x.var().item()).toBeCloseTo(5 / 3, 6);
    expect(x.var(null, { correction: 0 }).item()).toBeCloseTo(1.25, 6);
    expect(x.var({ unbiased: false }).item()).toBeCloseTo(1.25, 6);
    expect(x.std(0).item()).toBeCloseTo(Math.sqrt(5 / 3), 6);
    expect(tg.var(x.reshape([2, 2]), 1, { keepdim: true }).shape).toEqual([2, 1]);
  });
  it("match PyTorch: values and gradients over one dim, several, all, with correction 0 and 2", () => {
    expectCase(ref.variance.all, (t) => t.var(), [X]);
    expectCase(ref.variance.dim1, (t) => t.var(1), [X]);
    expectCase(ref.variance["dim0,c0"], (t) => t.var(0, { unbiased: false }), [X]);
    expectCase(ref.variance["dims02,keepdim"], (t) => t.var([0, 2], { keepdim: true }), [X3]);
    expectCase(ref.variance["dim-1,c2"], (t) => tg.var(t, -1, { correction: 2 }), [X]);
    expectCase(ref.std.all, (t) => t.std(), [X]);
    expectCase(ref.std.dim1, (t) => t.std(1), [X]);
    expectCase(ref.std["dims01,c0"], (t) => t.std([0, 1], { correction: 0 }), [X3]);
    // A constant line: std 0, gradient 0 there (not NaN), as PyTorch.
    expectCase(ref.std.constant, (t) => t.std(1), [[[2, 2, 2], [1, 2, 3]]]);
  });
  it("edges: one element (N − 1 = 0) is NaN, NaN and inf give NaN, float32 agrees", () => {
    expect(tg.tensor([2]).var().item()).toBeNaN();
    expect(ref.variance["one,c1"].y).toBeNaN();
    expectClose(tg.tensor([[1, NaN], [1, Infinity], [2, 2]]).var(1), [NaN, NaN, 0]);
    expectClose(tg.tensor(X).var(1), (ref.variance.dim1 as { y: number[] }).y, 1e-6);
    expect(tg.zeros([0]).var().item()).toBeNaN();
    expect(tg.zeros([2, 0]).var(0).shape).toEqual([0]);
  });
  it("refuses int32 input, both correction and unbiased, unknown options and bad dims, naming the op", () => {
    const x = tg.tensor([[1, 2], [3, 4]]);
    expect(() => tg.tensor([1, 2], { dtype: "int32" }).var()).toThrow(/var: input dtype must be float32 or float64, got int32/);
    expect(() => x.var(0, { correction: 1, unbiased: true })).toThrow(/var: give correction or unbiased, not both/);
    expect(() => x.std(0, { ddof: 1 } as never)).toThrow(/std: unknown option "ddof"/);
    expect(() => x.var(2)).toThrow(/var: dim 2 is out of range/);
    expect(() => x.std("1" as never, {})).toThrow(/^std: dim must be an integer, got string "1"/);
  });
});

describe("norm", () => {
  it("hand values: 2-norm by default, p 1, inf, -inf, 0, fro", () => {
    const x = tg.tensor([[3, -4], [0, 1]]);
    expect(x.norm().item()).toBeCloseTo(Math.sqrt(26), 5);
    expect(x.norm("fro").item()).toBeCloseTo(Math.sqrt(26), 5);
    expectClose(x.norm(2, { dim: 1 }), [5, 1]);
    expectClose(x.norm(1, { dim: 0 }), [3, 5]);
    expectClose(x.norm(Infinity, { dim: 1, keepdim: true }), [[4], [1]]);
    expectClose(x.norm(-Infinity, { dim: 1 }), [3, 0]);
    expect(x.norm(0).item()).toBe(3);
    expectClose(x.norm({ dim: 0 }), [3, Math.sqrt(17)]);
  });
  it("matches PyTorch: values and gradients for every p, several dims, zero rows and ±inf ties", () => {
    const r = ref.norm as Record<string, { y: number[]; grads?: number[][] }>;
    expectCase(r.fro, (t) => t.norm(), [X]);
    expectCase(r["p2,dim1"], (t) => t.norm(2, { dim: 1 }), [X]);
    expectCase(r["p1,dim0"], (t) => t.norm(1, { dim: 0 }), [X]);
    expectCase(r["inf,dim1"], (t) => t.norm(Infinity, { dim: 1 }), [[[3, -3, 1], [0.5, -2, 1]]]);
    expectCase(r["-inf,dim1"], (t) => t.norm(-Infinity, { dim: 1 }), [[[3, -0.5, 1], [0.5, -2, 1]]]);
    expectCase(r["p3,dims02,keepdim"], (t) => t.norm(3, { dim: [0, 2], keepdim: true }), [X3]);
    expectCase(r.p0, (t) => t.norm(0), [[[1, 0, -2], [0, 0, 3]]]);
    expectCase(r["p0.5,dim1"], (t) => t.norm(0.5, { dim: 1 }), [[[1, 4], [9, 0.25]]]);
    expectCase(r["zero row p2"], (t) => t.norm(2, { dim: 1 }), [[[0, 0], [3, 4]]]);
    expectClose(tg.tensor([[NaN, 1], [Infinity, 1], [-Infinity, 2]]).norm(2, { dim: 1 }), r["nan,inf"].y);
  });
  it("NaN, ±inf and -0 for every p, as PyTorch (NaN wins the ±inf norms; p = 0 counts NaN as nonzero)", () => {
    const edge = f64([[NaN, 1, 2], [Infinity, 1, -0], [-Infinity, 2, 0], [-0, 0, -0]]);
    for (const [key, p] of [["1", 1], ["inf", Infinity], ["-inf", -Infinity], ["0", 0], ["3", 3]] as const)
      expectClose(edge.norm(p, { dim: 1 }), ref.normEdges[key]);
  });
  it("accumulates in double: float32 values of 1e30 do not overflow", () => {
    expect(tg.tensor([3e30, 4e30]).norm().item()).toBeCloseTo(5e30, -25);
  });
  it("refuses int32, bad p, nuc, empty ±inf, unknown options", () => {
    const x = tg.tensor([1, 2]);
    expect(() => tg.tensor([1], { dtype: "int32" }).norm()).toThrow(/norm: input dtype must be float32 or float64/);
    expect(() => x.norm("nuc" as never)).toThrow(/norm: p must be a number .*nuclear norm is not supported/);
    expect(() => x.norm(NaN)).toThrow(/norm: p must be a number/);
    expect(() => tg.zeros([2, 0]).norm(Infinity, { dim: 1 })).toThrow(/norm: the Infinity-norm over an empty dim is undefined/);
    expect(tg.zeros([0]).norm().item()).toBe(0);
    expect(() => x.norm(2, { axis: 0 } as never)).toThrow(/norm: unknown option "axis"/);
  });
  it("p < 2 gives gradient 0 at x = 0, not NaN from 0·|0|^(p−2), as PyTorch 1.13", () => {
    // torch.linalg.vector_norm(torch.tensor([0., 2.], requires_grad=True), p).backward() -> [0, 1] for p 0.5, 1.5, 3;
    // p -1 (the norm is 0): [0, 0]; all-zero input: [0, 0].
    for (const [p, want] of [[0.5, [0, 1]], [1.5, [0, 1]], [3, [0, 1]], [-1, [0, 0]]] as const) {
      const x = tg.tensor([0, 2], { requiresGrad: true });
      x.norm(p).backward();
      expectClose(x.grad!, want as unknown as number[], 1e-6);
      const z = tg.tensor([0, 0], { requiresGrad: true });
      z.norm(p).backward();
      expect(Array.from(z.grad!.data()), `p ${p}, zeros`).toEqual([0, 0]);
    }
  });
});

describe("logsumexp", () => {
  it("hand values and PyTorch's values and gradients over one dim, several, keepdim", () => {
    expect(tg.tensor([0, Math.log(3)]).logsumexp(0).item()).toBeCloseTo(Math.log(4), 6);
    expectCase(ref.logsumexp.dim1, (t) => t.logsumexp(1), [X]);
    expectCase(ref.logsumexp.dims02, (t) => tg.logsumexp(t, [0, 2]), [X3]);
    expectCase(ref.logsumexp["dim0,keepdim"], (t) => t.logsumexp(0, true), [X]);
  });
  it("is stable at ±inf, NaN and 1e38 (float32 and float64); a row of −inf has gradient 0, not NaN", () => {
    const edges = [[-Infinity, -Infinity], [Infinity, 1], [NaN, 1], [1e38, 1e38], [-Infinity, 0]];
    expectClose(f64(edges).logsumexp(1), ref.logsumexp.edges.y);
    expectClose(tg.tensor(edges).logsumexp(1), ref.logsumexp.edges32.y, 1e-6);
    const x = f64([[-Infinity, -Infinity], [-Infinity, 0]], true);
    x.logsumexp(1).sum().backward();
    // PyTorch 1.13 gives NaN for the first row (e^(−inf − (−inf))); PyTorch 2 and tensorgrad give 0.
    expectClose(x.grad!, [[0, 0], [0, 1]]);
    expect(tg.zeros([2, 0]).logsumexp(1).data()).toEqual(new Float32Array([-Infinity, -Infinity]));
  });
  it("int32 input is computed in float32; a missing or bad dim throws naming logsumexp", () => {
    expect(tg.tensor([0, 0], { dtype: "int32" }).logsumexp(0).dtype).toBe("float32");
    expect(() => tg.tensor([1, 2]).logsumexp(undefined as never)).toThrow(/logsumexp: dim must be a number/);
    expect(() => tg.tensor([1, 2]).logsumexp(1)).toThrow(/logsumexp: dim 1 is out of range/);
  });
});

describe("0-d inputs reduce over dim 0 or all dims, as PyTorch", () => {
  it.each([
    ["var", (t: tg.Tensor) => t.var()], ["var0,c0", (t: tg.Tensor) => t.var(0, { correction: 0 })], ["std", (t: tg.Tensor) => t.std()],
    ["norm", (t: tg.Tensor) => t.norm()], ["norm1,dim0", (t: tg.Tensor) => t.norm(1, { dim: 0 })],
    ["logsumexp", (t: tg.Tensor) => t.logsumexp(0)], ["topk", (t: tg.Tensor) => t.topk(1)[0]],
    ["cumsum", (t: tg.Tensor) => t.cumsum(0)], ["sort", (t: tg.Tensor) => t.sort()[0]],
  ] as const)("%s", (key, f) => {
    const y = f(f64(-3));
    expect(y.shape).toEqual([]);
    expectClose(y, ref.zeroDim[key]);
    expect(() => f64(-3).var(1)).toThrow(/var: dim 1 is out of range/);
  });
});

describe("F.normalize", () => {
  it("matches PyTorch: default p 2 along dim 1, p 1 along dim 0, a zero row stays 0", () => {
    expectCase(ref.normalize.default, (t) => F.normalize(t), [X]);
    expectCase(ref.normalize["p1,dim0"], (t) => F.normalize(t, { p: 1, dim: 0 }), [X]);
    expectCase(ref.normalize["zero row"], (t) => F.normalize(t, { dim: 1 }), [[[0, 0], [3, 4]]]);
  });
  it("refuses unknown options and a non-number eps", () => {
    expect(() => F.normalize(tg.ones([2, 2]), { axis: 1 } as never)).toThrow(/normalize: unknown option "axis"/);
    expect(() => F.normalize(tg.ones([2, 2]), { eps: "1" as never })).toThrow(/normalize: eps must be a number/);
  });
  it("errors for a bad input, dim or p name normalize, not the norm it calls", () => {
    expect(() => F.normalize(tg.tensor([3, 4]))).toThrow(/^normalize: dim 1 is out of range for a tensor with 1 dims/);
    expect(() => F.normalize(tg.ones([2, 2], { dtype: "int32" }))).toThrow(/^normalize: input dtype must be float32 or float64, got int32/);
    expect(() => F.normalize(null as never)).toThrow(/^normalize: expected a Tensor, got null/);
    expect(() => F.normalize(tg.ones([2, 2]), { p: "2" as never })).toThrow(/^normalize: p must be a number/);
  });
});
