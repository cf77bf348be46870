// Convolutions on NCHW tensors, each one native call (native/kernels/conv/), with their backward rules:
//   conv2d:           y = conv(x, W) + b      dx = convᵀ(g, W),  dW = corr(x, g),  db = Σ_{n,h,w} g
//   conv2dRelu:       y = relu(conv(x, W) + b) in the same native call (nn.Conv2d's fused form with a following
//                     ReLU); g' = g where y > 0 and db = Σ g' come from one native pass, then dx and dW from g'
//   convTranspose2d:  y = convᵀ(x, W) + b     dx = conv(g, W),   dW = corr(g, x),  db = Σ_{n,h,w} g
//   unfold / fold:    im2col and its adjoint (each is the other's backward)
// conv1d is conv2d on a height-1 image. Only what backward reads is saved: x only when W needs a gradient,
// W only when x does (b's gradient needs neither).
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt } from "../shape.js";
import { options, pair } from "../options.js";
import { add } from "./elementwise.js";
import { checkTensor } from "./check.js";
import { sum } from "./reduce.js";
import { reshape, squeeze, unsqueeze } from "./views.js";
import { batchHint, copyOf, dense, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

type Size = number | [number, number];
export type Padding = Size | "same" | "valid";

/** Options of {@link conv2d} (PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1). */
export interface Conv2dOptions {
  stride?: Size;
  padding?: Padding;
  dilation?: Size;
  groups?: number;
}

/** Options of {@link conv1d}: as conv2d with single numbers. */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | "same" | "valid";
  dilation?: number;
  groups?: number;
}

/** Options of {@link convTranspose2d} (PyTorch's defaults: stride 1, padding 0, outputPadding 0, groups 1, dilation 1). */
export interface ConvTranspose2dOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  dilation?: Size;
}

/** Options of {@link unfold} and {@link fold} (PyTorch's defaults: dilation 1, padding 0, stride 1). */
export interface UnfoldOptions {
  dilation?: Size;
  padding?: Size;
  stride?: Size;
}

// The native geometry (see native/kernels/conv/conv.h): input [n, c, h, w], weight [o, c/groups, kh, kw],
// output spatial [oh, ow], stride, top/left padding, dilation, groups.
interface Geom {
  n: number; c: number; h: number; w: number;
  o: number; kh: number; kw: number; oh: number; ow: number;
  stride: [number, number]; pad: [number, number]; dil: [number, number]; groups: number;
  spec?: Int32Array;
}
const spec = (g: Geom) => (g.spec ??= geometry(g));

// The native geometry array, made once per op and shared by its forward and backward calls.
function geometry(g: Geom): Int32Array {
  return Int32Array.from([g.n, g.c, g.h, g.w, g.o, g.kh, g.kw, g.oh, g.ow, ...g.stride, ...g.pad, ...g.dil, g.groups]);
}

function floatOperands(op: string, ts: (Tensor | null)[], names: string[]): void {
  // Only the bias may be null (absent); a null input or weight is a wrong argument.
  ts.forEach((t, i) => { if (t !== null || names[i] !== "bias") checkTensor(t, op, names[i]); });
  const present = ts.filter((t): t is Tensor => t !== null);
  if (present.some((t) => t.dtype !== present[0].dtype) || present[0].dtype === "int32")
    throw new TypeError(`${op}: expected float32 or float64 tensors of one dtype, got ` +
      present.map((t, i) => `${names[i]} ${t.dtype}`).join(", ") + "; convert with .float() or .double()");
}

function need4d(op: string, t: Tensor, name: string, layout: string): void {
  if (t.ndim !== 4)
    throw new Error(`${op}: expected a 4-D ${name} ${layout}, got shape ${fmt(t.shape)}${name === "input" ? batchHint(t) : ""}`);
}

