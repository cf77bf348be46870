// The Optimizer base: param groups, zeroGrad, skipping params without grad, state dicts, errors.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { lossBackward, startParam, train } from "./helpers.js";

const { SGD, Adam, RMSprop, Adagrad } = tg.optim;
const param = (v: number[]) => tg.tensor(v, { requiresGrad: true });

describe("param groups", () => {
  it("each group has its own lr and inherits the other defaults", () => {
    const a = param([1, 1]), b = param([1, 1]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum: 0.5 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.5], [0.01, 0.5]]);
    a.grad = tg.tensor([1, 2]);
    b.grad = tg.tensor([1, 2]);
    opt.step();
    expect(Array.from(a.data())).toEqual(Array.from(new Float32Array([0.9, 0.8])));
    expect(Array.from(b.data())).toEqual(Array.from(new Float32Array([0.99, 0.98])));
  });
  it("a group's lr can be changed between steps", () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1 });
    opt.paramGroups[0].lr = 0.5;
    p.grad = tg.tensor([1]);
    opt.step();
    expect(p.item()).toBeCloseTo(0.5, 7);
    opt.paramGroups[0].lr = NaN;
    expect(() => opt.step()).toThrow("SGD: invalid learning rate NaN");
  });
  it("addParamGroup adds parameters with defaults filled in", () => {
    const a = param([1]), b = param([1]);
    const opt = new Adam([a], { lr: 0.01 });
    opt.addParamGroup({ params: [b], betas: [0.5, 0.9] });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, betas: [0.5, 0.9], eps: 1e-8 });
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
  });
  it("groups do not share the betas array with the defaults", () => {
    const opt = new Adam([{ params: [param([1])] }, { params: [param([1])] }]);
    opt.paramGroups[0].betas[0] = 0.5;
    expect(opt.paramGroups[1].betas[0]).toBe(0.9);
  });
});

describe("zeroGrad and step", () => {
  it("zeroGrad() sets grads to null; zeroGrad({ setToNone: false }) zeroes them", () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tg.tensor([3, 4]);
    opt.zeroGrad({ setToNone: false });
    expect(Array.from(p.grad!.data())).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });
  it("skips parameters without a gradient (no update, no state)", () => {
    const a = param([1, 2]), b = param([3, 4]);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tg.tensor([1, 1]);
    opt.step();
    expect(Array.from(b.data())).toEqual([3, 4]);
    expect(opt.state.has(b)).toBe(false);
    expect(a.data()[0]).toBeCloseTo(0.9, 6);
  });
  it("accepts a strided or float64 gradient, updating as with a dense float32 one", () => {
    const p = param([1, 2, 3, 4]), q = param([1, 2, 3, 4]);
    const opt = new SGD([p, q], { lr: 0.1 });
    p.grad = tg.tensor([[1, 3], [2, 4]], { dtype: "float64" }).t().reshape([4]);
    q.grad = tg.tensor([1, 2, 3, 4]);
    opt.step();
    expect(Array.from(q.data())).toEqual(Array.from(Float32Array.of(0.9, 1.8, 2.7, 3.6)));
    expect(Array.from(p.data())).toEqual(Array.from(q.data()));
  });
  it("step(closure) evaluates the loss with grad enabled and returns it", () => {
    const p = param([2]);
    const opt = new SGD([p], { lr: 0.25 });
    const loss = tg.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = p.mul(p).sum();
        l.backward();
        return l.item();
      }),
    );
    expect(loss).toBe(4);
    expect(p.item()).toBe(1); // 2 − 0.25·4
  });
});

