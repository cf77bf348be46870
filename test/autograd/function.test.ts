// tg.autograd.Function: user-written gates on the engine's own nodes (PyTorch's torch.autograd.Function).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { FunctionCtx } from "../../lib/autograd/function.js";
import { f64 } from "../ops/util.js";

// The lecture's multiply gate: z = x·y, keeping x and y; dx = y·dz, dy = x·dz.
class MultiplyGate extends tg.autograd.Function {
  static override forward(ctx: FunctionCtx, x: tg.Tensor, y: tg.Tensor): tg.Tensor {
    ctx.saveForBackward(x, y);
    return x.mul(y);
  }
  static override backward(ctx: FunctionCtx, dz: tg.Tensor | null) {
    const [x, y] = ctx.savedTensors as tg.Tensor[];
    return [y.mul(dz!), x.mul(dz!)];
  }
}

// Straight-through estimator: round in forward, identity in backward.
class RoundSTE extends tg.autograd.Function {
  static override forward(_ctx: FunctionCtx, x: tg.Tensor): tg.Tensor {
    return tg.tensor(x.data().map(Math.round), { shape: x.shape, dtype: x.dtype });
  }
  static override backward(_ctx: FunctionCtx, g: tg.Tensor | null) {
    return g;
  }
}

// Gradient reversal (domain adaptation): identity forward, −λ·g backward.
class GradReverse extends tg.autograd.Function {
  static override forward(ctx: FunctionCtx, x: tg.Tensor, lambda: number): tg.Tensor {
    ctx.lambda = lambda;
    return x.clone();
  }
  static override backward(ctx: FunctionCtx, g: tg.Tensor | null) {
    return [g!.mul(-(ctx.lambda as number)), null];
  }
}

