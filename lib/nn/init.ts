// tg.nn.init: in-place initialisers with PyTorch's formulas. Each fills the target (which may be any
// view) through Tensor.uniform_/normal_ from the seeded native generator (so tg.manualSeed makes them
// reproducible). Not recorded on the tape.
import { Tensor } from "../tensor.js";
import { normal_ as fillNormal, uniform_ as fillUniform } from "../ops/random-fill.js";
import { noGrad } from "../autograd/grad-mode.js";
import { fmt } from "../shape.js";
import { describe, oneOf, options } from "../options.js";
import { refuseExpanded } from "../autograd/view-history.js";
import { checkLive } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

export type Nonlinearity = "linear" | "sigmoid" | "tanh" | "relu" | "leakyRelu" | "leaky_relu" | "selu";
export type FanMode = "fanIn" | "fanOut";

function checkFloatTensor(t: unknown, op: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor`);
  if (t.dtype === "int32") throw new TypeError(`${op}: the tensor must be float32 or float64, got int32`);
  checkLive(t, op, "the tensor");
  return t;
}

// A numeric option: absent gives `dflt`; anything but a finite number is refused, naming the option.
function finite(v: unknown, name: string, op: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${op}: ${name} must be a finite number, got ${describe(v)}`);
  return v;
}

// Fills t by `fill` (Tensor.uniform_/normal_), not recorded (any view but an expanded one, as PyTorch).
function fillFrom(t: Tensor, op: string, fill: () => Tensor): Tensor {
  refuseExpanded(t, op, "the tensor", "initialise the tensor it was expanded from instead");
  return noGrad(fill);
}

/**
 * Fills `t` in place with draws from U(a, b) from the seeded generator (`tg.manualSeed`); not recorded
 * on the tape. Mirrors `torch.nn.init.uniform_`: `uniform_(t, {a: -0.1, b: 0.1})` (defaults a = 0, b = 1).
 * @param t - a float32 or float64 tensor of any shape (a view is written through).
 * @returns `t`.
 * @throws TypeError for an int32 tensor or a bad options object; RangeError when a > b.
 */
