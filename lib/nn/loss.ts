// Loss modules: hold the options of the matching tg.nn.functional loss; forward(input, target).
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import * as C from "../ops/contrastive-loss.js";
import { Module } from "./module.js";
import { options } from "../options.js";

/**
 * Cross-entropy between logits `[N, C]` (or `[C]`) and int32 class indices `[N]`; holds the options of
 * {@link crossEntropy} (`reduction`, `ignoreIndex`, `labelSmoothing`). Mirrors `torch.nn.CrossEntropyLoss`.
 * @throws Error for an unknown option key (naming the closest one); the errors of `crossEntropy` on forward.
 */
export class CrossEntropyLoss extends Module {
  constructor(readonly opts: L.CrossEntropyOptions = {}) {
    super();
    options("CrossEntropyLoss", opts, L.LOSS_OPTIONS.crossEntropy);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.crossEntropy(input, target, this.opts); }
}
/**
 * Negative log-likelihood of int32 class indices `[N]` given log-probabilities `[N, C]`; options
 * `reduction`, `ignoreIndex`. Mirrors `torch.nn.NLLLoss`.
 * @throws Error for an unknown option key; the errors of `nllLoss` on forward.
 */
export class NLLLoss extends Module {
  constructor(readonly opts: L.NllLossOptions = {}) {
    super();
    options("NLLLoss", opts, L.LOSS_OPTIONS.nllLoss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.nllLoss(input, target, this.opts); }
}
/**
 * Mean squared error between two float tensors of the same shape; option `reduction`. Mirrors `torch.nn.MSELoss`.
 * @throws Error for an unknown option key; the errors of `mseLoss` on forward.
 */
export class MSELoss extends Module {
  constructor(readonly opts: L.ReductionOptions = {}) {
    super();
    options("MSELoss", opts, L.LOSS_OPTIONS.mseLoss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, this.opts); }
}
/**
 * Mean absolute error between two float tensors of the same shape; option `reduction`. Mirrors `torch.nn.L1Loss`.
 * @throws Error for an unknown option key; the errors of `l1Loss` on forward.
 */
export class L1Loss extends Module {
  constructor(readonly opts: L.ReductionOptions = {}) {
    super();
    options("L1Loss", opts, L.LOSS_OPTIONS.l1Loss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, this.opts); }
}
/**
 * Huber loss between two float tensors of the same shape; options `reduction`, `delta`. Mirrors `torch.nn.HuberLoss`.
 * @throws Error for an unknown option key; the errors of `huberLoss` on forward.
 */
export class HuberLoss extends Module {
  constructor(readonly opts: L.HuberLossOptions = {}) {
    super();
    options("HuberLoss", opts, L.LOSS_OPTIONS.huberLoss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, this.opts); }
}
/**
 * Smooth L1 loss between two float tensors of the same shape; options `reduction`, `beta`. Mirrors
 * `torch.nn.SmoothL1Loss`.
 * @throws Error for an unknown option key; the errors of `smoothL1Loss` on forward.
 */
export class SmoothL1Loss extends Module {
  constructor(readonly opts: L.SmoothL1LossOptions = {}) {
    super();
    options("SmoothL1Loss", opts, L.LOSS_OPTIONS.smoothL1Loss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, this.opts); }
}
/**
 * Binary cross-entropy of probabilities in [0, 1] against targets of the same shape; options `reduction`,
 * `weight`. Mirrors `torch.nn.BCELoss`.
 * @throws Error for an unknown option key; the errors of `binaryCrossEntropy` on forward.
 */
export class BCELoss extends Module {
  constructor(readonly opts: L.BceOptions = {}) {
    super();
    options("BCELoss", opts, L.LOSS_OPTIONS.binaryCrossEntropy);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.binaryCrossEntropy(input, target, this.opts); }
}
/**
 * Binary cross-entropy on logits (numerically stable); options `reduction`, `weight`, `posWeight`. Mirrors
 * `torch.nn.BCEWithLogitsLoss`.
 * @throws Error for an unknown option key; the errors of `binaryCrossEntropyWithLogits` on forward.
 */
export class BCEWithLogitsLoss extends Module {
  constructor(readonly opts: L.BceWithLogitsOptions = {}) {
    super();
    options("BCEWithLogitsLoss", opts, L.LOSS_OPTIONS.binaryCrossEntropyWithLogits);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.binaryCrossEntropyWithLogits(input, target, this.opts); }
}
/**
 * Multi-class hinge loss of logits `[N, C]` against int32 class indices `[N]`; options `reduction`, `p`,
 * `margin`, `weight`. Mirrors `torch.nn.MultiMarginLoss`.
 * @throws Error for an unknown option key; the errors of `multiMarginLoss` on forward.
 */
export class MultiMarginLoss extends Module {
  constructor(readonly opts: L.MultiMarginLossOptions = {}) {
    super();
    options("MultiMarginLoss", opts, L.LOSS_OPTIONS.multiMarginLoss);
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.multiMarginLoss(input, target, this.opts); }
}
/**
 * Cosine embedding loss of two `[N, D]` inputs and `[N]` targets of ±1; options `margin` (default 0),
 * `reduction`. Mirrors `torch.nn.CosineEmbeddingLoss`.
 * @throws Error for an unknown option key; the errors of `cosineEmbeddingLoss` on forward.
 */
export class CosineEmbeddingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("CosineEmbeddingLoss", opts, ["margin", "reduction"]); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return C.cosineEmbeddingLoss(input1, input2, target, this.opts); }
}
/**
 * Margin ranking loss max(0, −y·(x1 − x2) + margin) of two same-shape inputs and targets of ±1; options
 * `margin` (default 0), `reduction`. Mirrors `torch.nn.MarginRankingLoss`.
 * @throws Error for an unknown option key; the errors of `marginRankingLoss` on forward.
 */
export class MarginRankingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("MarginRankingLoss", opts, ["margin", "reduction"]); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return C.marginRankingLoss(input1, input2, target, this.opts); }
}
/**
 * Hinge embedding loss of an input (e.g. distances) and targets of ±1: x where y = 1, max(0, margin − x)
 * where y = −1; options `margin` (default 1), `reduction`. Mirrors `torch.nn.HingeEmbeddingLoss`.
 * @throws Error for an unknown option key; the errors of `hingeEmbeddingLoss` on forward.
 */
export class HingeEmbeddingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("HingeEmbeddingLoss", opts, ["margin", "reduction"]); }
  forward(input: Tensor, target: Tensor): Tensor { return C.hingeEmbeddingLoss(input, target, this.opts); }
}
