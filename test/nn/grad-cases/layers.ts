// gradCheck cases for dropout, embedding, padding, flatten and the contrastive losses.
import * as tg from "../../../lib/index.js";
import { i32, vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
const x = vals([2, 3, 4, 5]);
// gradCheck evaluates fn many times: reseeding makes every evaluation draw the same mask.
const seeded = (fn: (a: tg.Tensor) => tg.Tensor) => (a: tg.Tensor) => (tg.manualSeed(7), fn(a));
const a = vals([4, 5], 2), b = vals([4, 5], 3), y = tg.tensor([1, -1, -1, 1], { dtype: "float64" });

export const CASES: GradCases = {
  dropout: {
    "p 0.4": check(seeded((t) => F.dropout(t, { p: 0.4 })), x),
    "p 1 (all dropped)": check(seeded((t) => F.dropout(t, { p: 1 })), x),
    "eval (identity)": check((t) => F.dropout(t, { training: false }), x),
  },
  dropout2d: {
    "p 0.5": check(seeded((t) => F.dropout2d(t, { p: 0.5 })), x),
    "[N, C, L]": check(seeded((t) => F.dropout2d(t, { p: 0.3 })), vals([3, 4, 2], 4)),
  },
  embedding: {
    "repeated indices": check((w) => F.embedding(i32([[0, 2, 2], [3, 0, 1]]), w), vals([4, 3], 5)),
    // With paddingIdx the padding row's gradient is zero by definition, not the derivative: that is
    // compared with PyTorch in test/layers/pytorch-reference.test.ts instead.
    "paddingIdx not looked up": check((w) => F.embedding(i32([1, 3, 3, 0]), w, { paddingIdx: 2 }), vals([4, 3], 6)),
  },
  pad: {
    "constant, crop": check((t) => F.pad(t, [1, -2, 2, 0], { value: 3 }), x),
    "constant, 3 dims": check((t) => F.pad(t, [1, 1, 0, 2, 1, 0]), x),
    "reflect": check((t) => F.pad(t, [3, 2, 1, 3], { mode: "reflect" }), x),
    "replicate": check((t) => F.pad(t, [4, 1, 0, 3], { mode: "replicate" }), x),
    "replicate 3 dims": check((t) => F.pad(t, [1, 2, 1, 0, 2, 1], { mode: "replicate" }), x),
  },
  flatten: { "dims 1..2": check((t) => F.flatten(t, 1, 2), x) },
  cosineEmbeddingLoss: {
    "margin, mean": check((p, q) => F.cosineEmbeddingLoss(p, q, y, { margin: 0.1 }), a, b),
    "none": check((p, q) => F.cosineEmbeddingLoss(p, q, y, { reduction: "none", margin: -0.5 }), a, b),
  },
  marginRankingLoss: {
    "margin": check((p, q) => F.marginRankingLoss(p, q, y.reshape([4, 1]), { margin: 0.3 }), vals([4, 1], 7), vals([4, 1], 8)),
    "sum": check((p, q) => F.marginRankingLoss(p, q, y, { reduction: "sum" }), vals([4], 7), vals([4], 9)),
  },
  hingeEmbeddingLoss: {
    "margin": check((p) => F.hingeEmbeddingLoss(p, y.reshape([4, 1]).expand([4, 5]), { margin: 0.5 }), a),
    "none": check((p) => F.hingeEmbeddingLoss(p, y, { reduction: "none" }), vals([4], 10)),
  },
};
