// matmul's backward reads its incoming gradient through transposed views; those views end with the
// rule, so the engine's disposal of that (owned, used-up) gradient gives its memory back during
// backward instead of at a later garbage collection.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { outputReusesFreed } from "./released.js";

// Whether backward of `build()`'s loss gave back an array of `shape` (nothing of it is kept before).
function releasedDuringBackward(build: () => tg.Tensor, shape: number[]): boolean {
  const loss = build();
  tg.emptyCache();
  loss.backward();
  return outputReusesFreed(shape);
}

it("the gradient reaching a matmul is released during backward, for each transposed form", () => {
  tg.manualSeed(3);
  const x = tg.randn([256, 64], { requiresGrad: true }), w = tg.randn([128, 64], { requiresGrad: true });
  const c = tg.randn([256, 128]);
  // x·wᵀ (w's gradient is written transposed, from a view of g) and the plain form x·v.
  const v = tg.randn([64, 128], { requiresGrad: true });
  for (const product of [() => x.matmul(w.t()), () => x.matmul(v)]) {
    expect(releasedDuringBackward(() => product().mul(c).sum(), [256, 128])).toBe(true);  // the product's gradient
  }
  // The gradients themselves are intact.
  const ref = c.matmul(v.detach().t());
  x.grad = null;
  x.matmul(v).mul(c).sum().backward();
  expect(x.grad!.toArray()).toEqual(ref.toArray());
});
