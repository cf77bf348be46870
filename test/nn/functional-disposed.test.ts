// Every tg.nn.functional export given a disposed tensor, in each tensor argument in turn, throws an Error
// naming itself and the argument (was: the native bounds message "tensorgrad.copy: operand 0 reaches
// element 15 of an array of length 0" from pooling, the norms, dropout, pad and cross-entropy, or the
// name of an op the function is built from: mseLoss said sub, binaryCrossEntropy min, embedding min).
// A new export without a case here fails the suite.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const F = tg.nn.functional;
const r = (...shape: number[]) => tg.randn(shape);
const ints = (v: number[]) => tg.tensor(v, { dtype: "int32" });
const x23 = () => [r(2, 3)];

// Valid arguments for each export (a function, so each use gets fresh tensors).
const ARGS: Record<string, () => unknown[]> = {
  relu: x23, leakyRelu: x23, elu: x23, gelu: x23, sigmoid: x23, tanh: x23,
  softplus: x23, silu: x23, mish: x23, hardtanh: x23, logSigmoid: x23, softsign: x23,
  softmax: () => [r(2, 3), 1], logSoftmax: () => [r(2, 3), 1], normalize: x23, flatten: x23,
  linear: () => [r(2, 3), r(4, 3), r(4)],
  conv2d: () => [r(1, 1, 4, 4), r(1, 1, 2, 2), r(1)],
  conv1d: () => [r(1, 1, 4), r(1, 1, 2), r(1)],
  convTranspose2d: () => [r(1, 1, 4, 4), r(1, 1, 2, 2), r(1)],
  unfold: () => [r(1, 1, 4, 4), 2],
  fold: () => [r(1, 4, 9), 4, 2],
  maxPool2d: () => [r(1, 1, 4, 4), 2], avgPool2d: () => [r(1, 1, 4, 4), 2],
  adaptiveAvgPool2d: () => [r(1, 1, 4, 4), 2], adaptiveMaxPool2d: () => [r(1, 1, 4, 4), 2],
  batchNorm: () => [r(2, 3), r(3), r(3).abs(), r(3), r(3)],
  layerNorm: () => [r(2, 3), [3], r(3), r(3)],
  groupNorm: () => [r(2, 4, 2), 2, r(4), r(4)],
  localResponseNorm: () => [r(1, 4, 2, 2), 2],
  dropout: () => [r(2, 3), { training: true }], dropout2d: () => [r(2, 3, 2), { training: true }],
  embedding: () => [ints([0, 1]), r(3, 2)],
  pad: () => [r(2, 3), [1, 1]],
  oneHot: () => [ints([0, 1])],
  mseLoss: () => [r(2, 3), r(2, 3)], l1Loss: () => [r(2, 3), r(2, 3)],
  huberLoss: () => [r(2, 3), r(2, 3)], smoothL1Loss: () => [r(2, 3), r(2, 3)],
  binaryCrossEntropy: () => [r(2, 3).sigmoid(), r(2, 3).sigmoid(), { weight: r(2, 3).abs() }],
  binaryCrossEntropyWithLogits: () => [r(2, 3), r(2, 3).sigmoid(), { weight: r(2, 3).abs(), posWeight: r(3).abs() }],
  crossEntropy: () => [r(2, 3), ints([0, 2])], nllLoss: () => [r(2, 3), ints([0, 2])],
  multiMarginLoss: () => [r(2, 3), ints([0, 2])],
  cosineEmbeddingLoss: () => [r(2, 3), r(2, 3), tg.tensor([1, -1])],
  marginRankingLoss: () => [r(2), r(2), tg.tensor([1, -1])],
  hingeEmbeddingLoss: () => [r(2), tg.tensor([1, -1])],
};

// Where the tensors sit in args: top-level arguments, and tensors inside an options object.
interface Slot {
  label: string;
  of: (args: unknown[]) => tg.Tensor;
}
function tensorSlots(args: unknown[]): Slot[] {
  return args.flatMap((v, i): Slot[] => {
    if (v instanceof tg.Tensor) return [{ label: `argument ${i}`, of: (a) => a[i] as tg.Tensor }];
    if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
    return Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] instanceof tg.Tensor)
      .map((k) => ({ label: `option ${k}`, of: (a) => (a[i] as Record<string, tg.Tensor>)[k] }));
  });
}

const exported = Object.entries(F).filter(([, v]) => typeof v === "function").map(([k]) => k);

describe("tg.nn.functional and disposed tensors", () => {
  it("every export has arguments here", () => {
    expect(exported.filter((n) => !(n in ARGS))).toEqual([]);
  });
  it("each export runs on its arguments (so the refusals below are about the disposed tensor)", () => {
    for (const name of exported) expect((F as Record<string, (...a: unknown[]) => unknown>)[name](...ARGS[name]()), name).toBeInstanceOf(tg.Tensor);
  });
  it("a disposed tensor in any argument is refused with an Error naming the function and the argument", () => {
    let checked = 0;
    for (const name of exported) {
      const f = (F as Record<string, (...a: unknown[]) => unknown>)[name];
      for (const slot of tensorSlots(ARGS[name]())) {
        const a = ARGS[name]();
        slot.of(a).dispose();
        expect(() => f(...a), `${name}, ${slot.label}`).toThrow(
          new RegExp(`^${name}: [\\w[\\] ]+ \\(shape \\[[\\d, ]*\\], (float32|float64|int32)\\) was disposed; use it before calling dispose\\(\\)$`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(70);
  });
});
