// Loss values against PyTorch 1.13 (torch.nn.functional, float64), computed once with
// python3-torch and pasted here as constants; gradients checked by gradCheck.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose } from "./helpers.js";

const F = tg.nn.functional;
const f64 = (d: number[] | number[][]) => tg.tensor(d, { dtype: "float64" });
const i32 = (d: number[] | number) => tg.tensor(d, { dtype: "int32" });
const REDUCTIONS = ["mean", "sum", "none"] as const;

// Shared inputs (the same values went into PyTorch).
const CE_X = [[1.5, -0.3, 2.1, 0.0], [0.2, 0.9, -1.1, 0.4], [-2.0, 0.5, 0.3, 1.7]];
const CE_T = [2, 0, 3], CE_TI = [2, -100, 3];
const A = [[0.5, -1.2, 3.0], [2.2, 0.1, -0.7]], B = [[1.0, -1.0, 2.5], [0.0, 0.3, -0.2]];
const P = [0.1, 0.7, 0.95, 0.4], PT = [0, 1, 1, 0.3], PW8 = [1, 2, 0.5, 1];
const XL = [[-2.0, 0.0, 1.5], [30.0, -30.0, 0.7]], TL = [[0, 1, 0.2], [1, 1, 0]];
const XM = [[0.1, 0.2, 0.4, 0.8], [0.5, -0.3, 0.9, 0.1], [1.0, 0.0, -0.5, 0.2]], YM = [3, 0, 1];

const REF = {
  ce: { mean: 0.841633956734385, sum: 2.524901870203155, none: [0.5664415919753624, 1.5057842190293451, 0.45267605919844756] },
  ceIgnoreMean: 0.509558825586905,
  ceIgnoreNone: [0.5664415919753624, 0.0, 0.45267605919844756],
  ceSmoothMean: 0.9399672900677184,
  ceSmoothNone: [0.6939415919753624, 1.5157842190293451, 0.6101760591984475],
  ceSmoothIgnoreMean: 0.794558825586905,
  ceSmoothIgnoreGrad: [[0.13073666039365575, 0.0007430968184140886, -0.14122930318668792, 0.009749545974618037], [0, 0, 0, 0],
    [-0.017138856815202278, 0.07076832937302352, 0.05340847642859576, -0.10703794898641705]],
  ceMeanGrad: [[0.10382444026243716, 0.017162064545609392, -0.14415286879112524, 0.02316636398307869],
    [-0.2593855827007664, 0.14891248304768323, 0.0201531130707255, 0.09031998658235765],
    [0.005240762123198482, 0.06384555291534902, 0.05227231761906384, -0.12135863265761133]],
  ce1d: 0.805784219029345,
  nll: { mean: 0.8000000000000002, sum: 2.4000000000000004, none: [1.2, 0.1, 1.1, 0.0] },
  mse: { mean: 0.9450000000000002, sum: 5.670000000000001, none: [[0.25, 0.04, 0.25], [4.84, 0.04, 0.25]] },
  l1: { mean: 0.6833333333333332, sum: 4.1, none: [[0.5, 0.2, 0.5], [2.2, 0.2, 0.5]] },
  huber: { mean: 0.2591666666666667, sum: 1.555, none: [[0.125, 0.02, 0.125], [1.14, 0.02, 0.125]] },
  smoothL1: { mean: 0.43194444444444446, sum: 2.591666666666667,
    none: [[0.20833333333333334, 0.03333333333333332, 0.20833333333333334], [1.9, 0.03333333333333333, 0.2083333333333333]] },
  bce: { mean: 0.2864484775456373, sum: 1.1457939101825492, none: [0.10536051565782628, 0.35667494393873245, 0.05129329438755058, 0.63246515619844] },
  bceW: { mean: 0.36920555173187664, sum: 1.4768222069275065, none: [0.10536051565782628, 0.7133498878774649, 0.02564664719377529, 0.63246515619844] },
  bceWGrad: [0.27777777777777773, -0.7142857142857143, -0.13157894736842105, 0.1041666666666667],
  bceLogits: { mean: 5.554112419745219, sum: 33.32467451847131,
    none: [[0.1269280110429726, 0.6931471805599453, 1.4014132779827526], [9.348077867343381e-14, 30.000000000000092, 1.103186048885458]] },
  bceLogitsPw: { mean: 0.9968794504533703, sum: 5.981276702720222,
    none: [[0.1269280110429727, 0.34657359027997264, 1.4819785891758537], [4.6740389336716907e-14, 3.7500000000000115, 0.2757965122213645]] },
  bceLogitsPwGrad: [[0.019867153670352924, -0.041666666666666664, 0.09076737777851684], [-7.790064889453182e-15, -0.020833333333331382, 0.02784115717367359]],
  multiMargin: { mean: 0.6, sum: 1.8, none: [0.325, 0.55, 0.925] },
  multiMarginP2M05None: [0.0025, 0.205, 0.685],
  multiMarginWeightMean: 1.125,
};

