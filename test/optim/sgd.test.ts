// SGD against steps computed by hand: p = [1, -2] with the fixed gradient g = [0.5, 1].
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

function steps(opts: tg.optim.SGDOptions, k: number, dtype: "float32" | "float64" = "float64"): number[][] {
  const p = tg.tensor([1, -2], { dtype, requiresGrad: true });
  const opt = new tg.optim.SGD([p], opts);
  const out: number[][] = [];
  for (let i = 0; i < k; ++i) {
    p.grad = tg.tensor([0.5, 1], { dtype });
    opt.step();
    out.push(Array.from(p.data()));
  }
  return out;
}
function expectSteps(got: number[][], want: number[][], digits = 12): void {
  want.forEach((w, i) => w.forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, digits)));
}

describe("SGD by hand", () => {
  it("plain: p -= lr·g", () => {
    expectSteps(steps({ lr: 0.1 }, 2), [[0.95, -2.1], [0.9, -2.2]]);
  });
  it("momentum: buf = g, then 0.9·buf + g", () => {
    // step 2: buf = [0.95, 1.9], p = [0.95 − 0.095, −2.1 − 0.19]
    expectSteps(steps({ lr: 0.1, momentum: 0.9 }, 2), [[0.95, -2.1], [0.855, -2.29]]);
  });
  it("dampening scales only the new gradient, and not on the first step", () => {
    // step 2: buf = 0.9·g + 0.5·g = [0.7, 1.4]
    expectSteps(steps({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 2), [[0.95, -2.1], [0.88, -2.24]]);
  });
  it("nesterov: d = g + μ·buf", () => {
    // step 1: d = 1.9·g; step 2: buf = [0.95, 1.9], d = [1.355, 2.71]
    expectSteps(steps({ lr: 0.1, momentum: 0.9, nesterov: true }, 2), [[0.905, -2.19], [0.7695, -2.461]]);
  });
  it("weight decay adds wd·p to the gradient", () => {
    // d = [0.5 + 0.1, 1 − 0.2]; step 2: d = [0.5 + 0.094, 1 − 0.208]
    expectSteps(steps({ lr: 0.1, weightDecay: 0.1 }, 2), [[0.94, -2.08], [0.8806, -2.1592]]);
  });
  it("maximize climbs the gradient", () => {
    expectSteps(steps({ lr: 0.1, maximize: true }, 1), [[1.05, -1.9]]);
  });
  it("float32 parameters update in float32", () => {
    expectSteps(steps({ lr: 0.1, momentum: 0.9 }, 2, "float32"), [[0.95, -2.1], [0.855, -2.29]], 6);
  });
  it("updates the parameter's storage in place and keeps momentum state", () => {
    const p = tg.tensor([1, -2], { requiresGrad: true });
    const storage = p.storage;
    const opt = new tg.optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tg.tensor([0.5, 1]);
    opt.step();
    expect(p.storage).toBe(storage);
    expect(Array.from((opt.state.get(p)!.momentumBuffer as tg.Tensor).data())).toEqual([0.5, 1]);
  });
  it("without momentum keeps no state tensors", () => {
    const p = tg.tensor([1, -2], { requiresGrad: true });
    const opt = new tg.optim.SGD([p], { lr: 0.1 });
    p.grad = tg.tensor([0.5, 1]);
    opt.step();
    expect(opt.state.get(p)).toEqual({});
  });
});

describe("SGD hyper-parameter errors (PyTorch's checks)", () => {
  const p = () => tg.tensor([1], { requiresGrad: true });
  it("NaN or negative learning rate", () => {
    expect(() => new tg.optim.SGD([p()], { lr: NaN })).toThrow(RangeError);
    expect(() => new tg.optim.SGD([p()], { lr: NaN })).toThrow("SGD: invalid learning rate NaN");
    expect(() => new tg.optim.SGD([p()], { lr: -0.1 })).toThrow("SGD: invalid learning rate -0.1");
  });
  it("negative momentum or weight decay", () => {
    expect(() => new tg.optim.SGD([p()], { lr: 0.1, momentum: -0.5 })).toThrow("SGD: invalid momentum -0.5");
    expect(() => new tg.optim.SGD([p()], { lr: 0.1, weightDecay: -1 })).toThrow("SGD: invalid weight decay -1");
  });
  it("nesterov needs momentum > 0 and zero dampening", () => {
    expect(() => new tg.optim.SGD([p()], { lr: 0.1, nesterov: true })).toThrow(/SGD: Nesterov momentum requires a momentum/);
    expect(() => new tg.optim.SGD([p()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/zero dampening/);
  });
  it("lr is required (in the defaults or every group)", () => {
    expect(() => new tg.optim.SGD([p()], {} as tg.optim.SGDOptions)).toThrow("SGD: parameter group didn't specify a value of required option lr");
  });
});
