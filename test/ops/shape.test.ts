import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, vals } from "./util.js";
import { mixedDtypes } from "./reference.js";

const a23 = () => tg.tensor([[1, 2, 3], [4, 5, 6]]);

describe("reshape / view / flatten", () => {
  it("reshape with arrays, separate sizes and -1", () => {
    expectClose(a23().reshape([3, 2]), [[1, 2], [3, 4], [5, 6]]);
    expectClose(a23().reshape(3, -1), [[1, 2], [3, 4], [5, 6]]);
    expectClose(a23().reshape(-1), [1, 2, 3, 4, 5, 6]);
    expect(a23().reshape(1, -1, 1).shape).toEqual([1, 6, 1]);
    expect(tg.reshape(a23(), [6]).shape).toEqual([6]);
    expect(tg.tensor([5]).reshape([]).shape).toEqual([]);
  });
  it("view of contiguous data shares storage", () => {
    const x = a23(), v = x.view(6);
    expect(v.storage).toBe(x.storage);
    v.fill_(0);
    expectClose(x, [[0, 0, 0], [0, 0, 0]]);
    expect(x.view(-1, 2).shape).toEqual([3, 2]);
  });
  it("reshape of a non-contiguous view copies in logical order", () => {
    const t = a23().t();
    expectClose(t.reshape(6), [1, 4, 2, 5, 3, 6]);
    expect(() => t.view(6)).toThrow(/view: the tensor \(shape \[3, 2\], strides \[1, 3\]\) is not contiguous/);
  });
  it("flatten ranges of dims", () => {
    const x = tg.zeros([2, 3, 4, 5]);
    expect(x.flatten().shape).toEqual([120]);
    expect(x.flatten(1).shape).toEqual([2, 60]);
    expect(x.flatten(1, 2).shape).toEqual([2, 12, 5]);
    expect(tg.flatten(x, 0, -2).shape).toEqual([24, 5]);
    expect(tg.tensor(3).flatten().shape).toEqual([1]);
  });
  it("gradients", () => {
    const x = vals([2, 3, 2]);
    expect(tg.gradCheck((t) => t.reshape(3, -1).mul(vals([3, 4], 5)), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.view(-1), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.flatten(1), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.transpose(0, 2).reshape(6, 2), [x])).toBe(true);
  });
});

describe("transpose / permute / t", () => {
  it("are views with swapped strides", () => {
    const x = a23(), t = x.t();
    expect(t.shape).toEqual([3, 2]);
    expect(t.storage).toBe(x.storage);
    expect(t.isContiguous()).toBe(false);
    expectClose(t, [[1, 4], [2, 5], [3, 6]]);
    expectClose(x.transpose(-1, 0), [[1, 4], [2, 5], [3, 6]]);
  });
  it("permute with an array or separate dims", () => {
    const x = tg.arange(24).reshape(2, 3, 4);
    const p = x.permute(2, 0, 1);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.toArray()).toEqual(tg.permute(x, [2, 0, 1]).toArray());
    expect((p.toArray() as number[][][])[3][1][2]).toBe(23);
    expect((p.toArray() as number[][][])[1][0][2]).toBe(9);
    expect(() => x.permute(0, 0, 1)).toThrow(/permute: repeated dim/);
    expect(() => x.permute(0, 1)).toThrow(/permute: expected 3 dims/);
  });
  it("contiguous materialises a copy; on contiguous input it is a new handle over the same storage", () => {
    const x = a23(), c = x.t().contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(c.storage).not.toBe(x.storage);
    expectClose(c, [[1, 4], [2, 5], [3, 6]]);
    expect(x.contiguous()).not.toBe(x);
    expect(x.contiguous().storage).toBe(x.storage);
  });
  it("gradients", () => {
    const x = vals([2, 3, 4]);
    expect(tg.gradCheck((t) => t.transpose(0, 2), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.permute(1, 2, 0), [x])).toBe(true);
    expect(tg.gradCheck((t) => t.t(), [vals([2, 3])])).toBe(true);
    expect(tg.gradCheck((t) => t.t().contiguous(), [vals([2, 3])])).toBe(true);
  });
});