describe("stateDict / loadStateDict", () => {
  it("has PyTorch's layout: state by parameter index and hyper-parameters per group", () => {
    const a = param([1]), b = param([2, 3]);
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, amsgrad: true });
    b.grad = tg.tensor([1, 1]);
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(["1"]);
    expect(sd.state[1].step).toBe(1);
    expect((sd.state[1].expAvg as tg.Tensor).shape).toEqual([2]);
    expect(Object.keys(sd.state[1]).sort()).toEqual(["expAvg", "expAvgSq", "maxExpAvgSq", "step"]);
    expect(sd.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [0] },
      { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [1] },
    ]);
  });
  for (const [name, make] of [
    ["SGD momentum", (p: tg.Tensor) => new SGD([p], { lr: 0.05, momentum: 0.9 })],
    ["Adam amsgrad", (p: tg.Tensor) => new Adam([p], { lr: 0.1, amsgrad: true })],
    ["RMSprop centered momentum", (p: tg.Tensor) => new RMSprop([p], { centered: true, momentum: 0.5 })],
    ["Adagrad", (p: tg.Tensor) => new Adagrad([p], { lr: 0.1, lrDecay: 0.1 })],
  ] as const)
    it(`${name}: training on after a round trip gives identical weights`, () => {
      const p = startParam();
      const opt = make(p);
      train(opt, p, 3);
      const sd = opt.stateDict();
      const q = startParam();
      q.storage.set(p.storage);
      const direct = train(opt, p, 2); // also checks sd was a copy: opt's state moves on
      const restored = make(q);
      restored.loadStateDict(sd);
      expect(train(restored, q, 2)).toEqual(direct);
    });
  it("loads hyper-parameters and rejects a different group layout", () => {
    const p = param([1]);
    const src = new SGD([p], { lr: 0.3, momentum: 0.2 });
    const dst = new SGD([param([1])], { lr: 0.1 });
    dst.loadStateDict(src.stateDict());
    expect(dst.paramGroups[0]).toMatchObject({ lr: 0.3, momentum: 0.2 });
    const two = new SGD([param([1]), param([1])], { lr: 0.1 });
    expect(() => two.loadStateDict(src.stateDict())).toThrow(/group 0 has 1 parameters in the state dict but 2 here/);
    const grouped = new SGD([{ params: [param([1])] }, { params: [param([1])] }], { lr: 0.1 });
    expect(() => grouped.loadStateDict(src.stateDict())).toThrow(/1 parameter groups, this optimizer has 2/);
  });
  it("rejects state that does not fit the parameter", () => {
    const a = param([1, 2]);
    const src = new SGD([a], { lr: 0.1, momentum: 0.9 });
    a.grad = tg.tensor([1, 1]);
    src.step();
    const dst = new SGD([param([1, 2, 3])], { lr: 0.1 });
    expect(() => dst.loadStateDict(src.stateDict())).toThrow(/momentumBuffer" of shape \[2\] does not fit a parameter of shape \[3\]/);
  });
});

describe("parameter checks", () => {
  it("rejects an empty list, non-tensors and a bare tensor", () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow("SGD: got an empty parameter list");
    expect(() => new SGD(param([1]) as unknown as tg.Tensor[], { lr: 0.1 })).toThrow(TypeError);
  });
  it("rejects parameters that do not require grad or are not leaves", () => {
    expect(() => new SGD([tg.tensor([1])], { lr: 0.1 })).toThrow(/SGD: parameter 0 of shape \[1\] does not require grad/);
    const nonLeaf = param([1]).mul(2);
    expect(() => new Adam([nonLeaf])).toThrow(/Adam: can't optimize a non-leaf Tensor/);
  });
  it("rejects a parameter listed twice", () => {
    const p = param([1]);
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/more than one parameter group/);
  });
  it("rejects a non-dense parameter view", () => {
    const v = tg.tensor([[1, 2], [3, 4]]).t().detach().requiresGrad_();
    expect(() => new SGD([v], { lr: 0.1 })).toThrow(/strided view/);
  });
  it("a gradient of the wrong size is refused when assigned, and a disposed one when stepping", () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1 });
    expect(() => (p.grad = tg.tensor([1, 2, 3]))).toThrow(/\.grad: assigned a gradient of shape \[3\] to a tensor of shape \[2\]/);
    p.grad = tg.tensor([1, 2]);
    p.grad.dispose();
    expect(() => opt.step()).toThrow(/SGD: the gradient of a parameter of shape \[2\] was disposed; set \.grad = null/);
  });
  it("a parameter disposed after the optimizer took it is an Error at step(), not silently left out", () => {
    const p = param([1, 2, 3]), q = param([4]);
    const opt = new SGD([{ params: [q] }, { params: [p] }], { lr: 1 });
    p.mul(2).sum().backward();
    p.dispose();
    expect(() => opt.step()).toThrow(/^SGD\.step: parameter 0 of group 1 \(shape \[3\], float32\) was disposed/);
    // Disposed before backward (the graph still held it): the ended handle gets no .grad, and step() still refuses.
    const r = param([1, 2]), loss = r.mul(r).sum(), opt2 = new SGD([r], { lr: 1 });
    r.dispose();
    loss.backward();
    expect(r.grad).toBeNull();
    expect(() => opt2.step()).toThrow(/^SGD\.step: parameter 0 \(shape \[2\], float32\) was disposed/);
  });
  it("trains a parameter end to end through backward()", () => {
    const p = startParam();
    const opt = new SGD([p], { lr: 0.1 });
    lossBackward(p);
    opt.step();
    expect(p.data()[0]).toBeCloseTo(0.5 - 0.1 * (2 * 1 * 0.5 + 0.1), 6);
  });
});
