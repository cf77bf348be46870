// gradCheck cases for the activations on tg.nn.functional only (as in PyTorch's F): each at its defaults and
// with the options that change the computation. Inputs avoid the kinks (hardtanh's ±1, softplus' threshold).
import * as tg from "../../../lib/index.js";
import { vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
const x = () => vals([3, 4], 1);

export const CASES: GradCases = {
  softplus: {
    "defaults": check((a) => F.softplus(a), x()),
    "beta 2, threshold 1 (linear part used)": check((a) => F.softplus(a, { beta: 2, threshold: 1 }), x()),
  },
  silu: { "plain": check((a) => F.silu(a), x()) },
  mish: { "plain": check((a) => F.mish(a), x()) },
  hardtanh: {
    "defaults": check((a) => F.hardtanh(a), vals([3, 4], 2).mul(0.7)),
    "minVal -0.3, maxVal 0.4": check((a) => F.hardtanh(a, { minVal: -0.3, maxVal: 0.4 }), x()),
  },
  logSigmoid: { "plain": check((a) => F.logSigmoid(a), x()) },
  softsign: { "plain": check((a) => F.softsign(a), x()) },
};
