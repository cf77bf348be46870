import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("read-out", () => {
  it("toArray gives nested arrays (a number for 0-d), also for views", () => {
    expect(tg.tensor(3).toArray()).toBe(3);
    expect(tg.tensor([[1, 2], [3, 4]]).t().toArray()).toEqual([[1, 3], [2, 4]]);
    expect(tg.zeros([2, 0]).toArray()).toEqual([[], []]);
  });
  it("item for one-element tensors; data() is a typed-array copy of the right type", () => {
    expect(tg.tensor([[7]]).item()).toBe(7);
    expect(tg.tensor([1, 2, 3]).select(0, 2).item()).toBe(3);
    expect(() => tg.tensor([1, 2]).item()).toThrow(/item: only one-element tensors.*shape \[2\]/);
    const x = tg.tensor([[1, 2], [3, 4]]);
    const d = x.t().data();
    expect(d).toBeInstanceOf(Float32Array);
    expect(Array.from(d)).toEqual([1, 3, 2, 4]);
    expect(tg.arange(3).data()).toBeInstanceOf(Int32Array);
    expect(tg.tensor([1], { dtype: "float64" }).data()).toBeInstanceOf(Float64Array);
    const own = x.data();
    own[0] = 99;
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
  });
  it("shape, ndim, numel(), size(), as PyTorch's methods", () => {
    const x = tg.zeros([2, 3, 4]);
    expect([x.ndim, x.numel(), x.nelement(), x.dim(), x.ndimension()]).toEqual([3, 24, 24, 3, 3]);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(-1)).toBe(4);
    expect([tg.tensor(5).numel(), tg.tensor(5).dim(), tg.zeros([3, 0]).numel()]).toEqual([1, 0, 0]);
    expect(x.narrow(1, 0, 2).numel()).toBe(16);
  });
  it("counts a model's parameters with PyTorch's idiom", () => {
    const model = new tg.nn.Sequential(new tg.nn.Linear(784, 256), new tg.nn.ReLU(), new tg.nn.Linear(256, 10));
    expect(model.parameters().reduce((s, p) => s + p.numel(), 0)).toBe(784 * 256 + 256 + 256 * 10 + 10);
  });
});

// Expected strings are PyTorch 1.13's repr of the same tensors (dtype printed without "torch.").
describe("toString prints like PyTorch", () => {
  it("integral floats, decimals, signs", () => {
    expect(tg.tensor([1, 2, 3]).toString()).toBe("tensor([1., 2., 3.])");
    expect(tg.tensor([1.5, -2]).toString()).toBe("tensor([ 1.5000, -2.0000])");
    expect(tg.tensor(3.5).toString()).toBe("tensor(3.5000)");
  });
  it("scientific notation when magnitudes span widely", () => {
    expect(tg.tensor([1e-5, 1e9, 1], { dtype: "float64" }).toString()).toBe("tensor([1.0000e-05, 1.0000e+09, 1.0000e+00], dtype=float64)");
    expect(tg.tensor([[1, 10000]]).toString()).toBe("tensor([[1.0000e+00, 1.0000e+04]])");
    expect(tg.tensor([0.1, 123.456], { dtype: "float64" }).toString()).toBe("tensor([1.0000e-01, 1.2346e+02], dtype=float64)");
  });
  it("nan and inf", () => {
    expect(tg.tensor([NaN, 1.5, Infinity]).toString()).toBe("tensor([   nan, 1.5000,    inf])");
    expect(tg.tensor([NaN, 1, -Infinity]).toString()).toBe("tensor([nan, 1., -inf])");
  });
  it("3-D with PyTorch's line breaks and indentation", () => {
    expect(tg.arange(8).float().reshape(2, 2, 2).toString()).toBe(
      "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
    );
    expect(tg.tensor([[1.5, 2], [3, 4]]).toString()).toBe("tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])");
  });
  it("dtype, requires_grad, grad_fn, empty and int32", () => {
    expect(tg.tensor([1, 2], { dtype: "float64" }).toString()).toBe("tensor([1., 2.], dtype=float64)");
    expect(tg.tensor([1.5, -2], { requiresGrad: true }).toString()).toBe("tensor([ 1.5000, -2.0000], requires_grad=True)");
    expect(tg.tensor([1], { requiresGrad: true }).mul(2).toString()).toMatch(/^tensor\(\[2\.\], grad_fn=<\w+>\)$/);
    expect(tg.tensor([1, -20, 3], { dtype: "int32" }).toString()).toBe("tensor([  1, -20,   3], dtype=int32)");
    expect(tg.zeros([2, 0]).toString()).toBe("tensor([], size=[2, 0])");
    expect(`${tg.tensor([1])}`).toBe("tensor([1.])");
  });
});

describe("views share storage", () => {
  it("reshape, view, transpose, permute, expand, slice, select, squeeze, unsqueeze, detach", () => {
    const x = tg.arange(12).float().reshape(3, 4);
    const views = [x.view(12), x.reshape(4, 3), x.t(), x.permute(1, 0), x.unsqueeze(0), x.unsqueeze(0).squeeze(0),
      x.slice(1, 1, 3), x.select(0, 2), x.narrow(0, 1, 1), x.detach(), x.select(1, 0).unsqueeze(1).expand(3, 5)];
    for (const v of views) expect(v.storage).toBe(x.storage);
    x.select(0, 2).fill_(-1);
    expect(x.t().select(1, 2).toArray()).toEqual([-1, -1, -1, -1]);
    expect(x.view(12).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1]);
  });
});

describe("dispose", () => {
  it("frees the storage now; using the tensor afterwards throws a clear error", () => {
    for (const n of [1, 4, 1000]) {
      const x = tg.ones([n]);
      x.dispose();
      expect(() => x.add(1)).toThrow(/disposed/);
      expect(() => x.sum()).toThrow(/disposed/);
      expect(() => x.toArray()).toThrow(/disposed/);
      expect(() => x.data()).toThrow(/disposed/);
      expect(() => x.sum(0).item()).toThrow(/disposed/);
      expect(x.toString()).toBe("tensor(<disposed>)");
      x.dispose(); // twice is harmless
    }
    const y = tg.ones([1]);
    y.dispose();
    expect(() => y.item()).toThrow(/^item: the tensor \(shape \[1\], float32\) was disposed/);
  });
  it("views of a disposed tensor keep its storage; other tensors are unaffected", () => {
    const x = tg.ones([10, 100]), other = tg.ones([10, 100]);
    const v = x.t();
    x.dispose();
    expect(() => x.sum()).toThrow(/disposed/);
    expect(v.matmul(other).sum().item()).toBe(100000);
    expect(other.sum().item()).toBe(1000);
  });
  it("views of a small (slab-backed) tensor stay valid after it is disposed", () => {
    const x = tg.ones([2, 3]);
    const v = x.t();
    x.dispose();
    expect(() => x.sum()).toThrow(/disposed/);
    expect(v.sum().item()).toBe(6);
  });
  it("disposing a leaf clears its grad and graph links", () => {
    const x = tg.ones([3], { requiresGrad: true });
    x.sum().backward();
    x.dispose();
    expect(x.grad).toBeNull();
  });
});
