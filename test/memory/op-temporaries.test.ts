// A layer op's own saved tensors (max pooling's indices, dropout's mask, norm statistics, cross-entropy's
// probabilities, dense copies of strided inputs) are disposed with its graph node: their memory returns once
// backward has run, not at a garbage collection. What the user passed in, or got back, stays live.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/tensor.js";

const F = tg.nn.functional;
type Saved = { t: Tensor }[] | null;
const savedBy = (out: Tensor): Tensor[] => ((out.gradFn as unknown as { saved: Saved }).saved ?? []).map((s) => s.t);

// Runs op, then backward; every tensor its node saved is disposed afterwards, except the tensors in `keep`.
function check(op: (x: Tensor) => Tensor, x: Tensor, keep: (out: Tensor) => Tensor[] = () => []) {
  const out = op(x);
  const saved = savedBy(out), kept = new Set([x, out, ...keep(out)]);
  const own = saved.filter((t) => !kept.has(t));
  expect(own.length).toBeGreaterThan(0);
  expect(own.every((t) => t.disposeState === "pending")).toBe(true);
  out.sum().backward();
  expect(own.map((t) => t.disposeState)).toEqual(own.map(() => "disposed"));
  expect(x.disposeState).toBe("live");
}

const input = (shape: number[]) => tg.randn(shape, { requiresGrad: true });

describe("an op's own saved tensors are disposed with its node", () => {
  it("maxPool2d's indices", () => check((x) => F.maxPool2d(x, 2), input([2, 3, 4, 4])));
  it("dropout's mask", () => check((x) => F.dropout(x, { p: 0.5 }), input([4, 8])));
  it("batchNorm's statistics", () => {
    const w = tg.ones([3], { requiresGrad: true });
    check((x) => F.batchNorm(x, null, null, w, null, { training: true }), input([4, 3, 2]), () => [w]);
  });
  it("layerNorm's statistics", () => check((x) => F.layerNorm(x, [6]), input([4, 6])));
  it("localResponseNorm's scale", () => check((x) => F.localResponseNorm(x, 2), input([2, 4, 3])));
  it("conv2d's dense copy of a strided input", () => {
    const w = tg.randn([2, 3, 3, 3], { requiresGrad: true });
    const base = tg.randn([1, 3, 5, 5], { requiresGrad: true });
    check((x) => F.conv2d(x, w), base.transpose(2, 3), () => [w]);
  });
  it("crossEntropy's probabilities", () => {
    const x = input([4, 5]), y = tg.tensor([0, 1, 2, 3], { dtype: "int32" });
    const out = F.crossEntropy(x, y, { reduction: "none" });
    const probs = savedBy(out).filter((t) => t.shape.length === 2);  // [4, 5]; the targets are y's own storage
    expect(probs.length).toBe(1);
    out.sum().backward();
    expect(probs[0].disposeState).toBe("disposed");
    expect(y.disposeState).toBe("live");
    expect(Array.from(y.data())).toEqual([0, 1, 2, 3]);
  });
  it("under noGrad nothing is saved and the outputs are the same", () => {
    const x = tg.randn([2, 3, 4, 4]);
    const a = Array.from(tg.noGrad(() => F.maxPool2d(x, 2)).data());
    expect(Array.from(tg.noGrad(() => F.maxPool2d(x, 2)).data())).toEqual(a);
  });
});
