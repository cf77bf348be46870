// Pooling: hand values, modules, edge inputs and bad input (PyTorch comparisons are in
// pytorch-reference.test.ts, gradients in test/nn/grad-cases/pooling.ts).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose } from "../ops/util.js";

const { nn } = tg;
const F = nn.functional;
const grid = () => tg.arange(16).float().reshape([1, 1, 4, 4]);

describe("maxPool2d", () => {
  it("takes each window's max and routes the gradient to it", () => {
    const x = grid().requiresGrad_(true);
    const y = F.maxPool2d(x, 2);
    expectClose(y, [[[[5, 7], [13, 15]]]]);
    y.sum().backward();
    expectClose(x.grad!, [[[[0, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]]]);
  });
  it("gives a shared arg-max every window's gradient (overlapping windows)", () => {
    const x = tg.tensor([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]], { requiresGrad: true });
    F.maxPool2d(x, 2, { stride: 1 }).sum().backward();
    expectClose(x.grad!, [[[[0, 0, 0], [0, 4, 0], [0, 0, 0]]]]);
  });
  it("keeps float64 and an empty batch", () => {
    expect(F.maxPool2d(grid().double(), 2).dtype).toBe("float64");
    const e = tg.zeros([0, 3, 4, 4], { requiresGrad: true });
    const y = F.maxPool2d(e, 2);
    expect(y.shape).toEqual([0, 3, 2, 2]);
    y.sum().backward();
    expect(e.grad!.shape).toEqual([0, 3, 4, 4]);
  });
  it("reads non-contiguous input", () => {
    const x = tg.arange(32).float().reshape([1, 2, 4, 4]);
    expectClose(F.maxPool2d(x.transpose(2, 3), 2), F.maxPool2d(x, 2).transpose(2, 3).toArray() as number[]);
  });
  // 2×2 windows with stride 2 take the native fast path (windows in registers, vectorised over columns); other
  // tilings the general loop. A JS loop over the windows is the reference (first max wins, NaN wins).
  it.each([[2, [2, 3, 9, 8]], [2, [1, 2, 6, 13]], [3, [1, 2, 10, 11]], [[2, 3], [1, 2, 7, 9]]] as [number | [number, number], number[]][])(
    "tiled windows k=%j: values and gradient routing match a per-window loop", (k, shape) => {
      const [kh, kw] = typeof k === "number" ? [k, k] : k;
      const [N, C, H, W] = shape, OH = Math.floor(H / kh), OW = Math.floor(W / kw);
      const vals = Array.from({ length: N * C * H * W }, (_, i) => ((i * 7) % 5 === 0 ? NaN : (i * 13) % 4));
      const x = tg.tensor(vals, { shape }).requiresGrad_();
      const y = F.maxPool2d(x, k);
      y.backward(tg.arange(y.numel()).float().add(1).reshape(y.shape));
      const want: number[] = [], grad = new Array<number>(vals.length).fill(0);
      for (let p = 0; p < N * C; ++p)
        for (let oh = 0; oh < OH; ++oh)
          for (let ow = 0; ow < OW; ++ow) {
            let best = -Infinity, at = p * H * W + oh * kh * W + ow * kw;
            for (let i = oh * kh; i < oh * kh + kh; ++i)
              for (let j = ow * kw; j < ow * kw + kw; ++j) {
                const v = vals[p * H * W + i * W + j];
                if (v > best || Number.isNaN(v)) (best = v), (at = p * H * W + i * W + j);
              }
            want.push(best);
            grad[at] += want.length;
          }
      expect(Array.from(y.data())).toEqual(want);
      expect(Array.from(x.grad!.data())).toEqual(grad);
    });
  // The gradient is as if zero-filled, then added at each arg-max, as PyTorch (the 2×2 path writes each input once):
  // −0 arrives as +0 (0 + −0), NaN and ±inf as they are, rows and columns that no window covers stay zero.
  it("routes −0, NaN and ±inf gradients of disjoint 2×2 windows as the general loop", () => {
    const x = tg.tensor([1, 2, 0, 3, 4, 5, 7, 6, 9, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1], { shape: [1, 1, 4, 5] }).requiresGrad_();
    const y = F.maxPool2d(x, 2);
    y.backward(tg.tensor([-0, NaN, Infinity, -Infinity], { shape: [1, 1, 2, 2] }));
    const g = Array.from(x.grad!.data());
    // arg-maxes: 7 at 6, 9 at 8, 7 at 16, 9 at 18; column 4 is in no window.
    const want = new Array<number>(20).fill(0);
    want[6] = 0; want[8] = NaN; want[16] = Infinity; want[18] = -Infinity;
    expect(g).toEqual(want);
    expect(Object.is(g[6], 0)).toBe(true);
    // ceilMode's half windows at the edge route to their own arg-max.
    const z = tg.arange(25).float().reshape([1, 1, 5, 5]).requiresGrad_();
    F.maxPool2d(z, 2, { ceilMode: true }).sum().backward();
    expect(Array.from(z.grad!.data()).map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([6, 8, 9, 16, 18, 19, 21, 23, 24]);
  });
  it("gives the same bits at 1 and 2 threads", () => {
    const x = tg.randn([8, 4, 9, 9]);
    const n = tg.getNumThreads();
    try {
      tg.setNumThreads(1);
      const a = F.maxPool2d(x, 3, { stride: 2, padding: 1 }).data();
      const b = F.avgPool2d(x, 3, { stride: 2, padding: 1 }).data();
      tg.setNumThreads(2);
      expect(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).data()).toEqual(a);
      expect(F.avgPool2d(x, 3, { stride: 2, padding: 1 }).data()).toEqual(b);
    } finally {
      tg.setNumThreads(n);
    }
  });
});

