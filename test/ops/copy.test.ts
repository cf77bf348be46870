import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, i32, vals } from "./util.js";

describe("to(dtype), float(), double(), int()", () => {
  it("converts values; float -> int truncates toward zero", () => {
    const x = tg.tensor([1.7, -2.7, 3]);
    expect(x.to("int32").dtype).toBe("int32");
    expect(x.to("int32").toArray()).toEqual([1, -2, 3]);
    expect(x.int().toArray()).toEqual([1, -2, 3]);
    expect(i32([1, 2]).to("float64").dtype).toBe("float64");
    expect(i32([1, 2]).float().toArray()).toEqual([1, 2]);
    expect(x.double().dtype).toBe("float64");
    // No copy is needed, but the result is a new handle over the same storage (disposing it cannot end x).
    const same = x.to("float32");
    expect(same).not.toBe(x);
    expect(same.storage).toBe(x.storage);
  });
  it("works on strided views", () => {
    expectClose(tg.tensor([[1, 2], [3, 4]]).t().double(), [[1, 3], [2, 4]]);
  });
  it("gradient flows back in the source dtype; conversion to int32 is not differentiable", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    x.double().mul(f64([3, 4])).sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expectClose(x.grad!, [3, 4]);
    expect(x.int().requiresGrad).toBe(false);
    expect(tg.gradCheck((t) => t.float().mul(2), [vals([3])], { atol: 1e-4, rtol: 1e-2, eps: 1e-3 })).toBe(true);
    expect(tg.gradCheck((t) => t.to("float32").double(), [vals([3])], { atol: 1e-4, rtol: 1e-2, eps: 1e-3 })).toBe(true);
  });
});

describe("contiguous, clone, copy_, fill_", () => {
  it("clone copies and is differentiable", () => {
    const x = tg.tensor([1, 2]), c = x.clone();
    c.fill_(9);
    expectClose(x, [1, 2]);
    expect(tg.gradCheck((t) => t.clone(), [vals([2, 2])])).toBe(true);
    expect(tg.gradCheck((t) => t.t().contiguous(), [vals([2, 3])])).toBe(true);
  });
  it("copy_ broadcasts and converts into a view", () => {
    const dst = tg.zeros([2, 3]);
    dst.slice(1, 1).copy_(i32([7, 8]));
    expectClose(dst, [[0, 7, 8], [0, 7, 8]]);
    expect(() => tg.zeros([2]).copy_(tg.ones([2, 2]))).toThrow(/copy_: source of shape \[2, 2\] cannot be broadcast to destination \[2\]/);
  });
  it("zero_ and fill_ on a transposed view", () => {
    const x = tg.ones([2, 2]);
    x.t().select(0, 0).zero_();
    expectClose(x, [[0, 1], [0, 1]]);
  });
});
