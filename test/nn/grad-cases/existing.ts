// gradCheck cases for the functional exports that predate the layer ops (each is also tested in
// its own suite); listed so the registry covers every export of tg.nn.functional.
import * as tg from "../../../lib/index.js";
import { i32, positive, vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
const x = vals([3, 4]), y = vals([3, 4], 2), t = i32([0, 3, 1]);
const p = positive([3, 4]).div(3);  // probabilities in (0, 1)

export const CASES: GradCases = {
  linear: { "with bias": check((a, w, b) => F.linear(a, w, b), x, vals([2, 4], 3), vals([2], 4)) },
  relu: { "": check((a) => F.relu(a), x) },
  leakyRelu: { "": check((a) => F.leakyRelu(a, 0.2), x) },
  elu: { "": check((a) => F.elu(a), x) },
  gelu: { "": check((a) => F.gelu(a), x) },
  sigmoid: { "": check((a) => F.sigmoid(a), x) },
  tanh: { "": check((a) => F.tanh(a), x) },
  softmax: { "": check((a) => F.softmax(a, 1), x) },
  logSoftmax: { "": check((a) => F.logSoftmax(a, 1), x) },
  crossEntropy: { "": check((a) => F.crossEntropy(a, t), x) },
  nllLoss: { "": check((a) => F.nllLoss(a, t), x) },
  mseLoss: { "": check((a, b) => F.mseLoss(a, b), x, y) },
  l1Loss: { "": check((a, b) => F.l1Loss(a, b), x, y) },
  huberLoss: { "": check((a, b) => F.huberLoss(a, b, { delta: 0.5 }), x, y) },
  smoothL1Loss: { "": check((a, b) => F.smoothL1Loss(a, b, { beta: 0.5 }), x, y) },
  binaryCrossEntropy: { "": check((a, b) => F.binaryCrossEntropy(a, b), p, positive([3, 4], 5).div(3)) },
  binaryCrossEntropyWithLogits: { "": check((a, b) => F.binaryCrossEntropyWithLogits(a, b), x, p) },
  multiMarginLoss: { "": check((a) => F.multiMarginLoss(a, t), x) },
};
