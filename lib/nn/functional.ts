// tg.nn.functional: stateless forms of the layers and every loss.
import { linearChecked } from "../ops/fused.js";
import type { Tensor } from "../tensor.js";
import { matmul } from "../ops/linalg.js";
import { add } from "../ops/elementwise.js";
import { transpose } from "../ops/views.js";
import { fmt } from "../shape.js";
import { checkTensor } from "../ops/check.js";

export { relu, leakyRelu, elu, gelu, sigmoid, tanh } from "../ops/elementwise.js";
export { softplus, silu, mish, hardtanh, logSigmoid, softsign } from "../ops/elementwise.js";
export { softmax, logSoftmax } from "../ops/softmax.js";
export { conv2d, conv1d, convTranspose2d, unfold, fold } from "../ops/conv.js";
export type { Conv2dOptions, Conv1dOptions, ConvTranspose2dOptions, UnfoldOptions, Padding } from "../ops/conv.js";
export {
  crossEntropy, nllLoss, mseLoss, l1Loss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  multiMarginLoss,
} from "../ops/loss.js";
export type {
  Reduction, ReductionOptions, CrossEntropyOptions, NllLossOptions, HuberLossOptions, SmoothL1LossOptions, BceOptions,
  BceWithLogitsOptions, MultiMarginLossOptions,
} from "../ops/loss.js";
import { refuseSurplus } from "../arity.js";

export { maxPool2d, avgPool2d, adaptiveAvgPool2d, adaptiveMaxPool2d } from "../ops/pool.js";
export type { Size2, AdaptiveSize, MaxPool2dOptions, AvgPool2dOptions } from "../ops/pool.js";
export { batchNorm, type BatchNormOptions } from "../ops/batch-norm.js";
export { layerNorm, groupNorm, type NormOptions } from "../ops/group-norm.js";
export { localResponseNorm, type LocalResponseNormOptions } from "../ops/local-response-norm.js";
export { dropout, dropout2d, type DropoutOptions } from "../ops/dropout.js";
export { embedding, type EmbeddingOptions } from "../ops/embedding.js";
export { pad, type PadMode, type PadOptions } from "../ops/pad.js";
export { flatten } from "../ops/views.js";
export { oneHot } from "../ops/one-hot.js";
export { normalize } from "../ops/norm.js";
export { cosineEmbeddingLoss, marginRankingLoss, hingeEmbeddingLoss, type MarginLossOptions } from "../ops/contrastive-loss.js";

/**
 * x·Wᵀ + b. Mirrors `torch.nn.functional.linear`.
 * @param x - `[..., in]`, float32 or float64.
 * @param weight - `[out, in]`, the input's dtype.
 * @param bias - `[out]`, or absent (null or undefined).
 * @returns `[..., out]`.
 * @throws TypeError when input or weight is not a Tensor (or bias neither a Tensor nor absent), for int32 or mixed input/weight dtypes; Error naming the shapes when weight is not 2-D or the feature sizes disagree.
 *
 * A 2-D input takes the fused native op
 * (bias rows written into the output, then one GEMM); others read Wᵀ as a strided view the GEMM
 * takes with a transpose flag, never a copy.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  refuseSurplus(linear, arguments.length);
  checkTensor(x, "linear", "input"), checkTensor(weight, "linear", "weight");
  if (bias != null) checkTensor(bias, "linear", "bias");
  if (x.dtype !== weight.dtype || x.dtype === "int32")
    throw new TypeError(`linear: expected float32 or float64 input and weight of one dtype, got input ${x.dtype}, weight ${weight.dtype}; convert with .float() or .double()`);
  if (weight.ndim !== 2) throw new Error(`linear: weight must be [out, in], got shape ${fmt(weight.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1])
    throw new Error(`linear: input of shape ${fmt(x.shape)} does not match weight of shape ${fmt(weight.shape)} (last input dim must be ${weight.shape[1]})`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]))
    throw new Error(`linear: bias must have shape [${weight.shape[0]}], got ${fmt(bias.shape)}`);
  if (x.ndim === 2 && x.dtype === weight.dtype && (!bias || bias.dtype === x.dtype)) return linearChecked(x, weight, bias ?? undefined, false);
  const y = matmul(x, transpose(weight, 0, 1));
  return bias ? add(y, bias) : y;
}
