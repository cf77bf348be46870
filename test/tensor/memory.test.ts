// A synchronous training loop must not grow memory: native finalizers never run inside it, so
// this relies on the tape freeing saved tensors after backward and on V8 seeing native bytes.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";


it("a 10,000-step synchronous training loop does not grow RSS or external memory", () => {
  tg.manualSeed(0);
  const trueW = tg.tensor([[1.5], [-2], [0.5], [3]]);
  let W = tg.zeros([4, 1], { requiresGrad: true });
  const b = tg.zeros([1], { requiresGrad: true });
  const lr = 0.05;
  let usageAt1000: NodeJS.MemoryUsage | null = null;
  let loss = 0;
  for (let step = 1; step <= 10_000; ++step) {
    const x = tg.randn([32, 4]);
    const y = x.matmul(trueW).add(0.7);
    const pred = x.matmul(W).add(b);
    const l = pred.sub(y).pow(2).mean(); // mseLoss from ops
    l.backward();
    tg.noGrad(() => {
      // one parameter updated in place (copy_), one replaced by a new leaf
      b.copy_(b.sub(b.grad!.mul(lr)));
      W = W.sub(W.grad!.mul(lr)).requiresGrad_();
    });
    b.grad = null;
    if (step % 1000 === 0) loss = l.item();
    if (step === 1000) {
      usageAt1000 = process.memoryUsage();
    }
  }
  const end = process.memoryUsage();
  expect(loss).toBeLessThan(1e-6); // it trained
  expect(W.toArray()).toEqual([[expect.closeTo(1.5, 3)], [expect.closeTo(-2, 3)], [expect.closeTo(0.5, 3)], [expect.closeTo(3, 3)]]);
  expect(b.item()).toBeCloseTo(0.7, 3);
  const MB = 1024 * 1024;
  expect(end.rss - usageAt1000!.rss, "RSS growth").toBeLessThan(64 * MB);
  expect(end.external - usageAt1000!.external, "external growth").toBeLessThan(16 * MB);
  expect(end.arrayBuffers - usageAt1000!.arrayBuffers, "ArrayBuffer growth").toBeLessThan(16 * MB);
});
