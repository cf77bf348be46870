// Learning-rate schedulers against PyTorch 1.13 (scheduler-reference.ts, from
// gen-scheduler-reference.py): a fresh run, a scheduler built with lastEpoch on a restored
// optimizer, and a run restored from both state dicts, each on two parameter groups.
import { describe, expect, it, vi } from "vitest";
import * as tg from "../../lib/index.js";
import { REF } from "./reference.js";
import { K, N, SCHED } from "./scheduler-reference.js";
import { expectClose } from "./helpers.js";

const L = tg.optim.lrScheduler;
type Opt = tg.optim.Optimizer<any>;
type Sched = tg.optim.lrScheduler.Scheduler & { step(metric?: number): void };

function makeOpt(kind: "sgd" | "adam" = "sgd"): Opt {
  const groups = [{ params: [tg.zeros([1], { requiresGrad: true })] }, { params: [tg.zeros([1], { requiresGrad: true })], lr: 0.1 }];
  return kind === "adam" ? new tg.optim.Adam(groups, { lr: 0.5 }) : new tg.optim.SGD(groups, { lr: 0.5, momentum: 0.9 });
}

const momenta = (o: Opt) => o.paramGroups.map((g) => (Array.isArray(g.betas) ? g.betas[0] : g.momentum) as number);

function record(opt: Opt, s: Sched, n: number, metrics?: readonly number[], start = 0): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; ++i) {
    out.push([...opt.paramGroups.map((g) => g.lr as number), ...momenta(opt)]);
    opt.step();
    if (metrics) s.step(metrics[start + i]);
    else s.step();
  }
  return out;
}

function expectRows(actual: number[][], expected: readonly (readonly number[])[]): void {
  expect(actual.length).toBe(expected.length);
  // Same arithmetic in the same order as PyTorch: equal to the last bit or within 2 ulp.
  actual.forEach((row, i) => expectClose(row, expected[i] as number[], 1e-15, 1e-12));
}

type Make = (o: Opt, opts?: { lastEpoch?: number }) => Sched;
const CASES: Record<string, [Make, "sgd" | "adam"]> = {
  StepLR: [(o, kw) => new L.StepLR(o, 3, { gamma: 0.5, ...kw }), "sgd"],
  MultiStepLR: [(o, kw) => new L.MultiStepLR(o, [2, 5, 5, 9], { gamma: 0.3, ...kw }), "sgd"],
  ExponentialLR: [(o, kw) => new L.ExponentialLR(o, 0.8, kw), "sgd"],
  CosineAnnealingLR: [(o, kw) => new L.CosineAnnealingLR(o, 7, { etaMin: 0.01, ...kw }), "sgd"],
  LambdaLR: [(o, kw) => new L.LambdaLR(o, [(e) => 0.95 ** e, (e) => 1 / (e + 1)], kw), "sgd"],
  LinearLR: [(o, kw) => new L.LinearLR(o, { startFactor: 0.25, endFactor: 0.9, totalIters: 6, ...kw }), "sgd"],
  "LinearLR defaults": [(o, kw) => new L.LinearLR(o, kw), "sgd"],
  OneCycleLR: [(o, kw) => new L.OneCycleLR(o, [1.0, 0.4], { totalSteps: N + K + 1, ...kw }), "sgd"],
  "OneCycleLR adam linear threePhase": [(o, kw) => new L.OneCycleLR(o, 0.3, {
    epochs: 4, stepsPerEpoch: 5, annealStrategy: "linear", threePhase: true, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, ...kw }), "adam"],
  "OneCycleLR no momentum": [(o, kw) => new L.OneCycleLR(o, 1.0, { totalSteps: N + K + 1, cycleMomentum: false, ...kw }), "sgd"],
};
const SEQ: Record<string, (o: Opt) => Sched> = {
  "SequentialLR linear cosine": (o) => new L.SequentialLR(o, [new L.LinearLR(o, { startFactor: 0.1, totalIters: 3 }), new L.CosineAnnealingLR(o, 5)], [3]),
  "SequentialLR three": (o) => new L.SequentialLR(o, [new L.ExponentialLR(o, 0.9), new L.StepLR(o, 2, { gamma: 0.5 }), new L.LambdaLR(o, (e) => 1 / (e + 1))], [3, 7]),
};
const PLATEAU: Record<string, (o: Opt) => Sched> = {
  ReduceLROnPlateau: (o) => new L.ReduceLROnPlateau(o, { patience: 2, cooldown: 1, minLr: [0.01, 0], factor: 0.5 }),
  "ReduceLROnPlateau max abs": (o) => new L.ReduceLROnPlateau(o, { mode: "max", thresholdMode: "abs", threshold: 0.05, patience: 1, factor: 0.2 }),
};

