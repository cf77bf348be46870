// gradCheck cases for the pooling ops, one per option that changes the windows.
import * as tg from "../../../lib/index.js";
import { vals } from "../../ops/util.js";
import { check, type GradCases } from "./types.js";

const F = tg.nn.functional;
// Distinct values (no ties), so max pooling is differentiable at every element.
const x = vals([2, 2, 5, 6]);

export const CASES: GradCases = {
  maxPool2d: {
    "kernel 2": check((a) => F.maxPool2d(a, 2), x),
    "stride 1": check((a) => F.maxPool2d(a, 2, { stride: 1 }), x),
    "padding": check((a) => F.maxPool2d(a, 3, { stride: 2, padding: 1 }), x),
    "dilation": check((a) => F.maxPool2d(a, [2, 3], { stride: 1, dilation: [2, 1] }), x),
    "ceilMode": check((a) => F.maxPool2d(a, 3, { stride: 2, ceilMode: true }), x),
    "everything": check((a) => F.maxPool2d(a, [3, 2], { stride: [2, 1], padding: [1, 1], dilation: [1, 2], ceilMode: true }), x),
  },
  avgPool2d: {
    "kernel 2": check((a) => F.avgPool2d(a, 2), x),
    "padding countIncludePad": check((a) => F.avgPool2d(a, 3, { stride: 2, padding: 1 }), x),
    "padding, countIncludePad false": check((a) => F.avgPool2d(a, 3, { stride: 2, padding: 1, countIncludePad: false }), x),
    "ceilMode": check((a) => F.avgPool2d(a, 3, { stride: 2, ceilMode: true, padding: 1, countIncludePad: false }), x),
    "divisorOverride": check((a) => F.avgPool2d(a, [2, 3], { stride: [1, 2], divisorOverride: 4 }), x),
  },
  adaptiveAvgPool2d: {
    "shrink": check((a) => F.adaptiveAvgPool2d(a, [2, 4]), x),
    "grow (overlapping windows)": check((a) => F.adaptiveAvgPool2d(a, [7, 8]), x),
    "global": check((a) => F.adaptiveAvgPool2d(a, 1), x),
  },
  adaptiveMaxPool2d: {
    "shrink": check((a) => F.adaptiveMaxPool2d(a, [2, 4]), x),
    "overlapping windows": check((a) => F.adaptiveMaxPool2d(a, [4, 5]), x),
    "keep a dim (null)": check((a) => F.adaptiveMaxPool2d(a, [null, 2]), x),
  },
};