describe("autograd.Function", () => {
  it("MultiplyGate: values, gradients, gradCheck, and use inside a model", () => {
    const x = f64([1, -2], true), y = f64([3, 4], true);
    const z = MultiplyGate.apply(x, y);
    expect(z.gradFn!.name).toBe("MultiplyGateBackward");
    z.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 4]);
    expect(y.grad!.toArray()).toEqual([1, -2]);
    expect(tg.gradCheck((a, b) => MultiplyGate.apply(a, b), [f64([[0.5, -1], [2, 0.3]]), f64([[1.5, 0.2], [-0.7, 2]])])).toBe(true);
    class Gated extends tg.nn.Module {
      lin = new tg.nn.Linear(2, 2, { dtype: "float64" });
      forward(v: tg.Tensor) { return MultiplyGate.apply(this.lin.forward(v), v); }
    }
    const m = new Gated();
    m.forward(f64([[1, 2]])).sum().backward();
    expect(m.lin.weight.grad!.shape).toEqual([2, 2]);
  });
  it("a Function used twice: gradients add at the branch", () => {
    const x = f64([2], true);
    MultiplyGate.apply(x, x).add(MultiplyGate.apply(x, x)).sum().backward();  // d(2x²) = 4x
    expect(x.grad!.toArray()).toEqual([8]);
  });
  it("a straight-through estimator trains a tiny model", () => {
    tg.manualSeed(3);
    const w = tg.tensor([0.2], { requiresGrad: true });
    const xs = tg.tensor([[1], [2], [3], [4]]), ys = tg.tensor([[3], [6], [9], [12]]);
    const opt = new tg.optim.SGD([w], { lr: 0.01 });
    for (let i = 0; i < 200; ++i) {
      opt.zeroGrad();
      tg.nn.functional.mseLoss(xs.mul(RoundSTE.apply(w.mul(10)).div(10)), ys).backward();
      opt.step();
    }
    expect(w.item()).toBeCloseTo(3, 1);
  });
  it("gradient reversal flips and scales the gradient; the number argument passes through", () => {
    const x = f64([1, 2], true);
    GradReverse.apply(x, 0.5).mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([-1.5, -1.5]);
  });
  it("forward runs with grad mode off; inside noGrad nothing is recorded", () => {
    let inside: boolean | null = null;
    class Probe extends tg.autograd.Function {
      static override forward(_c: FunctionCtx, x: tg.Tensor) { inside = tg.isGradEnabled(); return x.mul(2); }
      static override backward(_c: FunctionCtx, g: tg.Tensor | null) { return g; }
    }
    const x = f64([1], true);
    expect(Probe.apply(x).gradFn!.name).toBe("ProbeBackward");
    expect(inside).toBe(false);
    const y = tg.noGrad(() => Probe.apply(x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
  it("ctx: needsInputGrad, non-tensor arguments, several outputs, markNonDifferentiable, materialized zeros", () => {
    const flags: boolean[][] = [], received: (number[] | null)[][] = [];
    class SplitSort extends tg.autograd.Function {
      static override forward(ctx: FunctionCtx, x: tg.Tensor, c: tg.Tensor, k: number) {
        flags.push(ctx.needsInputGrad);
        const idx = x.argmax();
        ctx.markNonDifferentiable(idx);
        return [x.mul(k), x.add(c), idx];
      }
      static override backward(_ctx: FunctionCtx, ga: tg.Tensor | null, gb: tg.Tensor | null, gi: tg.Tensor | null) {
        received.push([ga, gb, gi].map((g) => (g ? (g.toArray() as number[]) : null)));
        return [ga!.mul(2).add(gb!), null, null];
      }
    }
    const x = f64([1, 5], true), c = f64([0, 0]);
    const [a, b, i] = SplitSort.apply(x, c, 2);
    expect(flags).toEqual([[true, false, false]]);
    expect(i.requiresGrad).toBe(false);
    expect(i.dtype).toBe("int32");
    a.sum().backward();  // b gets no gradient: it arrives as zeros
    expect(received[0][1]).toEqual([0, 0]);
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });
  it("setMaterializeGrads(false) gives null for outputs without a gradient", () => {
    let seen: unknown = "unset";
    class Two extends tg.autograd.Function {
      static override forward(ctx: FunctionCtx, x: tg.Tensor) { ctx.setMaterializeGrads(false); return [x.mul(1), x.mul(2)]; }
      static override backward(_c: FunctionCtx, g1: tg.Tensor | null, g2: tg.Tensor | null) { seen = g2; return g1; }
    }
    const x = f64([1], true);
    Two.apply(x)[0].sum().backward();
    expect(seen).toBeNull();
    expect(x.grad!.toArray()).toEqual([1]);
  });
  it("markDirty: an in-place forward bumps the version and becomes part of the graph", () => {
    class AddOne_ extends tg.autograd.Function {
      static override forward(ctx: FunctionCtx, x: tg.Tensor) { x.copy_(x.add(1)); ctx.markDirty(x); return x; }
      static override backward(_c: FunctionCtx, g: tg.Tensor | null) { return g; }
    }
    const w = f64([1, 2], true);
    const h = w.mul(3);
    const e = h.exp();            // saves h's output... exp saves its own output, not h
    const out = AddOne_.apply(h);
    expect(out).toBe(h);
    expect(h.gradFn!.name).toBe("AddOne_Backward");
    expect(h.toArray()).toEqual([4, 7]);
    h.sum().backward({ retainGraph: true });
    expect(w.grad!.toArray()).toEqual([3, 3]);
    expect(e.requiresGrad).toBe(true);
    expect(() => AddOne_.apply(w)).toThrow(/AddOne_: a leaf tensor that requires grad cannot be modified in place/);
  });
  it("saved tensors are version-checked, and freed after backward", () => {
    const x = f64([1, 2], true), y = f64([3, 4]);
    const z = MultiplyGate.apply(x, y);
    y.fill_(0);
    expect(() => z.sum().backward()).toThrow(/saved by MultiplyGateBackward \(as saved tensor 1\) was modified in place/);
    const z2 = MultiplyGate.apply(x, f64([1, 1]));
    z2.sum().backward();
    expect(() => z2.sum().backward()).toThrow(/second time/);
  });
  it("errors name the Function and the input", () => {
    class TooFew extends tg.autograd.Function {
      static override forward(_c: FunctionCtx, a: tg.Tensor, b: tg.Tensor) { return a.add(b); }
      static override backward(_c: FunctionCtx, g: tg.Tensor | null) { return [g]; }
    }
    class BadShape extends tg.autograd.Function {
      static override forward(_c: FunctionCtx, a: tg.Tensor) { return a.sum(); }
      static override backward(_c: FunctionCtx, g: tg.Tensor | null) { return g; }
    }
    class BadDtype extends tg.autograd.Function {
      static override forward(_c: FunctionCtx, a: tg.Tensor) { return a.mul(1); }
      static override backward(_c: FunctionCtx, g: tg.Tensor | null) { return g!.float(); }
    }
    const a = f64([1, 2], true);
    expect(() => TooFew.apply(a, a).sum().backward()).toThrow(/TooFew.backward returned 1 gradient\(s\); expected 2/);
    expect(() => BadShape.apply(a).backward()).toThrow(/BadShape.backward: the gradient for input 0 has shape \[\] .* input has shape \[2\]/);
    expect(() => BadDtype.apply(a).sum().backward()).toThrow(/BadDtype.backward: the gradient for input 0 has .*dtype float32.*dtype float64/);
    class NoBackward extends tg.autograd.Function {
      static override forward(_c: FunctionCtx, x: tg.Tensor) { return x.mul(2); }
    }
    expect(() => NoBackward.apply(a).sum().backward()).toThrow(/NoBackward: define static backward/);
  });
});
