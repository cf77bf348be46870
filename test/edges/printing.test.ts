// Printing as PyTorch 1.13 prints the same float32 tensors (reference.ts; dtypes without
// "torch.", sizes as JS arrays), with its default print options and with setPrintOptions.
import { afterEach, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";

const wave = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale);
const P = REF.prints;

describe("printing with PyTorch's defaults", () => {
  const cases: [keyof typeof P, () => tg.Tensor][] = [
    ["arange(1001)", () => tg.arange(1001).float()],
    ["zeros([1000, 1000])", () => tg.zeros([1000, 1000])],
    ["[-0, 1]", () => tg.tensor([-0, 1])],
    ["[-0, 1.5]", () => tg.tensor([-0, 1.5])],
    ["[-0, 1e-5]", () => tg.tensor([-0, 1e-5])],
    ["[]", () => tg.tensor([])],
    ["zeros([2, 0])", () => tg.zeros([2, 0])],
    ["arange(30) * 1.5", () => tg.arange(30).float().mul(1.5)],
    ["wave(200)", () => tg.tensor(wave(200))],
    ["wave(20x30)", () => tg.tensor(wave(600)).reshape(20, 30)],
    ["wave(40x40) * 1e3", () => tg.tensor(wave(1600, 1e3)).reshape(40, 40)],
    ["arange(6000).reshape(2, 1000, 3)", () => tg.arange(6000).float().reshape(2, 1000, 3)],
    ["int32 arange(2000)", () => tg.arange(2000)],
    ["int32 arange(100) * 1000", () => tg.arange(100).mul(1000)],
    ["wave(40) requires_grad", () => tg.tensor(wave(40), { requiresGrad: true })],
  ];
  it.each(cases)("%s", (key, make) => {
    expect(String(make())).toBe(P[key]);
  });
  it("a strided view prints its own elements", () => {
    expect(String(tg.arange(6).float().reshape(2, 3).t())).toBe("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])");
  });
  it("grad_fn names read as PyTorch's", () => {
    const x = tg.tensor([[1.5, -2], [0.25, 3]], { requiresGrad: true });
    const made: Record<keyof typeof REF.grad_fn, tg.Tensor> = {
      mul: x.mul(2), add: x.add(1), sub: x.sub(x), div: x.div(3), sum: x.sum(), mean: x.mean(), exp: x.exp(), relu: x.relu(),
      sigmoid: x.sigmoid(), tanh: x.tanh(), neg: x.neg(), matmul: x.matmul(x), view: x.view(-1), softmax: x.softmax(1),
      logSoftmax: x.logSoftmax(1), abs: x.abs(), pow: x.pow(3), maximum: x.maximum(x), clamp: x.clamp(0, 1), sqrt: x.abs().sqrt(),
    };
    for (const [k, t] of Object.entries(made)) {
      const want = REF.grad_fn[k as keyof typeof REF.grad_fn];
      expect(String(t), k).toMatch(new RegExp(`grad_fn=<${want.replace(/\d$/, "\\d")}>\\)$`));
    }
  });
  it("a write through a view prints the base's grad_fn as PyTorch does: <CopySlices>", () => {
    const y = tg.tensor([1, 2, 3], { requiresGrad: true }).mul(2);
    y.narrow(0, 0, 1).mul_(3);
    expect(String(y)).toMatch(/grad_fn=<CopySlices>\)$/);
  });
  it("printing a 4000×4000 tensor reads only the printed elements (summarised: a few hundred characters)", () => {
    const s = String(tg.zeros([4000, 4000]));
    expect(s.length).toBeLessThan(400);
    expect(s).toBe(P["zeros([1000, 1000])"]);
  });
});

describe("setPrintOptions", () => {
  afterEach(() => void tg.setPrintOptions(null));
  it("precision and linewidth", () => {
    tg.setPrintOptions({ precision: 2, linewidth: 40 });
    expect(String(tg.tensor(wave(12)))).toBe(P["precision 2, linewidth 40: wave(12)"]);
    tg.setPrintOptions({ sciMode: true });
    expect(String(tg.tensor(wave(4)))).toBe(P["+ sciMode true: wave(4)"]);
  });
  it("sciMode false, threshold and edgeitems", () => {
    tg.setPrintOptions({ sciMode: false, threshold: 5, edgeitems: 1 });
    expect(String(tg.tensor([1e-5, 1e9, 2, 3, 4, 5]))).toBe(P["precision 4, sciMode false, threshold 5, edgeitems 1: [1e-5, 1e9, 2, 3, 4, 5]"]);
    expect(String(tg.arange(16).float().reshape(4, 4))).toBe(P["... threshold 5, edgeitems 1: arange(16).reshape(4, 4)"]);
  });
  it("checks its options; null restores the defaults", () => {
    expect(() => tg.setPrintOptions({ sci_mode: true } as never)).toThrow(/setPrintOptions: unknown option "sci_mode"; did you mean "sciMode"/);
    expect(() => tg.setPrintOptions({ precision: -1 })).toThrow(/precision must be an integer >= 0/);
    expect(() => tg.setPrintOptions({ sciMode: "yes" as never })).toThrow(/sciMode must be true, false or null/);
    tg.setPrintOptions({ precision: 1 });
    expect(tg.setPrintOptions(null)).toEqual({ precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
  });
});