describe("squeeze / unsqueeze / expand", () => {
  it("forward", () => {
    const x = tg.zeros([1, 3, 1, 2]);
    expect(x.squeeze().shape).toEqual([3, 2]);
    expect(x.squeeze(2).shape).toEqual([1, 3, 2]);
    expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]);
    expect(x.unsqueeze(0).shape).toEqual([1, 1, 3, 1, 2]);
    expect(x.unsqueeze(-1).shape).toEqual([1, 3, 1, 2, 1]);
    expectClose(tg.tensor([1, 2]).unsqueeze(1), [[1], [2]]);
    // unsqueeze on a transposed view keeps element order
    expectClose(a23().t().unsqueeze(1), [[[1, 4]], [[2, 5]], [[3, 6]]]);
  });
  it("expand is a stride-0 view; -1 keeps a size", () => {
    const x = tg.tensor([[1], [2]]);
    const e = x.expand(2, 3);
    expect(e.storage).toBe(x.storage);
    expect(e.strides[1]).toBe(0);
    expectClose(e, [[1, 1, 1], [2, 2, 2]]);
    expectClose(x.expand([3, -1, 2]), [[[1, 1], [2, 2]], [[1, 1], [2, 2]], [[1, 1], [2, 2]]]);
    expectClose(tg.tensor([7, 8]).expandAs(tg.zeros([2, 2])), [[7, 8], [7, 8]]);
    expect(() => tg.tensor([1, 2]).expand(3)).toThrow(/expand: the size 2 at dim 0 of \[2\] must be 1 to expand to \[3\]/);
  });
  it("gradients", () => {
    expect(tg.gradCheck((t) => t.squeeze(), [vals([1, 3, 1])])).toBe(true);
    expect(tg.gradCheck((t) => t.unsqueeze(1), [vals([2, 3])])).toBe(true);
    expect(tg.gradCheck((t) => t.expand(4, 2, 3), [vals([2, 1])])).toBe(true);
    expect(tg.gradCheck((t) => t.expandAs(tg.zeros([2, 3])), [vals([3])])).toBe(true);
    const x = tg.tensor([[1], [2]], { requiresGrad: true });
    x.expand(2, 5).sum().backward();
    expectClose(x.grad!, [[5], [5]]);
  });
});

describe("narrow / slice / select", () => {
  const x = () => tg.arange(12).float().reshape(3, 4);
  it("narrow and slice, with negative indices, clamping and steps", () => {
    expectClose(x().narrow(1, 1, 2), [[1, 2], [5, 6], [9, 10]]);
    expectClose(x().narrow(0, -1, 1), [[8, 9, 10, 11]]);
    expectClose(x().slice(1, 1), [[1, 2, 3], [5, 6, 7], [9, 10, 11]]);
    expectClose(x().slice(1, 0, 4, 2), [[0, 2], [4, 6], [8, 10]]);
    expectClose(x().slice(1, 1, undefined, 2), [[1, 3], [5, 7], [9, 11]]);
    expectClose(x().slice(0, -2), [[4, 5, 6, 7], [8, 9, 10, 11]]);
    expectClose(x().slice(1, 1, 100, 3), [[1], [5], [9]]);
    expect(x().slice(1, 3, 1).shape).toEqual([3, 0]);
    const base = x();
    expect(base.slice(0, 0, 3, 2).storage).toBe(base.storage);
    expect(() => x().slice(0, 0, 2, 0)).toThrow(/slice: step must be a positive integer/);
    expect(() => x().narrow(1, 3, 2)).toThrow(/narrow: start 3 and length 2 do not fit dim 1 of size 4/);
  });
  it("select drops the dim", () => {
    expectClose(x().select(0, 1), [4, 5, 6, 7]);
    expectClose(x().select(1, -1), [3, 7, 11]);
    expectClose(tg.select(x(), 1, 0).select(0, 2), 8);
    expect(() => x().select(0, 3)).toThrow(/select: index 3 is out of range for dim 0 of size 3/);
  });
  it("views write through to the base", () => {
    const b = x();
    b.slice(1, 0, 4, 2).fill_(-1);
    expectClose(b.select(0, 0), [-1, 1, -1, 3]);
  });
  it("gradients land in the selected positions", () => {
    const t = tg.arange(6).float().requiresGrad_();
    t.slice(0, 1, 6, 2).mul(tg.tensor([1, 2, 3])).sum().backward();
    expectClose(t.grad!, [0, 1, 0, 2, 0, 3]);
    const v = vals([3, 5]);
    expect(tg.gradCheck((u) => u.narrow(1, 1, 3), [v])).toBe(true);
    expect(tg.gradCheck((u) => u.slice(1, 0, 5, 2), [v])).toBe(true);
    expect(tg.gradCheck((u) => u.slice(0, -2, undefined, 1), [v])).toBe(true);
    expect(tg.gradCheck((u) => u.select(1, 3), [v])).toBe(true);
    expect(tg.gradCheck((u) => u.t().slice(0, 1, 4, 2), [v])).toBe(true);
  });
});

