// Forward values and gradients of the layer ops against PyTorch 1.13 (reference.ts, made by
// gen-reference.py): in float64 to 1e-9, and again in float32 to float32 precision.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { CASES, type RefCase, type RefTensor } from "./reference.js";

const F = tg.nn.functional as unknown as Record<string, (...args: unknown[]) => tg.Tensor>;
type Inputs = Record<string, tg.Tensor>;
type Opts = Record<string, unknown>;

// How each op is called from a case's inputs and options (the options object minus positional ones).
const without = (o: Opts, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const CALL: Record<string, (t: Inputs, o: Opts) => tg.Tensor> = {
  maxPool2d: (t, o) => F.maxPool2d(t.x, o.kernelSize, without(o, "kernelSize")),
  avgPool2d: (t, o) => F.avgPool2d(t.x, o.kernelSize, without(o, "kernelSize")),
  adaptiveAvgPool2d: (t, o) => F.adaptiveAvgPool2d(t.x, o.outputSize),
  adaptiveMaxPool2d: (t, o) => F.adaptiveMaxPool2d(t.x, o.outputSize),
  batchNorm: (t, o) => F.batchNorm(t.x, t.runningMean ?? null, t.runningVar ?? null, t.weight ?? null, t.bias ?? null, o),
  layerNorm: (t, o) => F.layerNorm(t.x, o.normalizedShape, t.weight ?? null, t.bias ?? null, without(o, "normalizedShape")),
  groupNorm: (t, o) => F.groupNorm(t.x, o.numGroups, t.weight ?? null, t.bias ?? null, without(o, "numGroups")),
  localResponseNorm: (t, o) => F.localResponseNorm(t.x, o.size, without(o, "size")),
  pad: (t, o) => F.pad(t.x, o.pad, without(o, "pad")),
  embedding: (t, o) => F.embedding(t.indices, t.weight, o),
  cosineEmbeddingLoss: (t, o) => F.cosineEmbeddingLoss(t.input1, t.input2, t.target, o),
  marginRankingLoss: (t, o) => F.marginRankingLoss(t.input1, t.input2, t.target, o),
  hingeEmbeddingLoss: (t, o) => F.hingeEmbeddingLoss(t.input, t.target, o),
};

function build(r: RefTensor, dtype: "float32" | "float64", grad: boolean): tg.Tensor {
  if (r.dtype === "int32") return tg.tensor(Int32Array.from(r.data), { shape: r.shape });
  return tg.tensor(Float64Array.from(r.data), { shape: r.shape, dtype, requiresGrad: grad });
}

function expectValues(got: ArrayLike<number>, want: number[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; ++i) {
    const g = got[i], w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= tol * (1 + Math.abs(w));
    if (!ok) expect.fail(`${what} element ${i}: got ${g}, want ${w} (tol ${tol})`);
    if (Object.is(w, -0) && g === 0) expect(Object.is(g, -0), `${what} element ${i}: -0 kept`).toBe(true);
  }
}

// sum(out * W) with gradCheck's weights, so gradients compare with the generator's.
function weighted(out: tg.Tensor): tg.Tensor {
  const w = new Float64Array(out.numel()).map((_, i) => 0.5 + ((i * 37) % 11) / 10);
  return out.mul(tg.tensor(w, { shape: out.shape, dtype: out.dtype })).sum();
}

function run(c: RefCase, dtype: "float32" | "float64") {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, r]) => [k, build(r, dtype, k in c.grads)]));
  return { inputs, out: CALL[c.op](inputs, c.opts) };
}

describe("layer ops agree with PyTorch 1.13", () => {
  it("has a caller for every generated op", () => {
    const missing = [...new Set(CASES.map((c) => c.op))].filter((op) => !(op in CALL));
    expect(missing).toEqual([]);
  });
  it.each(CASES.map((c) => [c.name, c] as const))("%s (float64: values and gradients)", (_, c) => {
    const { inputs, out } = run(c, "float64");
    expect(out.shape).toEqual(c.out.shape);
    expectValues(out.data(), c.out.data, 1e-10, "output");
    for (const [k, v] of Object.entries(c.extras)) expectValues(inputs[k].data(), v, 1e-10, `${k} after the call`);
    if (Object.keys(c.grads).length === 0) return;
    weighted(out).backward();
    for (const [k, g] of Object.entries(c.grads)) expectValues(inputs[k].grad!.data(), g, 1e-9, `grad of ${k}`);
  });
  it.each(CASES.map((c) => [c.name, c] as const))("%s (float32: values and gradients)", (_, c) => {
    const { inputs, out } = run(c, "float32");
    expect(out.dtype).toBe("float32");
    expectValues(out.data(), c.out.data, 2e-6, "output");
    if (Object.keys(c.grads).length === 0) return;
    weighted(out).backward();
    for (const [k, g] of Object.entries(c.grads)) expectValues(inputs[k].grad!.data(), g, 2e-5, `grad of ${k}`);
  });
});