// A state dict as it would come back from a checkpoint: through JSON.
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("lrScheduler against PyTorch 1.13", () => {
  for (const [name, [make, kind]] of Object.entries(CASES)) {
    const ref = SCHED[name as keyof typeof SCHED] as { fresh: number[][]; fromLastEpoch: number[][]; fromLastEpochFreshOptimizer: number[][]; fromStateDict: number[][] };
    it(`${name}: fresh, resumed with lastEpoch ${K}, resumed from stateDict`, () => {
      const opt = makeOpt(kind), s = make(opt);
      const fresh = record(opt, s, K);
      const optSd = viaJson(opt.stateDict()), sSd = viaJson(s.stateDict());
      fresh.push(...record(opt, s, N - K));
      expectRows(fresh, ref.fresh);

      const o2 = makeOpt(kind);
      o2.loadStateDict(optSd);
      expectRows(record(o2, make(o2, { lastEpoch: K }), N - K), ref.fromLastEpoch);

      // A fresh optimizer that knows only its initial rates: PyTorch's constructor step (chainable rules
      // continue from the current rate, CosineAnnealingLR uses its closed form) is what must match.
      const o4 = makeOpt(kind);
      for (const g of o4.paramGroups) g.initialLr = g.lr;
      if (name.startsWith("OneCycleLR")) make(o4);
      expectRows(record(o4, make(o4, { lastEpoch: K }), N - K), ref.fromLastEpochFreshOptimizer);

      const o3 = makeOpt(kind), s3 = make(o3);
      o3.loadStateDict(optSd);
      s3.loadStateDict(sSd);
      const resumed = record(o3, s3, N - K);
      expectRows(resumed, ref.fromStateDict);
      expect(resumed).toEqual(fresh.slice(K));  // bit-identical to the uninterrupted run
    });
  }
  for (const [name, make] of Object.entries(SEQ)) {
    const ref = SCHED[name as keyof typeof SCHED] as { fresh: number[][]; fromStateDict: number[][] };
    it(`${name}: fresh and resumed from stateDict`, () => {
      const opt = makeOpt(), s = make(opt);
      const fresh = record(opt, s, K);
      const optSd = viaJson(opt.stateDict()), sSd = viaJson(s.stateDict());
      fresh.push(...record(opt, s, N - K));
      expectRows(fresh, ref.fresh);
      const o3 = makeOpt(), s3 = make(o3);
      o3.loadStateDict(optSd);
      s3.loadStateDict(sSd);
      expectRows(record(o3, s3, N - K), ref.fromStateDict);
    });
  }
  for (const [name, make] of Object.entries(PLATEAU)) {
    const ref = SCHED[name as keyof typeof SCHED] as { fresh: number[][]; fromStateDict: number[][]; metrics: number[] };
    it(`${name}: fresh and resumed from stateDict (through JSON, best = Infinity)`, () => {
      const n = ref.metrics.length;
      const opt = makeOpt(), s = make(opt);
      const fresh = record(opt, s, K, ref.metrics);
      const optSd = viaJson(opt.stateDict()), sSd = viaJson(s.stateDict());
      fresh.push(...record(opt, s, n - K, ref.metrics, K));
      expectRows(fresh, ref.fresh);
      const o3 = makeOpt(), s3 = make(o3);
      o3.loadStateDict(optSd);
      s3.loadStateDict(sSd);
      expectRows(record(o3, s3, n - K, ref.metrics, K), ref.fromStateDict);
    });
  }

  it("the original StepLR and CosineAnnealingLR sequences still match (gen-reference.py)", () => {
    const lrs = (make: (o: Opt) => unknown, n: number) => {
      const opt = new tg.optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.5 });
      const s = make(opt) as Sched;
      return Array.from({ length: n }, () => { const lr = opt.paramGroups[0].lr; opt.step(); s.step(); return lr; });
    };
    expectClose(lrs((o) => new L.StepLR(o, 3, { gamma: 0.5 }), 12), REF.StepLR, 1e-15);
    expectClose(lrs((o) => new L.CosineAnnealingLR(o, 4, { etaMin: 0.1 }), 14), REF.CosineAnnealingLR, 1e-14);
  });
});

