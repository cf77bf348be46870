// Loss modules: hold the options of the matching tg.nn.functional loss; forward(input, target).
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import * as C from "../ops/contrastive-loss.js";
import { Module } from "./module.js";
import { options } from "../options.js";

export class CrossEntropyLoss extends Module {
  constructor(readonly opts: L.CrossEntropyOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.crossEntropy(input, target, this.opts); }
}
export class NLLLoss extends Module {
  constructor(readonly opts: L.NllLossOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.nllLoss(input, target, this.opts); }
}
export class MSELoss extends Module {
  constructor(readonly opts: L.ReductionOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, this.opts); }
}
export class L1Loss extends Module {
  constructor(readonly opts: L.ReductionOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, this.opts); }
}
export class HuberLoss extends Module {
  constructor(readonly opts: L.HuberLossOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, this.opts); }
}
export class SmoothL1Loss extends Module {
  constructor(readonly opts: L.SmoothL1LossOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, this.opts); }
}
export class BCELoss extends Module {
  constructor(readonly opts: L.BceOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.binaryCrossEntropy(input, target, this.opts); }
}
export class BCEWithLogitsLoss extends Module {
  constructor(readonly opts: L.BceWithLogitsOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.binaryCrossEntropyWithLogits(input, target, this.opts); }
}
export class MultiMarginLoss extends Module {
  constructor(readonly opts: L.MultiMarginLossOptions = {}) { super(); }
  forward(input: Tensor, target: Tensor): Tensor { return L.multiMarginLoss(input, target, this.opts); }
}
export class CosineEmbeddingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("CosineEmbeddingLoss", opts, ["margin", "reduction"]); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return C.cosineEmbeddingLoss(input1, input2, target, this.opts); }
}
export class MarginRankingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("MarginRankingLoss", opts, ["margin", "reduction"]); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return C.marginRankingLoss(input1, input2, target, this.opts); }
}
export class HingeEmbeddingLoss extends Module {
  constructor(readonly opts: C.MarginLossOptions = {}) { super(); options("HingeEmbeddingLoss", opts, ["margin", "reduction"]); }
  forward(input: Tensor, target: Tensor): Tensor { return C.hingeEmbeddingLoss(input, target, this.opts); }
}
