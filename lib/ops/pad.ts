// Padding (and, with negative amounts, cropping) of the trailing dims, native:
//   constant: the value outside;  reflect: mirrored without repeating the edge;  replicate: the edge repeated
//   dx = the sum of g over every output position that reads each input element (zero for constant fill)
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt, numelOf } from "../shape.js";
import { INT32_MAX, oneOf, options } from "../options.js";
import { checkLive } from "./check.js";
import { dense, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

export type PadMode = "constant" | "reflect" | "replicate";
const MODE: Record<PadMode, number> = { constant: 0, reflect: 1, replicate: 2 };
// Graph node names, PyTorch's.
const NODE: Record<PadMode, string> = { constant: "ConstantPadNdBackward0", reflect: "ReflectionPadBackward0", replicate: "ReplicationPadBackward0" };

export interface PadOptions {
  mode?: PadMode;
  /** Fill value for mode "constant"; default 0. */
  value?: number;
}

/**
 * Pads the last dims of x, as `torch.nn.functional.pad`.
 * @param x tensor of any dtype (reflect/replicate: float, at least one dim more than the padded ones).
 * @param pad `[left, right]` for the last dim, then `[top, bottom]` for the one before, and so on (an even
 *   length of at most 2·ndim; negative amounts crop). reflect/replicate pad at most 3 dims.
 * @param opts `mode` ("constant" | "reflect" | "replicate", default "constant"), `value` (constant only, default 0).
 * @returns the padded tensor, x's dtype.
 * @throws Error naming the argument and shapes for an odd or too long pad, a reflect pad not smaller than
 *   its dim, a result with a negative size, or `value` with a mode other than constant.
 */
export function pad(x: Tensor, pad: number[], opts: PadOptions = {}): Tensor {
  refuseSurplus(padFunction, arguments.length, opts);  // (the parameter `pad`, PyTorch's name, hides the function)
  const op = "pad";
  const { mode = "constant", value } = options(op, opts, ["mode", "value"]);
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor, got ${typeof x}`);
  checkLive(x, op, "input");
  oneOf(op, "mode", mode, ["constant", "reflect", "replicate"]);  // (`mode in MODE` let "toString" through)
  if (!Array.isArray(pad) || pad.length % 2 !== 0 || pad.length === 0 || !pad.every(Number.isInteger))
    throw new Error(`${op}: pad must be a non-empty array of integers of even length, got ${Array.isArray(pad) ? fmt(pad) : String(pad)}`);
  // The kernel takes the amounts as int32: a larger one would wrap (2^32 pads by 0).
  if (pad.some((v) => Math.abs(v) > INT32_MAX))
    throw new RangeError(`${op}: pad amounts must lie within ±(2^31 - 1) = ±${INT32_MAX}, got ${fmt(pad)}`);
  const k = pad.length / 2;
  if (k > x.ndim) throw new Error(`${op}: pad ${fmt(pad)} pads ${k} dims but the input ${fmt(x.shape)} has only ${x.ndim}`);
  if (mode !== "constant") {
    if (value !== undefined) throw new Error(`${op}: mode "${mode}" does not take a value (only "constant" does)`);
    if (k > 3 || x.ndim < k + 1)
      throw new Error(`${op}: mode "${mode}" pads 1 to 3 trailing dims of an input with at least one more dim; got pad ${fmt(pad)} for input ${fmt(x.shape)}`);
    if (x.dtype === "int32") throw new TypeError(`${op}: mode "${mode}" needs a float input, got int32`);
  }
  if (typeof value === "number" && x.dtype === "int32" && !Number.isInteger(value))
    throw new TypeError(`${op}: a fractional fill value ${value} for an int32 input`);
  // Padded dims in order, first to last: dim ndim−k+j takes pad[2(k−1−j)] before and pad[2(k−1−j)+1] after.
  const dims = Array.from({ length: k }, (_, j) => x.ndim - k + j);
  const spec = new Int32Array(3 * k), outShape = x.shape.slice();
  dims.forEach((d, j) => {
    const before = pad[2 * (k - 1 - j)], after = pad[2 * (k - 1 - j) + 1], n = x.shape[d];
    if (n + before + after < 0)
      throw new Error(`${op}: pad ${fmt(pad)} makes dim ${d} of input ${fmt(x.shape)} negative (${n} + ${before} + ${after})`);
    if (mode === "reflect" && (before >= n || after >= n) && (before > 0 || after > 0))
      throw new Error(`${op}: reflect padding (${before}, ${after}) of dim ${d} must be smaller than its size ${n} (input ${fmt(x.shape)})`);
    if (mode === "replicate" && n === 0 && (before > 0 || after > 0))
      throw new Error(`${op}: replicate padding of the empty dim ${d} of input ${fmt(x.shape)}`);
    spec.set([n, before, after], 3 * j);
    outShape[d] = n + before + after;
  });
  const outer = numelOf(x.shape.slice(0, x.ndim - k));
  const out = Tensor.output(outShape, x.dtype);
  native.pad(MODE[mode], dense(x).storage, out.storage, outer, spec, value ?? 0);
  return recordLayer(NODE[mode], out, [x], { mode: MODE[mode], shape: x.shape, outer, spec }, padRule);
}

function padRule(c: { mode: number; shape: number[]; outer: number; spec: Int32Array }, g: Tensor): Tensor[] {
  const gx = Tensor.output(c.shape, g.dtype);
  native.padBackward(c.mode, dense(g).storage, gx.storage, c.outer, c.spec);
  return [gx];
}

const padFunction = pad;
