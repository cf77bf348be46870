// Learning-rate schedulers: the lr sequences equal PyTorch 1.13's (reference.ts).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";
import { expectClose } from "./helpers.js";

const { StepLR, CosineAnnealingLR } = tg.optim.lrScheduler;

function lrs(make: (o: tg.optim.SGD) => tg.optim.lrScheduler.LRScheduler, n: number): number[] {
  const opt = new tg.optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.5 });
  const s = make(opt);
  const out: number[] = [];
  for (let i = 0; i < n; ++i) {
    out.push(opt.paramGroups[0].lr);
    opt.step();
    s.step();
  }
  return out;
}

describe("lrScheduler", () => {
  it("StepLR(stepSize 3, gamma 0.5) matches PyTorch", () => {
    expectClose(lrs((o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }), 12), REF.StepLR, 1e-15);
  });
  it("CosineAnnealingLR(tMax 4, etaMin 0.1) matches PyTorch through a full period and back", () => {
    expectClose(lrs((o) => new CosineAnnealingLR(o, { tMax: 4, etaMin: 0.1 }), 14), REF.CosineAnnealingLR, 1e-14);
  });
  it("records initialLr, reports getLastLr, and restores from its state dict", () => {
    const opt = new tg.optim.SGD([{ params: [tg.zeros([1], { requiresGrad: true })] }, { params: [tg.zeros([1], { requiresGrad: true })], lr: 1 }], { lr: 0.5 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.1 });
    s.step();
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.5, 1]);
    expectClose(s.getLastLr(), [0.05, 0.1], 1e-15);
    const sd = s.stateDict();
    expect(sd.lastEpoch).toBe(1);
    const s2 = new StepLR(opt, { stepSize: 5 });
    s2.loadStateDict(sd);
    expect(s2.stepSize).toBe(1);
    s2.step();
    expectClose(s2.getLastLr(), [0.005, 0.01], 1e-15);
  });
  it("rejects bad options", () => {
    const opt = new tg.optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.5 });
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow("StepLR: invalid stepSize 0");
    expect(() => new CosineAnnealingLR(opt, { tMax: 10, lastEpoch: 3 })).not.toThrow(); // initialLr was set above
    const fresh = new tg.optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.5 });
    expect(() => new CosineAnnealingLR(fresh, { tMax: 10, lastEpoch: 3 })).toThrow(/has no initialLr/);
  });
});
