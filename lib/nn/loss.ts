// Loss modules: hold the options of the matching tg.nn.functional loss; forward(input, target).
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import * as C from "../ops/contrastive-loss.js";
import { Module } from "./module.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

// Every loss module has one shape: its options are checked when it is made and passed to the
// functional loss on each forward(...tensors), so each class below is its name, keys and function.
/** A loss module: the options of its functional loss, and forward(...tensors) computing it. */
export interface LossModule<A extends Tensor[], O> extends Module {
  /** The options given when the module was made (checked then), passed to the functional loss. */
  readonly opts: O;
  forward(...args: A): Tensor;
}
function lossModule<A extends Tensor[], O extends object>(name: string, keys: readonly (keyof O & string)[],
  loss: (...args: [...A, O?]) => Tensor): new (opts?: O) => LossModule<A, O> {
  return class LossModule extends Module {
    constructor(readonly opts: O = {} as O) {
      refuseSurplus(LossModule, arguments.length, opts, name);
      super();
      options(name, opts, keys);
    }
    forward(...args: A): Tensor { return loss(...args, this.opts); }
  };
}

/**
 * Cross-entropy between logits `[N, C]` (or `[C]`) and int32 class indices `[N]`; holds the options of
 * {@link crossEntropy} (`reduction`, `ignoreIndex`, `labelSmoothing`). Mirrors `torch.nn.CrossEntropyLoss`.
 * @throws Error for an unknown option key (naming the closest one); the errors of `crossEntropy` on forward.
 */
export class CrossEntropyLoss extends lossModule("CrossEntropyLoss", L.LOSS_OPTIONS.crossEntropy, L.crossEntropy) {}
/**
 * Negative log-likelihood of int32 class indices `[N]` given log-probabilities `[N, C]`; options
 * `reduction`, `ignoreIndex`. Mirrors `torch.nn.NLLLoss`.
 * @throws Error for an unknown option key; the errors of `nllLoss` on forward.
 */
export class NLLLoss extends lossModule("NLLLoss", L.LOSS_OPTIONS.nllLoss, L.nllLoss) {}
/**
 * Mean squared error between two float tensors of the same shape; option `reduction`. Mirrors `torch.nn.MSELoss`.
 * @throws Error for an unknown option key; the errors of `mseLoss` on forward.
 */
export class MSELoss extends lossModule("MSELoss", L.LOSS_OPTIONS.mseLoss, L.mseLoss) {}
/**
 * Mean absolute error between two float tensors of the same shape; option `reduction`. Mirrors `torch.nn.L1Loss`.
 * @throws Error for an unknown option key; the errors of `l1Loss` on forward.
 */
export class L1Loss extends lossModule("L1Loss", L.LOSS_OPTIONS.l1Loss, L.l1Loss) {}
/**
 * Huber loss between two float tensors of the same shape; options `reduction`, `delta`. Mirrors `torch.nn.HuberLoss`.
 * @throws Error for an unknown option key; the errors of `huberLoss` on forward.
 */
export class HuberLoss extends lossModule("HuberLoss", L.LOSS_OPTIONS.huberLoss, L.huberLoss) {}
/**
 * Smooth L1 loss between two float tensors of the same shape; options `reduction`, `beta`. Mirrors
 * `torch.nn.SmoothL1Loss`.
 * @throws Error for an unknown option key; the errors of `smoothL1Loss` on forward.
 */
export class SmoothL1Loss extends lossModule("SmoothL1Loss", L.LOSS_OPTIONS.smoothL1Loss, L.smoothL1Loss) {}
/**
 * Binary cross-entropy of probabilities in [0, 1] against targets of the same shape; options `reduction`,
 * `weight`. Mirrors `torch.nn.BCELoss`.
 * @throws Error for an unknown option key; the errors of `binaryCrossEntropy` on forward.
 */
export class BCELoss extends lossModule("BCELoss", L.LOSS_OPTIONS.binaryCrossEntropy, L.binaryCrossEntropy) {}
/**
 * Binary cross-entropy on logits (numerically stable); options `reduction`, `weight`, `posWeight`. Mirrors
 * `torch.nn.BCEWithLogitsLoss`.
 * @throws Error for an unknown option key; the errors of `binaryCrossEntropyWithLogits` on forward.
 */
export class BCEWithLogitsLoss extends lossModule("BCEWithLogitsLoss", L.LOSS_OPTIONS.binaryCrossEntropyWithLogits, L.binaryCrossEntropyWithLogits) {}
/**
 * Multi-class hinge loss of logits `[N, C]` against int32 class indices `[N]`; options `reduction`, `p`,
 * `margin`, `weight`. Mirrors `torch.nn.MultiMarginLoss`.
 * @throws Error for an unknown option key; the errors of `multiMarginLoss` on forward.
 */
export class MultiMarginLoss extends lossModule("MultiMarginLoss", L.LOSS_OPTIONS.multiMarginLoss, L.multiMarginLoss) {}
/**
 * Cosine embedding loss of two `[N, D]` inputs and `[N]` targets of ±1; options `margin` (default 0),
 * `reduction`. Mirrors `torch.nn.CosineEmbeddingLoss`.
 * @throws Error for an unknown option key; the errors of `cosineEmbeddingLoss` on forward.
 */
export class CosineEmbeddingLoss extends lossModule("CosineEmbeddingLoss", ["margin", "reduction"], C.cosineEmbeddingLoss) {}
/**
 * Margin ranking loss max(0, −y·(x1 − x2) + margin) of two same-shape inputs and targets of ±1; options
 * `margin` (default 0), `reduction`. Mirrors `torch.nn.MarginRankingLoss`.
 * @throws Error for an unknown option key; the errors of `marginRankingLoss` on forward.
 */
export class MarginRankingLoss extends lossModule("MarginRankingLoss", ["margin", "reduction"], C.marginRankingLoss) {}
/**
 * Hinge embedding loss of an input (e.g. distances) and targets of ±1: x where y = 1, max(0, margin − x)
 * where y = −1; options `margin` (default 1), `reduction`. Mirrors `torch.nn.HingeEmbeddingLoss`.
 * @throws Error for an unknown option key; the errors of `hingeEmbeddingLoss` on forward.
 */
export class HingeEmbeddingLoss extends lossModule("HingeEmbeddingLoss", ["margin", "reduction"], C.hingeEmbeddingLoss) {}