describe("crossEntropy", () => {
  for (const r of REDUCTIONS)
    it(`matches PyTorch, reduction ${r}`, () => expectClose(F.crossEntropy(f64(CE_X), i32(CE_T), { reduction: r }), REF.ce[r]));

  it("float32 logits give the same value to float32 precision", () =>
    expectClose(F.crossEntropy(tg.tensor(CE_X), i32(CE_T)), REF.ce.mean, 1e-6));

  it("gradient matches PyTorch and gradCheck", () => {
    const x = f64(CE_X).requiresGrad_();
    F.crossEntropy(x, i32(CE_T)).backward();
    expectClose(x.grad!, REF.ceMeanGrad, 1e-12);
    for (const r of REDUCTIONS) expect(tg.gradCheck((x) => F.crossEntropy(x, i32(CE_T), { reduction: r }), [f64(CE_X)])).toBe(true);
  });

  it("ignoreIndex drops rows and averages over the rest", () => {
    expectClose(F.crossEntropy(f64(CE_X), i32(CE_TI)), REF.ceIgnoreMean);
    expectClose(F.crossEntropy(f64(CE_X), i32(CE_TI), { reduction: "none" }), REF.ceIgnoreNone);
    expectClose(F.crossEntropy(f64(CE_X), i32([2, 7, 3]), { ignoreIndex: 7 }), REF.ceIgnoreMean);
  });

  it("labelSmoothing matches PyTorch, also with ignored rows", () => {
    expectClose(F.crossEntropy(f64(CE_X), i32(CE_T), { labelSmoothing: 0.1 }), REF.ceSmoothMean);
    expectClose(F.crossEntropy(f64(CE_X), i32(CE_T), { labelSmoothing: 0.1, reduction: "none" }), REF.ceSmoothNone);
    const x = f64(CE_X).requiresGrad_();
    const l = F.crossEntropy(x, i32(CE_TI), { labelSmoothing: 0.2 });
    expectClose(l, REF.ceSmoothIgnoreMean);
    l.backward();
    expectClose(x.grad!, REF.ceSmoothIgnoreGrad, 1e-12);
    expect(tg.gradCheck((x) => F.crossEntropy(x, i32(CE_TI), { labelSmoothing: 0.2 }), [f64(CE_X)])).toBe(true);
  });

  it("is finite and exact at logits in the hundreds", () => {
    // row 0: lse = 300 (+e^-100), target 1 → 0; row 1: lse = 500, target 0 → 1000.
    const x = tg.tensor([[100, 300, 200], [-500, 0, 500]], { requiresGrad: true });
    const l = F.crossEntropy(x, i32([1, 0]), { reduction: "none" });
    expectClose(l, [0, 1000]);
    l.sum().backward();
    expectClose(x.grad!, [[0, 0, 0], [-1, 0, 1]]);
  });

  it("reads non-contiguous logits and sends the gradient back through the view", () => {
    const xt = f64([[1.5, 0.2, -2.0], [-0.3, 0.9, 0.5], [2.1, -1.1, 0.3], [0.0, 0.4, 1.7]]).requiresGrad_();
    const l = F.crossEntropy(xt.transpose(0, 1), i32(CE_T));
    expectClose(l, REF.ce.mean);
    l.backward();
    expectClose(xt.grad!.transpose(0, 1), REF.ceMeanGrad, 1e-12);
  });

  it("accepts 1-D logits with a 0-d target", () => {
    expectClose(F.crossEntropy(f64(CE_X[1]), i32(1)), REF.ce1d);
    expect(F.crossEntropy(f64(CE_X[1]), i32(1), { reduction: "none" }).shape).toEqual([]);
  });

  it("rejects bad targets with clear errors", () => {
    const x = tg.tensor(CE_X);
    expect(() => F.crossEntropy(x, tg.tensor(CE_T))).toThrow("crossEntropy: targets must be int32 class indices, got float32; use .int()");
    expect(() => F.crossEntropy(x, i32([0, 1]))).toThrow(/crossEntropy: .*\[3, 4\].*\[2\]/);
    expect(() => F.crossEntropy(x, i32([0, 4, 1]))).toThrow(RangeError);
    expect(() => F.crossEntropy(x, i32([0, 4, 1]))).toThrow(/crossEntropy: target 4 at position 1 is out of range for 4 classes/);
    expect(() => F.crossEntropy(x, i32([0, -1, 1]))).toThrow(/crossEntropy: target -1/);
    expect(() => F.crossEntropy(x, i32(CE_T), { reduction: "avg" as "mean" })).toThrow(/reduction/);
    expect(() => F.crossEntropy(x, i32(CE_T), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
  });
});

describe("nllLoss", () => {
  const LP = [[-0.5, -1.2, -2.3], [-0.1, -3.0, -2.6], [-1.1, -1.1, -1.1], [-0.7, -0.9, -4.0]], T = [1, 0, 2, -100];
  for (const r of REDUCTIONS)
    it(`matches PyTorch with an ignored row, reduction ${r}`, () => expectClose(F.nllLoss(f64(LP), i32(T), { reduction: r }), REF.nll[r]));
  it("gradCheck, and logSoftmax + nllLoss equals crossEntropy", () => {
    expect(tg.gradCheck((x) => F.nllLoss(x, i32(T)), [f64(LP)])).toBe(true);
    expectClose(F.nllLoss(F.logSoftmax(f64(CE_X), 1), i32(CE_TI)), REF.ceIgnoreMean);
  });
  it("rejects bad targets", () => {
    expect(() => F.nllLoss(f64(LP), tg.tensor(T))).toThrow(/nllLoss: targets must be int32/);
    expect(() => F.nllLoss(f64(LP), i32([1, 0, 3, 0]))).toThrow(/nllLoss: target 3 at position 2/);
  });
});

describe("regression losses", () => {
  const cases = [
    ["mseLoss", F.mseLoss, REF.mse],
    ["l1Loss", F.l1Loss, REF.l1],
    ["huberLoss (delta 0.6)", (a: tg.Tensor, b: tg.Tensor, o: object) => F.huberLoss(a, b, { delta: 0.6, ...o }), REF.huber],
    ["smoothL1Loss (beta 0.6)", (a: tg.Tensor, b: tg.Tensor, o: object) => F.smoothL1Loss(a, b, { beta: 0.6, ...o }), REF.smoothL1],
  ] as const;
  for (const [name, fn, ref] of cases) {
    for (const r of REDUCTIONS)
      it(`${name} matches PyTorch, reduction ${r}`, () => expectClose(fn(f64(A), f64(B), { reduction: r }), ref[r]));
    it(`${name} gradCheck in both arguments`, () =>
      expect(tg.gradCheck((a, b) => fn(a, b, {}), [f64(A), f64(B)])).toBe(true));
  }
  it("mseLoss on equal inputs is 0; shape mismatch names both shapes", () => {
    expectClose(F.mseLoss(f64(A), f64(A)), 0);
    expect(() => F.mseLoss(f64(A), f64([1, 2, 3]))).toThrow("mseLoss: input shape [2, 3] and target shape [3] must be equal");
    expect(() => F.l1Loss(f64(A), i32([1, 2, 3]))).toThrow(/l1Loss: target must be float32 or float64/);
  });
  it("smoothL1Loss with beta 0 is the L1 loss", () => expectClose(F.smoothL1Loss(f64(A), f64(B), { beta: 0 }), REF.l1.mean));
});

describe("binaryCrossEntropy", () => {
  for (const r of REDUCTIONS)
    it(`matches PyTorch with and without weight, reduction ${r}`, () => {
      expectClose(F.binaryCrossEntropy(f64(P), f64(PT), { reduction: r }), REF.bce[r]);
      expectClose(F.binaryCrossEntropy(f64(P), f64(PT), { weight: f64(PW8), reduction: r }), REF.bceW[r]);
    });
  it("gradient matches PyTorch; gradCheck in input, target and weight", () => {
    const p = f64(P).requiresGrad_();
    F.binaryCrossEntropy(p, f64(PT), { weight: f64(PW8) }).backward();
    expectClose(p.grad!, REF.bceWGrad, 1e-12);
    expect(tg.gradCheck((p, t, w) => F.binaryCrossEntropy(p, t, { weight: w }), [f64(P), f64(PT), f64(PW8)])).toBe(true);
  });
  it("clamps the log at -100 like PyTorch at p = 0 and 1", () => {
    const p = f64([0, 1, 0]).requiresGrad_();
    const l = F.binaryCrossEntropy(p, f64([1, 0, 0]), { reduction: "none" });
    expectClose(l, [100, 100, 0]);
    l.sum().backward();
    // PyTorch: (p − t) / max(p(1 − p), 1e-12) (its 1e-12 rounds via float32, hence 1e-9 relative)
    expectClose(p.grad!, [-1e12, 1e12, 0], 1e-8);
  });
  it("rejects probabilities outside [0, 1] and mismatched shapes", () => {
    expect(() => F.binaryCrossEntropy(f64([0.5, 1.5]), f64([0, 1]))).toThrow(/binaryCrossEntropy: every input element must lie in \[0, 1\]/);
    expect(() => F.binaryCrossEntropy(f64([0.5, 0.5]), f64([0, 1, 1]))).toThrow(/\[2\].*\[3\]/);
  });
});

describe("binaryCrossEntropyWithLogits", () => {
  const opts = { weight: f64([[1.0], [0.25]]), posWeight: f64([2.0, 0.5, 3.0]) };
  for (const r of REDUCTIONS)
    it(`matches PyTorch (stable at |x| = 30), reduction ${r}`, () => {
      expectClose(F.binaryCrossEntropyWithLogits(f64(XL), f64(TL), { reduction: r }), REF.bceLogits[r], 1e-9);
      expectClose(F.binaryCrossEntropyWithLogits(f64(XL), f64(TL), { ...opts, reduction: r }), REF.bceLogitsPw[r], 1e-9);
    });
  it("gradient is exactly sigmoid(x) − t, also at x = 0", () => {
    const x = f64([-3, 0, 0, 2.5]).requiresGrad_(), t = f64([0, 1, 0.3, 0]);
    F.binaryCrossEntropyWithLogits(x, t, { reduction: "sum" }).backward();
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expect(Array.from(x.grad!.data())).toEqual([s(-3) - 0, 0.5 - 1, 0.5 - 0.3, s(2.5) - 0]);
  });
  it("gradient with weight and posWeight matches PyTorch; gradCheck in every argument", () => {
    const x = f64(XL).requiresGrad_();
    F.binaryCrossEntropyWithLogits(x, f64(TL), opts).backward();
    expectClose(x.grad!, REF.bceLogitsPwGrad, 1e-12);
    const xs = [[-2.0, 0.0, 1.5], [3.0, -3.0, 0.7]];
    expect(tg.gradCheck((x, t) => F.binaryCrossEntropyWithLogits(x, t), [f64(xs), f64(TL)])).toBe(true);
    expect(tg.gradCheck((x, t, w, pw) => F.binaryCrossEntropyWithLogits(x, t, { weight: w, posWeight: pw }),
      [f64(xs), f64(TL), opts.weight, opts.posWeight])).toBe(true);
  });
  it("rejects a weight that does not broadcast to the input", () =>
    expect(() => F.binaryCrossEntropyWithLogits(f64(XL), f64(TL), { posWeight: f64([1, 2]) })).toThrow(/posWeight of shape \[2\]/));
});

describe("multiMarginLoss", () => {
  for (const r of REDUCTIONS)
    it(`matches PyTorch, reduction ${r}`, () => expectClose(F.multiMarginLoss(f64(XM), i32(YM), { reduction: r }), REF.multiMargin[r]));
  it("p = 2, margin 0.5, and class weights match PyTorch", () => {
    expectClose(F.multiMarginLoss(f64(XM), i32(YM), { p: 2, margin: 0.5, reduction: "none" }), REF.multiMarginP2M05None);
    expectClose(F.multiMarginLoss(f64(XM), i32(YM), { weight: f64([1, 2, 0.5, 3]) }), REF.multiMarginWeightMean);
  });
  it("gradCheck for p = 1 and p = 2", () => {
    for (const p of [1, 2] as const) expect(tg.gradCheck((x) => F.multiMarginLoss(x, i32(YM), { p }), [f64(XM)])).toBe(true);
  });
  it("hand value: one sample, margin 1", () => {
    // x = [1, 3, 0], y = 1: max(0, 1-3+1) + max(0, 1-3+0) = 0 → 0; y = 0: (1-1+3) + (1-1+0) = 3, /3 = 1
    expectClose(F.multiMarginLoss(f64([1, 3, 0]), i32(0)), 1);
    expectClose(F.multiMarginLoss(f64([1, 3, 0]), i32(1)), 0);
  });
  it("rejects bad targets and p", () => {
    expect(() => F.multiMarginLoss(f64(XM), i32([0, 9, 1]))).toThrow(/multiMarginLoss: target 9/);
    expect(() => F.multiMarginLoss(f64(XM), i32(YM), { p: 3 as 1 })).toThrow(/p must be 1 or 2/);
  });
});

describe("loss modules wrap the functional forms", () => {
  it("each module equals its function", () => {
    const nn = tg.nn;
    expectClose(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(f64(CE_X), i32(CE_T)), REF.ceSmoothMean);
    expectClose(new nn.NLLLoss({ reduction: "sum" }).forward(F.logSoftmax(f64(CE_X), 1), i32(CE_T)), REF.ce.sum);
    expectClose(new nn.MSELoss().call(f64(A), f64(B)), REF.mse.mean);
    expectClose(new nn.L1Loss({ reduction: "sum" }).forward(f64(A), f64(B)), REF.l1.sum);
    expectClose(new nn.HuberLoss({ delta: 0.6 }).forward(f64(A), f64(B)), REF.huber.mean);
    expectClose(new nn.SmoothL1Loss({ beta: 0.6 }).forward(f64(A), f64(B)), REF.smoothL1.mean);
    expectClose(new nn.BCELoss({ weight: f64(PW8) }).forward(f64(P), f64(PT)), REF.bceW.mean);
    expectClose(new nn.BCEWithLogitsLoss().forward(f64(XL), f64(TL)), REF.bceLogits.mean, 1e-9);
    expectClose(new nn.MultiMarginLoss().forward(f64(XM), i32(YM)), REF.multiMargin.mean);
  });
});

describe("the mean reduction", () => {
  it("divides the sum by the count, as PyTorch (a multiply by 1/3 is one float32 ulp off here)", () => {
    const x = tg.tensor([1.19, 0, 0]), zero = tg.zeros([3]);
    const s = Math.fround(1.19);
    expect(F.l1Loss(x, zero).item()).toBe(Math.fround(s / 3));
    expect(Math.fround(s / 3)).not.toBe(Math.fround(s * Math.fround(1 / 3)));
  });
});
