// Weights after 5 steps on a quadratic loss equal PyTorch 1.13's (reference.ts) to float32 precision.
import { describe, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";
import { expectClose, startParam, train } from "./helpers.js";

const { SGD, Adam, AdamW, RMSprop, Adagrad } = tg.optim;
type Make = (p: tg.Tensor) => tg.optim.Optimizer<any>;

// Each label names a case in gen-reference.py; the options are the same ones in camelCase.
const CASES: Record<string, Record<string, Make>> = {
  SGD: {
    plain: (p) => new SGD([p], { lr: 0.1 }),
    momentum: (p) => new SGD([p], { lr: 0.1, momentum: 0.9 }),
    dampening: (p) => new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }),
    nesterov: (p) => new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }),
    weightDecay: (p) => new SGD([p], { lr: 0.1, momentum: 0.9, weightDecay: 0.1 }),
    maximize: (p) => new SGD([p], { lr: 0.05, momentum: 0.5, weightDecay: 0.1, maximize: true }),
  },
  Adam: {
    "defaults lr 0.1": (p) => new Adam([p], { lr: 0.1 }),
    weightDecay: (p) => new Adam([p], { lr: 0.1, weightDecay: 0.1 }),
    amsgrad: (p) => new Adam([p], { lr: 0.1, betas: [0.9, 0.5], amsgrad: true }),
    "small beta2": (p) => new Adam([p], { lr: 0.1, betas: [0.9, 0.5] }),
    maximize: (p) => new Adam([p], { lr: 0.1, maximize: true }),
    "betas eps": (p) => new Adam([p], { lr: 0.05, betas: [0.8, 0.9], eps: 1e-3 }),
  },
  AdamW: {
    "defaults lr 0.1": (p) => new AdamW([p], { lr: 0.1 }),
    "weightDecay amsgrad": (p) => new AdamW([p], { lr: 0.1, weightDecay: 0.1, amsgrad: true }),
    maximize: (p) => new AdamW([p], { lr: 0.1, weightDecay: 0.5, maximize: true }),
  },
  RMSprop: {
    defaults: (p) => new RMSprop([p]),
    centered: (p) => new RMSprop([p], { centered: true }),
    momentum: (p) => new RMSprop([p], { momentum: 0.9 }),
    "centered momentum weightDecay": (p) =>
      new RMSprop([p], { lr: 0.02, alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.1 }),
    maximize: (p) => new RMSprop([p], { lr: 0.01, maximize: true, eps: 1e-4 }),
  },
  Adagrad: {
    "lr 0.1": (p) => new Adagrad([p], { lr: 0.1 }),
    lrDecay: (p) => new Adagrad([p], { lr: 0.1, lrDecay: 0.1 }),
    "weightDecay initialAccumulatorValue": (p) => new Adagrad([p], { lr: 0.1, weightDecay: 0.1, initialAccumulatorValue: 0.5 }),
    "maximize eps": (p) => new Adagrad([p], { lr: 0.1, maximize: true, eps: 1e-2 }),
  },
};

for (const [optName, cases] of Object.entries(CASES)) {
  describe(`${optName} matches PyTorch 1.13 after 5 steps (float32)`, () => {
    const refs = REF[optName as keyof typeof REF] as Record<string, readonly number[]>;
    it("covers every reference case", () => {
      expectClose([Object.keys(cases).length], [Object.keys(refs).length]);
    });
    for (const [label, make] of Object.entries(cases))
      it(label, () => {
        const p = startParam();
        expectClose(train(make(p), p), refs[label]);
      });
  });
}

describe("float64 matches PyTorch 1.13 to double precision", () => {
  it("Adam with amsgrad and weight decay", () => {
    const p = startParam("float64");
    expectClose(train(new Adam([p], { lr: 0.1, amsgrad: true, weightDecay: 0.1 }), p), REF["Adam float64"], 1e-12);
  });
  it("SGD Nesterov with weight decay", () => {
    const p = startParam("float64");
    expectClose(train(new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), p), REF["SGD float64"], 1e-12);
  });
});
