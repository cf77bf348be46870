// matmul's backward reads its incoming gradient through transposed views; those views end with the
// rule, so the engine's disposal of that (owned, used-up) gradient gives its memory back during
// backward instead of at a later garbage collection.
import { afterEach, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";

const realRelease = native.release;
afterEach(() => void (native.release = realRelease));

function releasedDuringBackward(build: () => tg.Tensor): number[] {
  const loss = build();
  const sizes: number[] = [];
  native.release = (s) => (sizes.push(s.byteLength), realRelease(s));
  loss.backward();
  native.release = realRelease;
  return sizes;
}

it("the gradient reaching a matmul is released during backward, for each transposed form", () => {
  tg.manualSeed(3);
  const bytes = 256 * 128 * 4;  // the [256, 128] product and its gradient
  const x = tg.randn([256, 64], { requiresGrad: true }), w = tg.randn([128, 64], { requiresGrad: true });
  const c = tg.randn([256, 128]);
  // x·wᵀ (w's gradient is written transposed, from a view of g) and the plain form x·v.
  const v = tg.randn([64, 128], { requiresGrad: true });
  for (const product of [() => x.matmul(w.t()), () => x.matmul(v)]) {
    const sizes = releasedDuringBackward(() => product().mul(c).sum());
    expect(sizes).toContain(bytes);
  }
  // The gradients themselves are intact.
  const ref = c.matmul(v.detach().t());
  x.grad = null;
  x.matmul(v).mul(c).sum().backward();
  expect(x.grad!.toArray()).toEqual(ref.toArray());
});