export function uniform_(t: Tensor, opts: { a?: number; b?: number } = {}): Tensor {
  refuseSurplus(uniform_, arguments.length, opts);
  checkFloatTensor(t, "uniform_");
  const o = options("uniform_", opts, ["a", "b"]);
  const a = finite(o.a, "a", "uniform_", 0), b = finite(o.b, "b", "uniform_", 1);
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b, got a=${a} b=${b}`);
  return fillFrom(t, "uniform_", () => fillUniform(t, a, b));
}

/**
 * Fills `t` in place with draws from N(mean, std²). Mirrors `torch.nn.init.normal_`: `normal_(t, {mean: 0,
 * std: 0.02})` (defaults mean = 0, std = 1).
 * @param t - a float32 or float64 tensor of any shape.
 * @returns `t`.
 * @throws TypeError for an int32 tensor or a bad options object; RangeError when std < 0.
 */
export function normal_(t: Tensor, opts: { mean?: number; std?: number } = {}): Tensor {
  refuseSurplus(normal_, arguments.length, opts);
  checkFloatTensor(t, "normal_");
  const o = options("normal_", opts, ["mean", "std"]);
  const mean = finite(o.mean, "mean", "normal_", 0), std = finite(o.std, "std", "normal_", 1);
  if (!(std >= 0)) throw new RangeError(`normal_: std must be non-negative, got ${std}`);
  return fillFrom(t, "normal_", () => fillNormal(t, mean, std));
}

/**
 * Fills `t` in place with `value`. Mirrors `torch.nn.init.constant_`.
 * @returns `t`.
 * @throws TypeError for an int32 tensor.
 */
export function constant_(t: Tensor, value: number): Tensor {
  refuseSurplus(constant_, arguments.length);
  checkFloatTensor(t, "constant_");
  return noGrad(() => t.fill_(value));
}
/**
 * Fills `t` with 0 in place. Mirrors `torch.nn.init.zeros_`. @returns `t`.
 */
export function zeros_(t: Tensor): Tensor {
  refuseSurplus(zeros_, arguments.length);
  return constant_(t, 0);
}
/**
 * Fills `t` with 1 in place. Mirrors `torch.nn.init.ones_`. @returns `t`.
 */
export function ones_(t: Tensor): Tensor {
  refuseSurplus(ones_, arguments.length);
  return constant_(t, 1);
}

/**
 * PyTorch's recommended gain for a nonlinearity; option `param` is leaky ReLU's negative slope (default
 * 0.01): `calculateGain("leaky_relu", {param: 0.2})`. Mirrors `torch.nn.init.calculate_gain`.
 * @throws Error for an unknown nonlinearity or option.
 */
export function calculateGain(nonlinearity: Nonlinearity, opts: { param?: number } = {}): number {
  refuseSurplus(calculateGain, arguments.length, opts);
  const { param } = options("calculateGain", opts, ["param"]);
  switch (nonlinearity) {
    case "linear":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu":
    case "leaky_relu": {
      const slope = finite(param, "param (the negative slope)", "calculateGain", 0.01);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * Fan in = size(1)·receptive field and fan out = size(0)·receptive field of a weight `[out, in, ...]`.
 * Mirrors `torch.nn.init._calculate_fan_in_and_fan_out`.
 * @throws Error for a tensor with fewer than 2 dims.
 */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  refuseSurplus(calculateFanInAndFanOut, arguments.length);
  if (t.ndim < 2) throw new Error(`init: fan in and fan out need a tensor with at least 2 dims, got shape ${fmt(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/**
 * Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)); option `gain` (default 1). Mirrors
 * `torch.nn.init.xavier_uniform_`.
 * @param t - a float weight with at least 2 dims.
 * @returns `t`.
 * @throws TypeError for int32; Error for fewer than 2 dims or an unknown option.
 */
// Xavier's gain: a finite number >= 0 (a negative one would flip uniform_'s bounds).
function gainOf(opts: { gain?: number }, op: string): number {
  const gain = finite(options(op, opts, ["gain"]).gain, "gain", op, 1);
  if (gain < 0) throw new RangeError(`${op}: gain must be non-negative, got ${gain}`);
  return gain;
}

export function xavierUniform_(t: Tensor, opts: { gain?: number } = {}): Tensor {
  refuseSurplus(xavierUniform_, arguments.length, opts);
  const gain = gainOf(opts, "xavierUniform_");
  const { fanIn, fanOut } = calculateFanInAndFanOut(checkFloatTensor(t, "xavierUniform_"));
  if (t.numel() === 0) return t;
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, { a: -a, b: a });
}

/**
 * Glorot normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)); option `gain` (default 1). Mirrors
 * `torch.nn.init.xavier_normal_`.
 * @returns `t`.
 * @throws TypeError for int32; Error for fewer than 2 dims or an unknown option.
 */
export function xavierNormal_(t: Tensor, opts: { gain?: number } = {}): Tensor {
  refuseSurplus(xavierNormal_, arguments.length, opts);
  const gain = gainOf(opts, "xavierNormal_");
  const { fanIn, fanOut } = calculateFanInAndFanOut(checkFloatTensor(t, "xavierNormal_"));
  if (t.numel() === 0) return t;
  return normal_(t, { std: gain * Math.sqrt(2 / (fanIn + fanOut)) });
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

// std = gain / √fan with PyTorch's defaults a = 0, mode "fanIn", nonlinearity "leaky_relu".
function kaimingStd(t: Tensor, opts: KaimingOptions, op: string): number {
  const { a: slope, mode = "fanIn", nonlinearity = "leaky_relu" } = options(op, opts, ["a", "mode", "nonlinearity"]);
  const a = finite(slope, "a", op, 0);
  oneOf(op, "mode", mode, ["fanIn", "fanOut"]);
  const { fanIn, fanOut } = calculateFanInAndFanOut(checkFloatTensor(t, op));
  // A zero-element tensor has nothing to initialise (PyTorch: a no-op), and may have a zero fan.
  if (t.numel() === 0) return 0;
  return calculateGain(nonlinearity, { param: a }) / Math.sqrt(mode === "fanIn" ? fanIn : fanOut);
}

/**
 * He uniform: U(−b, b) with b = √3·gain / √fan. Options `a` (leaky slope, default 0), `mode` (`"fanIn"` |
 * `"fanOut"`), `nonlinearity` (default `"leaky_relu"`). Mirrors `torch.nn.init.kaiming_uniform_`.
 * @returns `t`.
 * @throws Error for an unknown option, mode or nonlinearity, or fewer than 2 dims; TypeError for int32.
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  refuseSurplus(kaimingUniform_, arguments.length, opts);
  const bound = Math.sqrt(3) * kaimingStd(t, opts, "kaimingUniform_");
  return uniform_(t, { a: -bound, b: bound });
}

/**
 * He normal: N(0, σ²) with σ = gain / √fan (options as {@link kaimingUniform_}). Mirrors
 * `torch.nn.init.kaiming_normal_`.
 * @returns `t`.
 * @throws Error for an unknown option, mode or nonlinearity, or fewer than 2 dims; TypeError for int32.
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  refuseSurplus(kaimingNormal_, arguments.length, opts);
  return normal_(t, { std: kaimingStd(t, opts, "kaimingNormal_") });
}
