// Results must not depend on the thread count: a few SGD steps of an MLP from the same seed give
// bit-identical weights at 1 and 2 threads. Sizes are chosen to take every threaded path: GEMMs
// split over output tiles, elementwise ops over 65536+ elements, sums over big reductions.
import { afterAll, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const BATCH = 256, IN = 96, HIDDEN = 320, CLASSES = 10;

function train(threads: number, steps = 3): Float32Array[] {
  tg.setNumThreads(threads);
  tg.manualSeed(7);
  const param = (shape: number[], scale: number) => tg.randn(shape).mul(scale).detach().requiresGrad_();
  const w1 = param([HIDDEN, IN], 0.1), b1 = param([HIDDEN], 0.1);
  const w2 = param([HIDDEN, HIDDEN], 0.05), b2 = param([HIDDEN], 0.1);
  const w3 = param([CLASSES, HIDDEN], 0.05), b3 = param([CLASSES], 0.1);
  const params = [w1, b1, w2, b2, w3, b3];
  const x = tg.randn([BATCH, IN]);
  const target = tg.randint(0, CLASSES, [BATCH, 1]);
  for (let step = 0; step < steps; ++step) {
    const h1 = x.matmul(w1.t()).add(b1).relu();                   // [256, 320] = 81920 elements
    const h2 = h1.matmul(w2.t()).add(b2).tanh().mul(h1).sigmoid(); // binary ops with gradients on both sides
    const logits = h2.matmul(w3.t()).add(b3);
    const loss = logits.logSoftmax(1).gather(1, target).mean().neg().add(h2.sum().mul(1e-4));
    for (const p of params) p.grad = null;
    loss.backward();
    tg.noGrad(() => {
      for (const p of params) p.copy_(p.sub(p.grad!.mul(0.1)));
    });
  }
  return params.map((p) => p.data() as Float32Array);
}

describe("determinism across thread counts", () => {
  const before = tg.getNumThreads();
  afterAll(() => tg.setNumThreads(before));

  it("gives bit-identical weights after training at 1 and 2 threads", () => {
    const one = train(1), two = train(2);
    expect(two.length).toBe(one.length);
    for (let i = 0; i < one.length; ++i) {
      expect(one[i].length).toBe(two[i].length);
      // Compare bit patterns, not values: -0 vs 0 or different NaNs would count as a difference.
      expect(Buffer.from(two[i].buffer, two[i].byteOffset, two[i].byteLength).equals(
        Buffer.from(one[i].buffer, one[i].byteOffset, one[i].byteLength))).toBe(true);
    }
    // Training moved every weight tensor, to finite values.
    const start = train(1, 0);
    for (let i = 0; i < one.length; ++i) {
      expect(one[i].every(Number.isFinite)).toBe(true);
      expect(one[i]).not.toEqual(start[i]);
    }
  });

  it("sums a large tensor to the same bits at 1 and 2 threads", () => {
    tg.manualSeed(3);
    // 600×600 is above the size where sums split across threads (rows, column ranges, blocks).
    const x = tg.randn([600, 600]);
    const at = (n: number) => {
      tg.setNumThreads(n);
      return [x.sum().item(), ...(x.sum(0).data() as Float32Array), ...(x.sum(1).data() as Float32Array),
        ...(x.t().sum(0).data() as Float32Array), ...(x.reshape([6, 100, 600]).sum([0, 2]).data() as Float32Array)];
    };
    expect(at(2)).toEqual(at(1));
  });

  it("gives the same cross-entropy loss and gradient at 1 and 2 threads (4,096 rows: split across threads)", () => {
    tg.manualSeed(5);
    const x = tg.randn([4096, 10]).requiresGrad_(), t = tg.randint(0, 10, [4096]);
    const at = (n: number) => {
      tg.setNumThreads(n);
      x.grad = null;
      const loss = tg.nn.functional.crossEntropy(x, t, { reduction: "none" });
      loss.sum().backward();
      return [...(loss.data() as Float32Array), ...(x.grad!.data() as Float32Array)];
    };
    expect(at(2)).toEqual(at(1));
  });
});
