// 0 × inf in the losses (ignored rows, label smoothing 0, masked columns, unused branches) and the
// precision of every stable-softmax path at large logits, against PyTorch 1.13 (reference.ts).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";
import { expectSame, type Nested } from "./util.js";

const F = tg.nn.functional;
const f64 = (d: Nested, requiresGrad = true) => tg.tensor(d as number[], { dtype: "float64", requiresGrad });
const i32 = (d: number[]) => tg.tensor(d, { dtype: "int32" });

// Loss value and the gradient of its sum with respect to the input, as loss_case in the generator.
function lossCase(f: (x: tg.Tensor) => tg.Tensor, x: Nested) {
  const xt = f64(x);
  const y = f(xt);
  y.sum().backward();
  return { y, grad: xt.grad! };
}
function expectCase(got: { y: tg.Tensor; grad: tg.Tensor }, want: { y: Nested; grad: Nested }, what: string, rtol = 1e-12) {
  expectSame(got.y, want.y, `${what} value`, rtol, false);
  expectSame(got.grad, want.grad, `${what} gradient`, rtol, false);
}

describe("ignored rows and -inf log-probabilities never turn into NaN", () => {
  const NLL_X = [[-Infinity, -0.1, -2.5], [-0.5, -1.0, -2.0]];
  it.each(["mean", "sum", "none"] as const)("nllLoss with an ignored -inf row, reduction %s", (reduction) => {
    expectCase(lossCase((x) => F.nllLoss(x, i32([-100, 1]), { reduction }), NLL_X), REF.nll[reduction], `nllLoss ${reduction}`);
  });
  it("nllLoss with every target ignored: NaN loss, zero gradient (a padded batch cannot poison the weights)", () => {
    expectCase(lossCase((x) => F.nllLoss(x, i32([-100, -100])), [[-0.5, -1.2, -2.3], [-0.1, -3.0, -2.6]]), REF.nllAllIgnored, "nllLoss");
  });
  it.each(Object.keys(REF.ce) as (keyof typeof REF.ce)[])("crossEntropy with -inf logits, ignored row: %s", (key) => {
    const [reduction, eps] = key.split(" eps=") as ["mean" | "sum" | "none", string];
    const got = lossCase((x) => F.crossEntropy(x, i32([-100, 2, 0]), { reduction, labelSmoothing: Number(eps) }),
      [[-Infinity, 0.5, 1.0], [0.2, -Infinity, 3.0], [1.0, 2.0, -1.0]]);
    expectCase(got, REF.ce[key], `crossEntropy ${key}`);
  });
  it("crossEntropy with every target ignored: NaN loss, zero gradient", () => {
    expectCase(lossCase((x) => F.crossEntropy(x, i32([-100, -100])), [[-0.5, -1.2, -2.3], [-0.1, -3.0, -2.6]]), REF.ceAllIgnored, "crossEntropy");
  });
  it.each(["mean", "none"] as const)("binaryCrossEntropy at p = 0 and 1, reduction %s", (reduction) => {
    const got = lossCase((p) => F.binaryCrossEntropy(p, f64([0, 1, 1, 0, 1, 0], false), { reduction }), [0, 1, 0, 1, 0.5, 1e-30]);
    // PyTorch's denominator floor is the float 1e-12 (9.99999996e-13) even in float64: 4e-9 apart.
    expectCase(got, REF.bce[reduction], `binaryCrossEntropy ${reduction}`, 1e-8);
  });
  const BCEL_T = [1, 0, 0, 1, 1, 0.5, 0];
  const BCEL_X = [Infinity, -Infinity, Infinity, -Infinity, 0, 40, -800];
  it.each(["mean", "none"] as const)("binaryCrossEntropyWithLogits at ±inf, reduction %s", (reduction) => {
    expectCase(lossCase((x) => F.binaryCrossEntropyWithLogits(x, f64(BCEL_T, false), { reduction }), BCEL_X), REF.bceWithLogits[reduction], "bceWithLogits");
  });
  it("binaryCrossEntropyWithLogits with posWeight at ±inf", () => {
    const got = lossCase((x) => F.binaryCrossEntropyWithLogits(x, f64(BCEL_T, false), { reduction: "none", posWeight: f64([2, 2, 2, 2, 2, 2, 2], false) }), BCEL_X);
    expectCase(got, REF.bceWithLogitsPosWeight, "bceWithLogits posWeight");
  });
  const PW = {
    mseLoss: (x: tg.Tensor, t: tg.Tensor) => F.mseLoss(x, t, { reduction: "none" }),
    l1Loss: (x: tg.Tensor, t: tg.Tensor) => F.l1Loss(x, t, { reduction: "none" }),
    smoothL1Loss: (x: tg.Tensor, t: tg.Tensor) => F.smoothL1Loss(x, t, { reduction: "none" }),
    "smoothL1Loss beta=0.5": (x: tg.Tensor, t: tg.Tensor) => F.smoothL1Loss(x, t, { reduction: "none", beta: 0.5 }),
    "huberLoss delta=2": (x: tg.Tensor, t: tg.Tensor) => F.huberLoss(x, t, { reduction: "none", delta: 2 }),
  };
  it.each(Object.keys(PW) as (keyof typeof PW)[])("%s at infinite differences: value and gradient", (name) => {
    const t = f64([0, 0, 0, 0, Infinity], false);
    expectCase(lossCase((x) => PW[name](x, t), [Infinity, -Infinity, 0.5, -2.0, 3.0]), REF.pointwise[name], name);
  });
  it("multiMarginLoss with a -inf logit", () => {
    expectCase(lossCase((x) => F.multiMarginLoss(x, i32([1, 2]), { reduction: "none" }), [[-Infinity, 0.5, 1.0], [0.2, 0.1, 3.0]]), REF.multiMargin, "multiMarginLoss");
  });
});

