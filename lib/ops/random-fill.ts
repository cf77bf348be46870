// In-place random fills, PyTorch's x.uniform_(from, to) and x.normal_(mean, std): every element of x
// replaced by a draw from the global generator (tg.manualSeed), under the in-place rules every
// in-place op shares (write.ts, through copy.ts's overwrite): refused on a leaf that requires grad
// while grad is enabled, version bumped, and on a tensor with history recorded as PyTorch's
// UniformBackward0 / NormalBackward0 (the old values get a zero gradient).
import { Tensor } from "../tensor.js";
import { native, type Storage } from "../native.js";
import { options } from "../options.js";
import { defineOp } from "./define.js";
import { checkTensor, describe } from "./check.js";
import { copyInto } from "./kernels.js";
import { overwrite } from "./copy.js";

// A draw of n values into a dense array.
type Draw = (out: Storage, a: number, b: number) => void;

// x overwritten with draw(a, b): straight into x's memory when x is contiguous, else through a dense buffer.
function drawInto(x: Tensor, draw: Draw, a: number, b: number): void {
  if (x.isContiguous()) return draw(x.storage.subarray(x.offset, x.offset + x.numel()), a, b);
  const tmp = Tensor.output(x.shape, x.dtype);
  draw(tmp.storage, a, b);
  copyInto(tmp, x);
  tmp.dispose();
}

// The two parameters, positional (x.uniform_(-1, 1)) or as PyTorch's keywords ({from: -1, to: 1}),
// checked to be finite numbers.
function params(op: string, names: [string, string], defaults: [number, number], first: unknown, second: unknown): [number, number] {
  let a = first, b = second;
  if (a !== null && typeof a === "object") {
    if (b !== undefined) throw new TypeError(`${op}: give (${names[0]}, ${names[1]}) or one options object {${names[0]}, ${names[1]}}, not both`);
    const o = options(op, a as Record<string, unknown>, names) as Record<string, unknown>;
    [a, b] = [o[names[0]], o[names[1]]];
  }
  const vals = [a ?? defaults[0], b ?? defaults[1]] as [number, number];
  vals.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new RangeError(`${op}: ${names[i]} must be a finite number, got ${typeof v === "number" ? v : describe(v)}`);
  });
  return vals;
}

function randomFill(op: string, node: string, x: Tensor, a: number, b: number, draw: Draw): Tensor {
  if (x.dtype === "int32") throw new TypeError(`${op}: only float tensors can be filled with random draws (this one is int32, as PyTorch refuses); use tg.randint`);
  return overwrite(x, op, node, false, () => drawInto(x, draw, a, b));
}

/** uniform_'s and normal_'s parameters as PyTorch's keywords. */
export interface UniformOptions {
  from?: number;
  to?: number;
}
export interface NormalOptions {
  mean?: number;
  std?: number;
}

/**
 * Tensor.uniform_ (PyTorch's): every element of x (float32/float64, any shape and strides) replaced by a
 * uniform draw from [from, to) (default [0, 1)); returns x. `x.uniform_(-1, 1)` or `x.uniform_({from: -1, to: 1})`.
 * @throws TypeError for an int32 x; RangeError for a non-finite bound or from > to; Error for a leaf that
 *   requires grad (or a view of one) while grad is enabled, or an expanded x.
 */
export const uniform_ = defineOp({
  name: "uniform_", doc: "every element replaced by a uniform draw from [from, to) (default [0, 1); in place, as fill_)",
  method: "only", differentiable: false,
  forward(x: Tensor, from?: number | UniformOptions, to?: number): Tensor {
    checkTensor(x, "uniform_");
    const [lo, hi] = params("uniform_", ["from", "to"], [0, 1], from, to);
    if (lo > hi) throw new RangeError(`uniform_: expects a [from, to) range, but found from=${lo} > to=${hi}`);
    return randomFill("uniform_", "UniformBackward0", x, lo, hi, native.randUniform);
  },
});

/**
 * Tensor.normal_ (PyTorch's): every element of x (float32/float64, any shape and strides) replaced by a
 * draw from N(mean, std²) (default N(0, 1)); returns x. `x.normal_(0, 0.02)` or `x.normal_({std: 0.02})`.
 * @throws TypeError for an int32 x; RangeError for a non-finite mean or std, or std < 0; Error as uniform_.
 */
export const normal_ = defineOp({
  name: "normal_", doc: "every element replaced by a draw from N(mean, std²) (default N(0, 1); in place, as fill_)",
  method: "only", differentiable: false,
  forward(x: Tensor, mean?: number | NormalOptions, std?: number): Tensor {
    checkTensor(x, "normal_");
    const [m, sd] = params("normal_", ["mean", "std"], [0, 1], mean, std);
    if (sd < 0) throw new RangeError(`normal_: std must be >= 0, got ${sd}`);
    return randomFill("normal_", "NormalBackward0", x, m, sd, native.randNormal);
  },
});