describe("cat / stack", () => {
  it("cat along dims, including a negative dim", () => {
    const p = tg.tensor([[1, 2]]), q = tg.tensor([[3, 4], [5, 6]]);
    expectClose(tg.cat([p, q]), [[1, 2], [3, 4], [5, 6]]);
    expectClose(tg.cat([q, q.t()], -1), [[3, 4, 3, 5], [5, 6, 4, 6]]);
    expectClose(tg.cat([tg.tensor([1]), tg.tensor([2, 3])]), [1, 2, 3]);
  });
  it("stack adds a dim", () => {
    const p = tg.tensor([1, 2]), q = tg.tensor([3, 4]);
    expectClose(tg.stack([p, q]), [[1, 2], [3, 4]]);
    expectClose(tg.stack([p, q], 1), [[1, 3], [2, 4]]);
    expectClose(tg.stack([p, q], -1), [[1, 3], [2, 4]]);
  });
  const mixedCalls: Record<keyof typeof mixedDtypes, [(ts: tg.Tensor[]) => tg.Tensor, [number[], tg.DType][]]> = {
    "cat(float32, float64, int32)": [(ts) => tg.cat(ts), [[[1.1, 2.5], "float32"], [[3.3], "float64"], [[4], "int32"]]],
    "cat(int32, float32)": [(ts) => tg.cat(ts), [[[4], "int32"], [[1.1], "float32"]]],
    "stack(float32, float64, int32)": [(ts) => tg.stack(ts, 1), [[[1.1], "float32"], [[3.3], "float64"], [[4], "int32"]]],
  };
  it.each(Object.entries(mixedCalls))("%s promotes as PyTorch; each piece's gradient comes back in its own dtype", (name, [f, pieces]) => {
    // Before: "cat: tensors must have the same dtype and shape" (PyTorch 1.13 promotes).
    const ref = mixedDtypes[name as keyof typeof mixedDtypes];
    const ts = pieces.map(([v, dtype]) => tg.tensor(v, { dtype, requiresGrad: dtype !== "int32" }));
    const y = f(ts);
    expect([y.dtype, y.toArray()]).toEqual([ref.dtype, ref.y]);
    y.mul(tg.arange(1, y.numel() + 1, { dtype: y.dtype }).reshape(y.shape)).sum().backward();
    expect(ts.map((t) => (t.grad ? t.grad.dtype : "none"))).toEqual(ref.gradDtypes);
    expect(ts.map((t) => (t.grad ? t.grad.toArray() : []))).toEqual(ref.grads);
  });
  it("gradients are the matching slices", () => {
    const p = tg.tensor([1, 2], { requiresGrad: true }), q = tg.tensor([3, 4, 5], { requiresGrad: true });
    tg.cat([p, q]).mul(tg.tensor([1, 2, 3, 4, 5])).sum().backward();
    expectClose(p.grad!, [1, 2]);
    expectClose(q.grad!, [3, 4, 5]);
    expect(tg.gradCheck((u, v) => tg.cat([u, v], 1), [vals([2, 3]), vals([2, 2], 3)])).toBe(true);
    expect(tg.gradCheck((u, v) => tg.cat([u, v, u], 0), [vals([1, 3]), vals([2, 3], 3)])).toBe(true);
    expect(tg.gradCheck((u, v) => tg.stack([u, v], 1), [vals([2, 3]), vals([2, 3], 3)])).toBe(true);
  });
  it("a tensor that does not require grad takes part without getting one", () => {
    const p = tg.tensor([1, 2], { requiresGrad: true }), q = tg.tensor([3]);
    tg.cat([q, p]).sum().backward();
    expectClose(p.grad!, [1, 1]);
    expect(q.grad).toBeNull();
  });
});