function positiveInt(v: unknown, name: string, op: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

// Output size along one dim of a convolution, or an Error when the (dilated) kernel exceeds the padded input.
function outSize(op: string, axis: string, size: number, padTotal: number, k: number, s: number, d: number): number {
  const span = d * (k - 1) + 1;
  if (size + padTotal < span)
    throw new Error(`${op}: the kernel (${k} with dilation ${d} spans ${span}) is larger than the padded input along ${axis} ` +
      `(${size} + padding ${padTotal} = ${size + padTotal}); use a smaller kernel or more padding`);
  return Math.floor((size + padTotal - span) / s) + 1;
}

// ---- conv2d ----

/**
 * 2-D convolution (cross-correlation) over a batch of images, as `torch.nn.functional.conv2d`.
 * @param x input `[N, C, H, W]`, float32 or float64.
 * @param weight `[O, C / groups, KH, KW]`, same dtype.
 * @param bias `[O]` or `null`.
 * @param opts `stride` (≥ 1), `padding` (≥ 0, or `"same"` (stride 1 only; output size = input size, any extra
 *   padding at the bottom/right as PyTorch) or `"valid"` (= 0)), `dilation` (≥ 1), `groups` (divides C and O;
 *   `groups = C` is a depthwise convolution). Sizes take a number or `[h, w]`.
 * @returns `[N, O, OH, OW]` with `OH = ⌊(H + 2·padH − dilH·(KH − 1) − 1) / strideH⌋ + 1` (likewise OW).
 * @throws TypeError for non-tensors, int32 or mixed dtypes; Error naming the op, the shapes and the argument for
 *   a non-4-D input or weight, a channel count that does not match `weight.shape[1] · groups`, groups not dividing
 *   the channels, a bias that is not `[O]`, a kernel larger than the padded input; RangeError for a stride,
 *   dilation or groups below 1, a negative padding, `"same"` with stride > 1; unknown option keys throw.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  refuseSurplus(conv2d, arguments.length, opts);
  return convolution("conv2d", x, weight, bias, opts, false);
}

/**
 * relu(conv2d(x, weight, bias, opts)) as one native call: the bias and ReLU are applied to each block of output
 * inside the convolution kernel, and the backward masks the gradient and sums the bias gradient in one pass.
 * Values and gradients equal the two ops run apart up to float rounding. Not exported on `tg`: `nn.Conv2d`
 * followed by `nn.ReLU` in a `Sequential` is the public way in (Conv2d.fuseWith). Shapes and errors as conv2d.
 */
export function conv2dRelu(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions): Tensor {
  return convolution("conv2d", x, weight, bias, opts, true);
}

function convolution(op: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: Conv2dOptions, relu: boolean): Tensor {
  const o = options(op, opts, ["stride", "padding", "dilation", "groups"]);
  const b = bias ?? null;
  floatOperands(op, [x, weight, b], ["input", "weight", "bias"]);
  need4d(op, x, "input", "[N, C, H, W]");
  need4d(op, weight, "weight", "[outChannels, inChannels / groups, kH, kW]");
  const stride = pair(o.stride ?? 1, "stride", op, 1), dil = pair(o.dilation ?? 1, "dilation", op, 1);
  const groups = positiveInt(o.groups ?? 1, "groups", op);
  const [N, C, H, W] = x.shape, [O, Cg, KH, KW] = weight.shape;
  if (C % groups !== 0 || O % groups !== 0)
    throw new Error(`${op}: groups=${groups} must divide both the input channels (${C}) and the output channels (${O}); ` +
      `input ${fmt(x.shape)}, weight ${fmt(weight.shape)}`);
  if (Cg * groups !== C)
    throw new Error(`${op}: input ${fmt(x.shape)} has ${C} channel${C === 1 ? "" : "s"} but weight ${fmt(weight.shape)} with groups=${groups} ` +
      `expects ${Cg * groups} (weight.shape[1] · groups)`);
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== O))
    throw new Error(`${op}: bias must have shape [${O}] (one per output channel of weight ${fmt(weight.shape)}), got ${fmt(b.shape)}`);
  // Total padding per dim, and the top/left part of it (the bottom/right part is implied by the output size).
  let padTotal: [number, number], pad: [number, number];
  if (o.padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${op}: padding "same" needs stride 1, got stride [${stride.join(", ")}]`);
    padTotal = [dil[0] * (KH - 1), dil[1] * (KW - 1)];
    pad = [Math.floor(padTotal[0] / 2), Math.floor(padTotal[1] / 2)];
  } else {
    pad = o.padding === "valid" ? [0, 0] : pair(o.padding ?? 0, "padding", op, 0);
    padTotal = [2 * pad[0], 2 * pad[1]];
  }
  const OH = outSize(op, "height", H, padTotal[0], KH, stride[0], dil[0]);
  const OW = outSize(op, "width", W, padTotal[1], KW, stride[1], dil[1]);
  const g: Geom = { n: N, c: C, h: H, w: W, o: O, kh: KH, kw: KW, oh: OH, ow: OW, stride, pad, dil, groups };
  const xd = dense(x), wd = dense(weight);
  const out = Tensor.output([N, O, OH, OW], x.dtype);
  native.conv2d(xd.storage, wd.storage, b ? dense(b).storage : null, out.storage, spec(g), relu);
  const ctx: ConvCtx = { g, x: weight.requiresGrad ? xd : null, w: x.requiresGrad ? wd : null, bias: !!b?.requiresGrad, y: relu ? out : null };
  return recordLayer(relu ? "ConvolutionReluBackward0" : "ConvolutionBackward0", out, [x, weight, b], ctx, convRule,
    [copyOf(xd, x), copyOf(wd, weight)]);
}

// What a convolution's rule reads: its geometry, x (for dW) and W (for dx), each kept only when needed.
interface ConvCtx {
  g: Geom;
  x: Tensor | null;
  w: Tensor | null;
  bias: boolean;  // whether the bias needs a gradient
  y: Tensor | null;  // the output, where the layer applied ReLU
}

function convRule(c: ConvCtx, grad: Tensor): (Tensor | null)[] {
  if (c.y) return convReluRule(c, grad);
  const gd = dense(grad);
  return [
    c.w ? convInputGrad(c.g, gd, c.w, grad.dtype) : null,
    c.x ? convWeightGrad(c.g, c.x, gd) : null,
    c.bias ? sum(grad, [0, 2, 3]) : null,
  ];
}

// The fused conv → ReLU layer: g' (g masked by y > 0) and db from one native pass, then dx and dW from g'.
function convReluRule(c: ConvCtx, grad: Tensor): (Tensor | null)[] {
  const { n, o, oh, ow } = c.g;
  const gd = dense(grad);
  const gp = Tensor.output([n, o, oh, ow], grad.dtype), db = c.bias ? Tensor.output([o], grad.dtype) : null;
  native.convReluBiasBackward(c.y!.storage, gd.storage, gp.storage, db && db.storage, n, o, oh * ow);
  const grads = [c.w ? convInputGrad(c.g, gp, c.w, grad.dtype) : null, c.x ? convWeightGrad(c.g, c.x, gp) : null, db];
  gp.dispose();  // this rule's own temporary: its memory goes back to the cache now
  return grads;
}

// dx of a convolution with geometry g, from its output gradient gd: [n, c, h, w].
function convInputGrad(g: Geom, gd: Tensor, wd: Tensor, dtype: Tensor["dtype"]): Tensor {
  const dx = Tensor.output([g.n, g.c, g.h, g.w], dtype);
  native.conv2dBackwardInput(gd.storage, wd.storage, dx.storage, spec(g));
  return dx;
}

// dW [o, c / groups, kh, kw] of a convolution with geometry g, from its input xd and output gradient gd.
function convWeightGrad(g: Geom, xd: Tensor, gd: Tensor): Tensor {
  const dw = Tensor.output([g.o, g.c / g.groups, g.kh, g.kw], xd.dtype);
  native.conv2dBackwardWeight(xd.storage, gd.storage, dw.storage, spec(g));
  return dw;
}

// ---- conv1d ----

/**
 * 1-D convolution, as `torch.nn.functional.conv1d`: conv2d on a height-1 image.
 * @param x input `[N, C, L]`; @param weight `[O, C / groups, K]`; @param bias `[O]` or `null`.
 * @param opts `stride`, `padding` (number, `"same"` or `"valid"`), `dilation`, `groups`, as numbers.
 * @returns `[N, O, L_out]`, `L_out = ⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1`.
 * @throws as {@link conv2d}, naming conv1d and 3-D shapes.
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  refuseSurplus(conv1d, arguments.length, opts);
  const op = "conv1d";
  const o = options(op, opts, ["stride", "padding", "dilation", "groups"]);
  floatOperands(op, [x, weight, bias ?? null], ["input", "weight", "bias"]);
  if (x.ndim !== 3) throw new Error(`${op}: expected a 3-D input [N, C, L], got shape ${fmt(x.shape)}`);
  if (weight.ndim !== 3) throw new Error(`${op}: expected a 3-D weight [outChannels, inChannels / groups, k], got shape ${fmt(weight.shape)}`);
  const one = (v: unknown, name: string, min: number) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new RangeError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
    return [1, v] as [number, number];
  };
  const padding = o.padding === "same" || o.padding === "valid" ? o.padding : ([0, one(o.padding ?? 0, "padding", 0)[1]] as [number, number]);
  const y = convolution(op, unsqueeze(x, 2), unsqueeze(weight, 2), bias, {
    stride: one(o.stride ?? 1, "stride", 1), padding, dilation: one(o.dilation ?? 1, "dilation", 1), groups: o.groups ?? 1,
  }, false);
  return squeeze(y, 2);
}

// ---- convTranspose2d ----

/**
 * 2-D transposed convolution (the gradient of conv2d w.r.t. its input), as `torch.nn.functional.conv_transpose2d`.
 * @param x input `[N, C, H, W]`, float32 or float64.
 * @param weight `[C, O / groups, KH, KW]` (note: input channels first, as PyTorch).
 * @param bias `[O]` or `null`.
 * @param opts `stride` (≥ 1), `padding` (≥ 0), `outputPadding` (≥ 0, smaller than stride or dilation), `groups`,
 *   `dilation` (≥ 1); sizes take a number or `[h, w]`.
 * @returns `[N, O, OH, OW]`, `OH = (H − 1)·strideH − 2·padH + dilH·(KH − 1) + outputPadH + 1`.
 * @throws as {@link conv2d}: TypeError for int32 or mixed dtypes; Error naming the op, shapes and argument for
 *   non-4-D operands, channel or groups mismatch, an output size below 1, outputPadding too large.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  refuseSurplus(convTranspose2d, arguments.length, opts);
  const op = "convTranspose2d";
  const o = options(op, opts, ["stride", "padding", "outputPadding", "groups", "dilation"]);
  const b = bias ?? null;
  floatOperands(op, [x, weight, b], ["input", "weight", "bias"]);
  need4d(op, x, "input", "[N, C, H, W]");
  need4d(op, weight, "weight", "[inChannels, outChannels / groups, kH, kW]");
  const stride = pair(o.stride ?? 1, "stride", op, 1), dil = pair(o.dilation ?? 1, "dilation", op, 1);
  const pad = pair(o.padding ?? 0, "padding", op, 0), outPad = pair(o.outputPadding ?? 0, "outputPadding", op, 0);
  const groups = positiveInt(o.groups ?? 1, "groups", op);
  const [N, C, H, W] = x.shape, [Cw, Og, KH, KW] = weight.shape, O = Og * groups;
  if (C % groups !== 0)
    throw new Error(`${op}: groups=${groups} must divide the input channels (${C}); input ${fmt(x.shape)}, weight ${fmt(weight.shape)}`);
  if (Cw !== C)
    throw new Error(`${op}: input ${fmt(x.shape)} has ${C} channel${C === 1 ? "" : "s"} but weight ${fmt(weight.shape)} expects ${Cw} (weight.shape[0])`);
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== O))
    throw new Error(`${op}: bias must have shape [${O}] (weight.shape[1] · groups), got ${fmt(b.shape)}`);
  for (const i of [0, 1])
    if (outPad[i] >= Math.max(stride[i], dil[i]))
      throw new RangeError(`${op}: outputPadding [${outPad.join(", ")}] must be smaller than stride [${stride.join(", ")}] or dilation [${dil.join(", ")}]`);
  const OH = (H - 1) * stride[0] - 2 * pad[0] + dil[0] * (KH - 1) + outPad[0] + 1;
  const OW = (W - 1) * stride[1] - 2 * pad[1] + dil[1] * (KW - 1) + outPad[1] + 1;
  if (OH < 1 || OW < 1)
    throw new Error(`${op}: the output size [${OH}, ${OW}] is too small for input ${fmt(x.shape)}, kernel [${KH}, ${KW}] and padding [${pad.join(", ")}]`);
  // The conv2d whose input gradient this is: input = our output [N, O, OH, OW], output = our input.
  const g: Geom = { n: N, c: O, h: OH, w: OW, o: C, kh: KH, kw: KW, oh: H, ow: W, stride, pad, dil, groups };
  const xd = dense(x), wd = dense(weight);
  const out = convInputGrad(g, xd, wd, x.dtype);
  const ctx: ConvCtx = { g, x: weight.requiresGrad ? xd : null, w: x.requiresGrad ? wd : null, bias: false, y: null };
  const y = recordLayer("ConvolutionBackward0", out, [x, weight], ctx, convTransposeRule);
  return b ? add(y, reshape(b, [1, O, 1, 1])) : y;
}

// dx = conv(g, W) and dW = corr(g, x) of the transposed convolution whose adjoint conv2d has geometry c.g.
function convTransposeRule(c: ConvCtx, grad: Tensor): (Tensor | null)[] {
  const gd = dense(grad);
  let dx: Tensor | null = null;
  if (c.w) {
    dx = Tensor.output([c.g.n, c.g.o, c.g.oh, c.g.ow], grad.dtype);
    native.conv2d(gd.storage, c.w.storage, null, dx.storage, spec(c.g), false);
  }
  return [dx, c.x ? convWeightGrad(c.g, gd, c.x) : null];
}

// ---- unfold / fold ----

function unfoldGeom(op: string, n: number, c: number, size: [number, number], kernel: [number, number], o: Partial<UnfoldOptions>): Geom {
  const stride = pair(o.stride ?? 1, "stride", op, 1), dil = pair(o.dilation ?? 1, "dilation", op, 1), pad = pair(o.padding ?? 0, "padding", op, 0);
  const oh = outSize(op, "height", size[0], 2 * pad[0], kernel[0], stride[0], dil[0]);
  const ow = outSize(op, "width", size[1], 2 * pad[1], kernel[1], stride[1], dil[1]);
  return { n, c, h: size[0], w: size[1], o: c, kh: kernel[0], kw: kernel[1], oh, ow, stride, pad, dil, groups: 1 };
}

function im2col(g: Geom, xd: Tensor): Tensor {
  const col = Tensor.output([g.n, g.c * g.kh * g.kw, g.oh * g.ow], xd.dtype);
  native.unfold(xd.storage, col.storage, spec(g));
  return col;
}

function col2im(g: Geom, cd: Tensor): Tensor {
  const x = Tensor.output([g.n, g.c, g.h, g.w], cd.dtype);
  native.fold(cd.storage, x.storage, spec(g));
  return x;
}

/**
 * Extracts sliding local blocks (im2col), as `torch.nn.functional.unfold`.
 * @param x `[N, C, H, W]`, float32 or float64. @param kernelSize a number or `[kh, kw]`.
 * @param opts `dilation` (≥ 1), `padding` (≥ 0), `stride` (≥ 1).
 * @returns `[N, C·kh·kw, L]` with L the number of block positions (row-major over the output grid); rows run
 *   over (channel, kernel row, kernel column). Zero where a block reads padding.
 * @throws TypeError for int32; Error for a non-4-D input or a kernel larger than the padded input.
 */
export function unfold(x: Tensor, kernelSize: Size, opts: UnfoldOptions = {}): Tensor {
  refuseSurplus(unfold, arguments.length, opts);
  const op = "unfold";
  const o = options(op, opts, ["dilation", "padding", "stride"]);
  floatOperands(op, [x], ["input"]);
  need4d(op, x, "input", "[N, C, H, W]");
  const g = unfoldGeom(op, x.shape[0], x.shape[1], [x.shape[2], x.shape[3]], pair(kernelSize, "kernelSize", op, 1), o);
  return recordLayer("Im2ColBackward0", im2col(g, dense(x)), [x], { g }, (c, grad) => [col2im(c.g, dense(grad))]);
}

/**
 * Sums sliding local blocks back into images (col2im), the adjoint of {@link unfold}, as `torch.nn.functional.fold`.
 * @param x `[N, C·kh·kw, L]`. @param outputSize `[H, W]` (or a number). @param kernelSize a number or `[kh, kw]`.
 * @param opts `dilation`, `padding`, `stride` as for unfold.
 * @returns `[N, C, H, W]`; overlapping blocks add up.
 * @throws TypeError for int32; Error when `x` is not 3-D, its dim 1 is not divisible by kh·kw, or L is not the
 *   number of blocks the sizes give.
 */
export function fold(x: Tensor, outputSize: Size, kernelSize: Size, opts: UnfoldOptions = {}): Tensor {
  refuseSurplus(fold, arguments.length, opts);
  const op = "fold";
  const o = options(op, opts, ["dilation", "padding", "stride"]);
  floatOperands(op, [x], ["input"]);
  if (x.ndim !== 3) throw new Error(`${op}: expected a 3-D input [N, C·kh·kw, L], got shape ${fmt(x.shape)}`);
  const kernel = pair(kernelSize, "kernelSize", op, 1), size = pair(outputSize, "outputSize", op, 1);
  const taps = kernel[0] * kernel[1];
  if (x.shape[1] % taps !== 0)
    throw new Error(`${op}: input ${fmt(x.shape)} dim 1 must be divisible by kh·kw = ${taps} (kernelSize [${kernel.join(", ")}])`);
  const g = unfoldGeom(op, x.shape[0], x.shape[1] / taps, size, kernel, o);
  if (x.shape[2] !== g.oh * g.ow)
    throw new Error(`${op}: input ${fmt(x.shape)} has ${x.shape[2]} blocks but outputSize [${size.join(", ")}], kernelSize ` +
      `[${kernel.join(", ")}] and the options give ${g.oh} × ${g.ow} = ${g.oh * g.ow}`);
  return recordLayer("Col2ImBackward0", col2im(g, dense(x)), [x], { g }, (c, grad) => [im2col(c.g, dense(grad))]);
}
