// gradCheck cases for the convolution family, one per option that changes the computation (stride, padding
// incl. "same"/"valid", dilation, groups incl. depthwise, 1×1, outputPadding), all with bias where it applies.
import * as tg from "../../../lib/index.js";
import { vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
const x = vals([2, 4, 6, 5], 1), w = vals([6, 2, 3, 3], 2), b = vals([6], 3);

export const CASES: GradCases = {
  conv2d: {
    "plain": check((a, k, c) => F.conv2d(a, k, c), vals([2, 2, 5, 4]), vals([3, 2, 3, 3], 2), vals([3], 3)),
    "stride 2, padding [1, 2], groups 2": check((a, k, c) => F.conv2d(a, k, c, { stride: 2, padding: [1, 2], groups: 2 }), x, w, b),
    "stride [2, 3], dilation [2, 1]": check((a, k) => F.conv2d(a, k, null, { stride: [2, 3], dilation: [2, 1], padding: 1, groups: 2 }), x, w),
    "groups 2": check((a, k, c) => F.conv2d(a, k, c, { groups: 2, padding: 1 }), x, w, b),
    "depthwise": check((a, k) => F.conv2d(a, k, null, { groups: 4, padding: 1 }), x, vals([4, 1, 3, 3], 4)),
    "same (even kernel)": check((a, k) => F.conv2d(a, k, null, { padding: "same" }), vals([1, 2, 5, 4]), vals([2, 2, 2, 4], 5)),
    "valid": check((a, k) => F.conv2d(a, k, null, { padding: "valid" }), vals([1, 2, 5, 4]), vals([2, 2, 3, 2], 5)),
    "1x1": check((a, k, c) => F.conv2d(a, k, c), vals([2, 3, 3, 2]), vals([2, 3, 1, 1], 6), vals([2], 7)),
  },
  conv1d: {
    "stride 2, dilation 2, groups 2": check((a, k, c) => F.conv1d(a, k, c, { stride: 2, dilation: 2, groups: 2, padding: 1 }), vals([2, 4, 9]), vals([4, 2, 3], 2), vals([4], 3)),
    "same": check((a, k) => F.conv1d(a, k, null, { padding: "same" }), vals([1, 2, 7]), vals([3, 2, 4], 2)),
  },
  convTranspose2d: {
    "plain": check((a, k, c) => F.convTranspose2d(a, k, c), vals([2, 3, 3, 3]), vals([3, 2, 3, 3], 2), vals([2], 3)),
    "stride 2, outputPadding 1, padding 1": check((a, k) => F.convTranspose2d(a, k, null, { stride: 2, outputPadding: 1, padding: 1 }), vals([1, 2, 3, 3]), vals([2, 3, 3, 3], 2)),
    "groups 2, dilation 2, stride [1, 2]": check((a, k, c) => F.convTranspose2d(a, k, c, { groups: 2, dilation: 2, stride: [1, 2] }), vals([1, 4, 3, 3]), vals([4, 1, 2, 2], 2), vals([2], 3)),
  },
  unfold: {
    "kernel [2, 3], padding, stride, dilation": check((a) => F.unfold(a, [2, 3], { padding: 1, stride: [1, 2], dilation: [2, 1] }), vals([2, 2, 5, 5])),
  },
  fold: {
    "kernel 2": check((a) => F.fold(a, [4, 5], 2), vals([2, 8, 12])),
    "stride 2, padding 1": check((a) => F.fold(a, [5, 5], [2, 3], { stride: 2, padding: 1 }), vals([1, 6, 9])),
  },
};
