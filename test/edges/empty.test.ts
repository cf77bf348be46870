// Zero-size operands (PyTorch 1.13's shapes and values from reference.ts), 0-d tensors where an op
// needs a dim, and shapes too large to allocate.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";

describe("empty operands", () => {
  it.each(REF.emptyMatmul.map((c) => [`${JSON.stringify(c.a)} @ ${JSON.stringify(c.b)}`, c] as const))("matmul %s: PyTorch's shape, zeros, and a backward", (_, c) => {
    const a = tg.ones(c.a as unknown as number[], { requiresGrad: true }), b = tg.ones(c.b as unknown as number[], { requiresGrad: true });
    // Garbage in freshly allocated memory would show in a K = 0 result: fill the allocator's reuse pool first.
    tg.full([64, 64], 7).dispose();
    const y = a.matmul(b);
    expect(y.shape).toEqual(c.shape);
    expect(Array.from(y.data()).every((v) => v === 0)).toBe(true);
    expect(y.sum().item()).toBe(c.sum);
    y.sum().backward();
    expect(a.grad!.shape).toEqual(c.a);
    expect(b.grad!.shape).toEqual(c.b);
    expect(a.grad!.sum().item()).toBe(c.ga);
    expect(b.grad!.sum().item()).toBe(c.gb);
  });
  it("an empty batch runs forward and backward through a whole model and an optimizer step", () => {
    tg.manualSeed(0);
    const model = new tg.nn.Sequential(new tg.nn.Linear(4, 8), new tg.nn.ReLU(), new tg.nn.Linear(8, 8), new tg.nn.Tanh(), new tg.nn.Linear(8, 3));
    const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
    const before = model.parameters().map((p) => Array.from(p.data()));
    const x = tg.zeros([0, 4]);
    const out = model.forward(x);
    expect(out.shape).toEqual([0, 3]);
    const loss = tg.nn.functional.mseLoss(out, tg.zeros([0, 3]), { reduction: "sum" });
    expect(loss.item()).toBe(0);
    loss.backward();
    for (const p of model.parameters()) {
      expect(p.grad!.shape).toEqual(p.shape);
      expect(Array.from(p.grad!.data()).every((v) => v === 0)).toBe(true);
    }
    opt.step();
    model.parameters().forEach((p, i) => expect(Array.from(p.data())).toEqual(before[i]));
    // crossEntropy over an empty batch: sum is 0, mean is NaN (0/0), as PyTorch.
    const logits = model.forward(x);
    expect(tg.nn.functional.crossEntropy(logits, tg.zeros([0], { dtype: "int32" }), { reduction: "sum" }).item()).toBe(0);
    expect(tg.nn.functional.crossEntropy(logits, tg.zeros([0], { dtype: "int32" })).item()).toBeNaN();
  });
  it("Linear with zero inputs: forward gives the bias, and its (empty) state dict loads", () => {
    const a = new tg.nn.Linear(0, 3), b = new tg.nn.Linear(0, 3);
    b.loadStateDict(a.stateDict());
    expect(b.weight.shape).toEqual([3, 0]);
    expect(Array.from(a.forward(tg.zeros([2, 0])).data())).toEqual([0, 0, 0, 0, 0, 0]);
    const e = tg.zeros([3, 0]);
    expect(e.copy_(tg.zeros([3, 0])).shape).toEqual([3, 0]);
  });
  it("reductions over the non-empty dims of a tensor with an empty dim give PyTorch's shapes", () => {
    const z = tg.zeros([3, 0, 2]);
    const [values, indices] = z.max(2);
    expect([values.shape, indices.shape]).toEqual([REF.emptyReduce["max(2)"], REF.emptyReduce["max(2)"]]);
    expect(z.min(0).values.shape).toEqual(REF.emptyReduce["min(0)"]);
    expect(z.argmax(2).shape).toEqual(REF.emptyReduce["argmax(2)"]);
    expect(z.sum(1).toArray()).toEqual(REF.emptyReduce["sum(1)"]);
    expect((z.mean(1).toArray() as number[][]).flat().every(Number.isNaN)).toBe(true);
    expect(REF.emptyReduce["mean(1)"].flat().every(Number.isNaN)).toBe(true);
    // Reducing over the empty dim itself has no identity: an error, as in PyTorch.
    expect(() => z.max(1)).toThrow(/max: cannot reduce over an empty dim 1 \(shape \[3, 0, 2\]\)/);
    expect(() => z.argmin(1)).toThrow(/argmin: cannot reduce over an empty dim 1/);
    expect(() => tg.zeros([0]).max()).toThrow(/max: cannot reduce over an empty tensor/);
    const x = tg.zeros([3, 0, 2], { requiresGrad: true });
    x.max(2).values.sum().backward();
    expect(x.grad!.shape).toEqual([3, 0, 2]);
  });
});