describe("lrScheduler arguments", () => {
  const opt = () => new tg.optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.5 });
  it("records initialLr and reports getLastLr", () => {
    const o = new tg.optim.SGD([{ params: [tg.zeros([1], { requiresGrad: true })] }, { params: [tg.zeros([1], { requiresGrad: true })], lr: 1 }], { lr: 0.5 });
    const s = new L.StepLR(o, 1, { gamma: 0.1 });
    s.step();
    expect(o.paramGroups.map((g) => g.initialLr)).toEqual([0.5, 1]);
    expectClose(s.getLastLr(), [0.05, 0.1], 1e-15);
  });
  it("required arguments are positional; options are checked", () => {
    expect(() => new L.StepLR(opt(), 0)).toThrow("StepLR: invalid stepSize 0; expected an integer >= 1");
    expect(() => new L.StepLR(opt(), { stepSize: 3 } as never)).toThrow(/StepLR: invalid stepSize \{"stepSize":3\}/);
    expect(() => new L.StepLR(opt(), 3, 0.5 as never)).toThrow(/StepLR: expected an options object \{gamma, lastEpoch\}/);
    expect(() => new L.StepLR(opt(), 3, { step_size: 3 } as never)).toThrow(/unknown option "step_size"/);
    expect(() => new L.CosineAnnealingLR(opt(), 10, { eta_min: 0.1 } as never)).toThrow(/did you mean "etaMin"/);
    expect(() => new L.ExponentialLR(opt(), NaN)).toThrow("ExponentialLR: invalid gamma NaN");
    expect(() => new L.MultiStepLR(opt(), 3 as never)).toThrow("MultiStepLR: milestones must be an array");
    expect(() => new L.LinearLR(opt(), { startFactor: 1.5 })).toThrow("LinearLR: invalid startFactor 1.5");
    expect(() => new L.LambdaLR(opt(), 0.5 as never)).toThrow("LambdaLR: lrLambda must be a function");
    expect(() => new L.OneCycleLR(opt(), 1)).toThrow("OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch");
    expect(() => new L.OneCycleLR(new tg.optim.Adagrad([tg.zeros([1], { requiresGrad: true })], { lr: 0.1 }), 1, { totalSteps: 5 }))
      .toThrow("OneCycleLR: optimizer must support momentum");
    expect(() => new L.ReduceLROnPlateau(opt(), { factor: 1 })).toThrow("ReduceLROnPlateau: factor should be < 1.0");
    expect(() => new L.ReduceLROnPlateau(opt(), { mode: "mid" as never })).toThrow('ReduceLROnPlateau: mode "mid" is unknown');
    expect(() => new L.StepLR({} as never, 3)).toThrow("StepLR: the first argument must be an optimizer");
    const o = opt();
    expect(() => new L.SequentialLR(o, [new L.StepLR(o, 2), new L.StepLR(opt(), 2)], [3])).toThrow(/scheduler at index 1 has another one/);
    expect(() => new L.SequentialLR(o, [new L.StepLR(o, 2)], [3])).toThrow(/one milestone fewer than schedulers/);
  });
  it("resuming with lastEpoch needs initialLr in every group", () => {
    expect(() => new L.CosineAnnealingLR(opt(), 10, { lastEpoch: 3 })).toThrow(/has no initialLr/);
    expect(() => new L.StepLR(opt(), 2, { lastEpoch: -2 })).toThrow("StepLR: invalid lastEpoch -2");
    const o = opt();
    new L.StepLR(o, 2);  // sets initialLr, but not OneCycleLR's bounds
    expect(() => new L.OneCycleLR(o, 1, { totalSteps: 10, lastEpoch: 3 })).toThrow("OneCycleLR: param group 0 has no maxLr, minLr, maxMomentum, baseMomentum");
  });
  it("OneCycleLR refuses to step past totalSteps, as PyTorch", () => {
    const o = opt(), s = new L.OneCycleLR(o, 1, { totalSteps: 3 });
    s.step(); s.step(); s.step();
    expect(() => s.step()).toThrow("OneCycleLR: tried to step 5 times; the specified number of total steps is 3");
  });
  it("OneCycleLR given its options in place of the required maxLr names maxLr (it said totalSteps was missing)", () => {
    expect(() => new L.OneCycleLR(opt(), { maxLr: 0.1, totalSteps: 10 } as never)).toThrow(/OneCycleLR: maxLr is a required argument, so it comes before the options/);
  });
  it("ReduceLROnPlateau takes a one-element tensor as the metric", () => {
    const o = opt(), s = new L.ReduceLROnPlateau(o, { patience: 0 });
    s.step(tg.tensor(1.0));
    s.step(tg.tensor(2.0));
    expect(o.paramGroups[0].lr).toBeCloseTo(0.05, 15);
  });
});

describe("call order", () => {
  it("scheduler.step() before any optimizer.step() warns once, as PyTorch does; the right order is silent", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const opt = makeOpt();
      const sched = new L.StepLR(opt, 2);
      sched.step();
      sched.step();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/scheduler\.step\(\)` before `optimizer\.step\(\)`/);
      const opt2 = makeOpt();
      const sched2 = new L.StepLR(opt2, 2);
      opt2.step();
      sched2.step();
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
