// gradCheck cases for the normalisation ops: every mode (train/eval), affine or not, each input rank.
import * as tg from "../../../lib/index.js";
import { positive, vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
const x = vals([3, 4, 2, 3]), w = vals([4], 2).add(1), b = vals([4], 3);
// Fresh running statistics per evaluation: training mode updates them in place.
const rm = () => vals([4], 4).mul(0.1), rv = () => positive([4], 5);

export const CASES: GradCases = {
  batchNorm: {
    "training, affine": check((a, wt, bs) => F.batchNorm(a, rm(), rv(), wt, bs, { training: true, momentum: 0.2 }), x, w, b),
    "training, no running stats, no affine": check((a) => F.batchNorm(a, null, null, null, null, { training: true }), x),
    "eval, affine": check((a, wt, bs) => F.batchNorm(a, rm(), rv(), wt, bs, { eps: 1e-3 }), x, w, b),
    "eval, no affine": check((a) => F.batchNorm(a, rm(), rv()), x),
    "training [N, C]": check((a, wt) => F.batchNorm(a, null, null, wt, null, { training: true }), vals([5, 4], 6), w),
    "training [N, C, L], bias only": check((a, bs) => F.batchNorm(a, null, null, null, bs, { training: true }), vals([2, 4, 3], 7), b),
  },
  layerNorm: {
    "last dim, affine": check((a, wt, bs) => F.layerNorm(a, 3, wt, bs), x, vals([3], 8), vals([3], 9)),
    "last three dims, no affine": check((a) => F.layerNorm(a, [4, 2, 3], null, null, { eps: 1e-3 }), x),
    "weight only": check((a, wt) => F.layerNorm(a, [2, 3], wt), x, vals([2, 3], 10)),
  },
  groupNorm: {
    "2 groups, affine": check((a, wt, bs) => F.groupNorm(a, 2, wt, bs), x, w, b),
    "1 group (layer norm over C, H, W)": check((a) => F.groupNorm(a, 1), x),
    "one group per channel (instance norm)": check((a, wt) => F.groupNorm(a, 4, wt, null, { eps: 1e-2 }), x, w),
    "[N, C]": check((a, bs) => F.groupNorm(a, 2, null, bs), vals([3, 4], 11), b),
  },
  localResponseNorm: {
    "size 3": check((a) => F.localResponseNorm(a, 3), x.mul(3)),
    "size 2, alpha, beta, k": check((a) => F.localResponseNorm(a, 2, { alpha: 0.5, beta: 1.2, k: 2 }), x),
    "size larger than C, 3-D": check((a) => F.localResponseNorm(a, 6, { alpha: 1 }), vals([2, 4, 3], 12)),
  },
  normalize: {
    "defaults (p 2, dim 1)": check((a) => F.normalize(a), vals([3, 4], 13)),
    "p 1, dim 0": check((a) => F.normalize(a, { p: 1, dim: 0 }), vals([3, 4], 14)),
    "p 3, dim -1, 3-D": check((a) => F.normalize(a, { p: 3, dim: -1 }), vals([2, 3, 4], 15)),
    "eps larger than a row's norm": check((a) => F.normalize(a, { eps: 10 }), vals([2, 3], 16)),
  },
};
