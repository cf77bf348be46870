// Conv1d, Conv2d, ConvTranspose2d modules: PyTorch's parameter names and shapes, default init ranges,
// extra_repr text, forward through the functional ops, and option checks.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { Conv1d, Conv2d, ConvTranspose2d } = tg.nn;

function maxAbs(t: tg.Tensor): number {
  return Math.max(...Array.from(t.data(), Math.abs));
}

describe("convolution modules", () => {
  it("Conv2d: parameters weight [out, in/groups, kh, kw] and bias [out], in PyTorch's order", () => {
    const m = new Conv2d(4, 6, [3, 5], { groups: 2, padding: 1 });
    expect(m.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([["weight", [6, 2, 3, 5]], ["bias", [6]]]);
    expect(Object.keys(m.stateDict())).toEqual(["weight", "bias"]);
    expect(new Conv2d(1, 2, 3, { bias: false }).bias).toBeNull();
  });
  it("default init: weight and bias within ±1/√fanIn and spread over it (kaiming_uniform a=√5)", () => {
    tg.manualSeed(0);
    const m = new Conv2d(16, 32, 3);  // fanIn = 16·9 = 144, bound 1/12
    const bound = 1 / 12;
    expect(maxAbs(m.weight)).toBeLessThanOrEqual(bound);
    expect(maxAbs(m.weight)).toBeGreaterThan(0.95 * bound);
    expect(maxAbs(m.bias!)).toBeLessThanOrEqual(bound);
    const t = new ConvTranspose2d(8, 4, 3, { groups: 2 });  // weight [8, 2, 3, 3]: fanIn = 2·9 = 18
    expect(t.weight.shape).toEqual([8, 2, 3, 3]);
    expect(maxAbs(t.weight)).toBeLessThanOrEqual(1 / Math.sqrt(18));
    expect(maxAbs(t.weight)).toBeGreaterThan(0.9 / Math.sqrt(18));
  });
  it("extraRepr is PyTorch's extra_repr", () => {
    expect(new Conv2d(1, 6, 5, { padding: 2 }).extraRepr()).toBe("1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)");
    expect(new Conv2d(6, 16, 5).extraRepr()).toBe("6, 16, kernel_size=(5, 5), stride=(1, 1)");
    expect(new Conv2d(4, 8, [3, 1], { stride: 2, dilation: [2, 1], groups: 4, bias: false }).extraRepr())
      .toBe("4, 8, kernel_size=(3, 1), stride=(2, 2), dilation=(2, 1), groups=4, bias=False");
    expect(new Conv2d(2, 2, 3, { padding: "same" }).extraRepr()).toBe("2, 2, kernel_size=(3, 3), stride=(1, 1), padding=same");
    expect(new Conv1d(3, 5, 4, { stride: 2, padding: 1 }).extraRepr()).toBe("3, 5, kernel_size=(4,), stride=(2,), padding=(1,)");
    expect(new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }).extraRepr())
      .toBe("3, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1)");
  });
  it("forward shapes and agreement with the functional form", () => {
    tg.manualSeed(1);
    const x = tg.randn([2, 3, 9, 9]);
    const c = new Conv2d(3, 5, 3, { stride: 2, padding: 1 });
    const y = c.forward(x);
    expect(y.shape).toEqual([2, 5, 5, 5]);
    expect(Array.from(y.data())).toEqual(Array.from(tg.nn.functional.conv2d(x, c.weight, c.bias, { stride: 2, padding: 1 }).data()));
    expect(new Conv1d(3, 4, 3, { padding: "same" }).forward(tg.randn([2, 3, 10])).shape).toEqual([2, 4, 10]);
    expect(new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }).forward(x).shape).toEqual([2, 2, 18, 18]);
    expect(new Conv2d(3, 4, 3, { dtype: "float64" }).forward(x.double()).dtype).toBe("float64");
  });
  it("trains: a gradient reaches every parameter", () => {
    const c = new Conv2d(2, 3, 3, { padding: 1 });
    c.forward(tg.randn([2, 2, 5, 5])).square().mean().backward();
    for (const p of c.parameters()) expect(maxAbs(p.grad!)).toBeGreaterThan(0);
  });
  it("bad arguments throw naming the module and the argument", () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(/Conv2d: outChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new Conv2d(3, 4, 0)).toThrow(/Conv2d: kernelSize must be an integer >= 1, got 0/);
    expect(() => new Conv2d(3, 4, 3, { stride: 0 })).toThrow(/Conv2d: stride must be an integer >= 1/);
    expect(() => new Conv2d(3, 4, 3, { kernel_size: 3 } as never)).toThrow(/Conv2d: unknown option "kernel_size"/);
    expect(() => new Conv2d(3, 4, 3, { paddingMode: "reflect" as never })).toThrow(/Conv2d: paddingMode "reflect" is not supported/);
    expect(() => new Conv2d(3, 4, 3).forward(tg.randn([1, 2, 8, 8]))).toThrow(/conv2d: input \[1, 2, 8, 8\] has 2 channels/);
  });
});