describe("avgPool2d and adaptive pooling", () => {
  it("averages windows, with or without the padding in the count", () => {
    const x = grid();
    expectClose(F.avgPool2d(x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]]);
    // corner window over the padded input: (0 + 1 + 4 + 5) / 9 vs / 4
    expect(F.avgPool2d(x, 3, { stride: 3, padding: 1 }).data()[0]).toBeCloseTo(10 / 9, 6);
    expect(F.avgPool2d(x, 3, { stride: 3, padding: 1, countIncludePad: false }).data()[0]).toBeCloseTo(10 / 4, 6);
    expect(F.avgPool2d(x, 2, { divisorOverride: 2 }).data()[0]).toBeCloseTo(5, 6);
  });
  it("adaptive pooling to 1×1 is the global mean / max", () => {
    const x = tg.randn([2, 3, 5, 7]);
    expectClose(F.adaptiveAvgPool2d(x, 1).reshape([2, 3]), x.mean([2, 3]).toArray() as number[][], 1e-6);
    expectClose(F.adaptiveMaxPool2d(x, 1).reshape([2, 3]), x.reshape([2, 3, 35]).max(2).values.toArray() as number[][]);
  });
});

describe("bad pooling input names the op, the argument and the shapes", () => {
  const x = tg.zeros([1, 3, 4, 4]);
  it.each([
    ["3-D input", () => F.maxPool2d(tg.zeros([3, 4, 4]), 2), /maxPool2d: input must be 4-D \[N, C, H, W\], got 3-D shape \[3, 4, 4\]; .*unsqueeze\(0\)/],
    ["5-D input", () => F.avgPool2d(tg.zeros([1, 1, 3, 4, 4]), 2), /avgPool2d: input must be 4-D .*\[1, 1, 3, 4, 4\]$/],
    ["2-D input", () => F.maxPool2d(tg.zeros([4, 4]), 2), /maxPool2d: input must be 4-D \[N, C, H, W\], got 2-D shape \[4, 4\]; for a single one-channel image \[H, W\] use x\.reshape\(\[1, 1, H, W\]\)/],
    ["kernel larger than the padded input", () => F.maxPool2d(x, 5, { padding: 0 }), /maxPool2d: the kernel \[5, 5\].*larger than the padded input \[4, 4\] of input shape \[1, 3, 4, 4\]/],
    ["dilated kernel too large", () => F.maxPool2d(x, 2, { dilation: 4 }), /maxPool2d: the kernel \[2, 2\] \(dilation \[4, 4\], spanning \[5, 5\]\)/],
    ["zero stride", () => F.maxPool2d(x, 2, { stride: 0 }), /maxPool2d: stride must be an integer >= 1, got 0/],
    ["negative stride", () => F.avgPool2d(x, 2, { stride: [1, -1] }), /avgPool2d: stride must be integers >= 1, got \[1, -1\]/],
    ["zero kernel", () => F.maxPool2d(x, 0), /maxPool2d: kernelSize must be an integer >= 1, got 0/],
    ["padding over half the kernel", () => F.maxPool2d(x, 2, { padding: 2 }), /maxPool2d: padding \[2, 2\] must be at most half the kernel size \[2, 2\]/],
    ["zero divisor", () => F.avgPool2d(x, 2, { divisorOverride: 0 }), /avgPool2d: divisorOverride must be a nonzero integer, got 0/],
    ["empty channel dim", () => F.maxPool2d(tg.zeros([1, 0, 4, 4]), 2), /maxPool2d: input of shape \[1, 0, 4, 4\] has an empty channel or spatial dim/],
    ["int32 input", () => F.maxPool2d(tg.zeros([1, 1, 4, 4], { dtype: "int32" }), 2), /maxPool2d: input must be float32 or float64, got int32/],
    ["unknown option", () => F.maxPool2d(x, 2, { ceil_mode: true } as never), /maxPool2d: unknown option "ceil_mode"; did you mean "ceilMode"\?/],
    ["negative adaptive size", () => F.adaptiveAvgPool2d(x, [-1, 2]), /adaptiveAvgPool2d: outputSize must be non-negative integers/],
  ])("%s", (_, fn, msg) => {
    expect(fn).toThrow(msg);
  });
});

describe("pooling modules", () => {
  it("MaxPool2d: stride defaults to the kernel, PyTorch's extra_repr, no parameters", () => {
    const m = new nn.MaxPool2d(2);
    expect(m.extraRepr()).toBe("kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False");
    expect(new nn.MaxPool2d([3, 2], { stride: 1, padding: [1, 0], ceilMode: true }).extraRepr())
      .toBe("kernel_size=(3, 2), stride=1, padding=(1, 0), dilation=1, ceil_mode=True");
    expect(m.parameters()).toEqual([]);
    expectClose(m.forward(grid()), [[[[5, 7], [13, 15]]]]);
    expect(() => new nn.MaxPool2d(2, { strides: 1 } as never)).toThrow(/MaxPool2d: unknown option "strides"; did you mean "stride"\?/);
  });
  it("AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d", () => {
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).extraRepr()).toBe("kernel_size=3, stride=2, padding=1");
    expect(new nn.AdaptiveAvgPool2d([5, 7]).extraRepr()).toBe("output_size=(5, 7)");
    expect(new nn.AdaptiveMaxPool2d([null, 7]).extraRepr()).toBe("output_size=(None, 7)");
    expect(new nn.AdaptiveAvgPool2d(1).forward(grid()).item()).toBeCloseTo(7.5, 6);
    expectClose(new nn.AvgPool2d(2, { divisorOverride: 1 }).forward(grid()), [[[[10, 18], [42, 50]]]]);
  });
});