describe("stable softmax paths keep (x − max) − log Σ at large logits (float32)", () => {
  it.each(REF.largeLogits.map((c) => [c.offset, c] as const))("logits offset by %d: logSoftmax, softmax, crossEntropy and its gradient", (off, c) => {
    const data = [[1 + off, 2 + off, 0.5 + off]];
    expectSame(tg.tensor(data).logSoftmax(1), c.logSoftmax, "logSoftmax", 1e-6);
    expectSame(tg.tensor(data).softmax(1), c.softmax, "softmax", 1e-6);
    const x = tg.tensor(data, { requiresGrad: true });
    const ce = F.crossEntropy(x, i32([0]));
    ce.backward();
    expectSame(ce, c.ce, "crossEntropy", 1e-6);
    expectSame(x.grad!, c.ceGrad, "crossEntropy gradient", 1e-6);
  });
  it("every logit at 1e38: loss log 3 and gradient [-2/3, 1/3, 1/3], not 0 and [0, 1, 1]", () => {
    const x = tg.full([1, 3], 1e38, { requiresGrad: true });
    const ce = F.crossEntropy(x, i32([0]));
    ce.backward();
    expectSame(ce, REF.logits1e38.ce, "crossEntropy", 1e-6);
    expectSame(x.grad!, REF.logits1e38.grad, "gradient", 1e-6);
    expectSame(tg.full([1, 3], 1e38).logSoftmax(1), REF.logits1e38.logSoftmax, "logSoftmax", 1e-6);
  });
  it("labelSmoothing at large logits too", () => {
    const x = tg.tensor([[1e6 + 1, 1e6 + 2, 1e6 + 0.5]], { dtype: "float32" });
    const y = tg.tensor([[1, 2, 0.5]], { dtype: "float64" });
    const got = F.crossEntropy(x, i32([0]), { labelSmoothing: 0.2 }).item();
    expect(got).toBeCloseTo(F.crossEntropy(y, i32([0]), { labelSmoothing: 0.2 }).item(), 5);
  });
});