describe("splitting an empty dim", () => {
  const calls: Record<keyof typeof REF.emptySplit, () => tg.Tensor[]> = {
    "zeros([0, 2]).split(0)": () => tg.zeros([0, 2]).split(0),
    "zeros([2, 0]).split(0, 1)": () => tg.zeros([2, 0]).split(0, 1),
  };
  it.each(Object.entries(calls))("%s gives PyTorch's one empty piece", (call, split) => {
    // Before: a splitSize of 0 on an empty dim gave no pieces at all (ceil(0 / 0) is NaN).
    expect(split().map((p) => p.shape)).toEqual(REF.emptySplit[call as keyof typeof REF.emptySplit]);
    expect(() => tg.zeros([5]).split(0)).toThrow(/^split: splitSize must be a positive integer/);
  });
});

describe("0-d tensors", () => {
  it("transpose(0, -1) of a 0-d tensor is the tensor, with its gradient, as PyTorch", () => {
    // Before: "permute: expected 0 dims for shape [], got []" (the swap wrote into an empty dims list).
    const x = tg.tensor(5, { requiresGrad: true });
    expect([x.transpose(-1, 0).shape, x.transpose(0, 0).item()]).toEqual([REF.transpose0d.shape, REF.transpose0d.value]);
    x.transpose(0, -1).mul(3).backward();
    expect(x.grad!.item()).toBe(REF.transpose0d.grad);
    expect(() => x.transpose(0, 1)).toThrow(/^transpose: dim 1 is out of range for a tensor with 0 dims \(expected -1\.\.0\)/);
  });
  const s = () => tg.tensor(5);
  it("slice, narrow and select throw as PyTorch (no dimension to index)", () => {
    expect(() => s().slice(0, 0, 1)).toThrow(/slice: cannot be applied to a 0-d tensor \(dimension specified as 0 but the tensor has no dimensions\)/);
    expect(() => s().narrow(0, 0, 1)).toThrow(/narrow: cannot be applied to a 0-d tensor/);
    expect(() => s().select(-1, 0)).toThrow(/select: cannot be applied to a 0-d tensor/);
    expect(() => s().size(0)).toThrow(/size: dimension specified as 0 but the tensor has no dimensions/);
  });
  it("indexSelect and gather treat a 0-d tensor as one element and return 0-d, as PyTorch", () => {
    const x = tg.tensor(5, { requiresGrad: true });
    const y = x.indexSelect(0, tg.tensor([0], { dtype: "int32" }));
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(5);
    y.backward();
    expect(x.grad!.item()).toBe(1);
    expect(s().gather(0, tg.tensor(0, { dtype: "int32" })).shape).toEqual([]);
    expect(() => s().indexSelect(0, tg.tensor([0, 0], { dtype: "int32" }))).toThrow(/indexSelect: the index into a 0-d tensor must have one element/);
    expect(() => s().gather(0, tg.tensor([0], { dtype: "int32" }))).toThrow(/gather: the index into a 0-d tensor must be 0-d/);
    expect(() => s().indexSelect(0, tg.tensor([1], { dtype: "int32" }))).toThrow(/index 1 .* out of range/);
  });
});

describe("shapes too large to allocate", () => {
  it("say so, with the element count and bytes", () => {
    expect(() => tg.zeros([2 ** 31, 2 ** 31])).toThrow(/zeros: a tensor of shape \[2147483648, 2147483648\] would have 4\.612e\+18 elements \(1\.845e\+19 bytes as float32\), too large to allocate/);
    expect(() => tg.randn([2 ** 40, 2 ** 20])).toThrow(/randn: .* too large to allocate/);
    // A huge expand is a valid view (stride 0); materialising it is what cannot be done.
    const v = tg.ones([1]).expand([2 ** 30, 2 ** 30, 2 ** 30]);
    expect(v.shape).toEqual([2 ** 30, 2 ** 30, 2 ** 30]);
    expect(() => v.contiguous()).toThrow(/cannot allocate a tensor of 1\.238e\+27 elements .* too large/);
  });
});
