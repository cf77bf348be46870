// Every layer kernel gives the same bits at 1 and 2 threads, forward and backward (each output is
// computed by one thread in a fixed order; the split never changes the arithmetic).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const F = tg.nn.functional;
// Large enough that every kernel splits its work across 2 threads.
const x0 = tg.randn([16, 32, 20, 20]);

const OPS: [string, (x: tg.Tensor) => tg.Tensor][] = [
  ["maxPool2d", (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })],
  ["avgPool2d", (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false })],
  ["adaptiveMaxPool2d", (x) => F.adaptiveMaxPool2d(x, [5, 4])],
  ["adaptiveAvgPool2d", (x) => F.adaptiveAvgPool2d(x, [5, 4])],
  ["batchNorm", (x) => F.batchNorm(x, null, null, tg.ones([32]).add(0.5), tg.zeros([32]), { training: true })],
  ["layerNorm", (x) => F.layerNorm(x, [20, 20])],
  ["groupNorm", (x) => F.groupNorm(x, 4, tg.ones([32]), tg.ones([32]))],
  ["localResponseNorm", (x) => F.localResponseNorm(x, 3)],
  ["pad reflect", (x) => F.pad(x, [2, 3, 1, 2], { mode: "reflect" })],
  ["dropout", (x) => (tg.manualSeed(9), F.dropout(x, { p: 0.3 }))],
];

function run(fn: (x: tg.Tensor) => tg.Tensor) {
  const x = x0.clone().requiresGrad_(true);
  const y = fn(x);
  y.mul(tg.randnLike(y).abs()).sum().backward();
  return [y.data(), x.grad!.data()];
}

describe("layer kernels are bit-identical at any thread count", () => {
  it.each(OPS)("%s", (_, fn) => {
    const n = tg.getNumThreads();
    try {
      tg.setNumThreads(1);
      tg.manualSeed(1);
      const one = run(fn);
      tg.setNumThreads(2);
      tg.manualSeed(1);
      const two = run(fn);
      expect(two[0]).toEqual(one[0]);
      expect(two[1]).toEqual(one[1]);
    } finally {
      tg.setNumThreads(n);
    }
  });
});

describe("the runtime's getters take no arguments", () => {
  it("getNumThreads(4) and cpuIsa('avx2') throw, naming the setter that was meant", () => {
    const call = (f: unknown, ...args: unknown[]) => () => (f as (...a: unknown[]) => unknown)(...args);
    expect(call(tg.getNumThreads, 4)).toThrow(new TypeError(
      "getNumThreads: takes no arguments, got number 4 (to set the count, call setNumThreads(n))"));
    expect(call(tg.cpuIsa, "avx2")).toThrow(new TypeError(
      'cpuIsa: takes no arguments, got string "avx2" (to force a lower path, call setCpuIsa(name))'));
    expect(tg.getNumThreads()).toBeGreaterThanOrEqual(1);
    expect(["avx512", "avx2", "scalar"]).toContain(tg.cpuIsa());
  });
});
