// tg.autograd.Function: user-defined gates with forward/backward, on the engine's own node machinery.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64, vals } from "../ops/util.js";

const { Function } = tg.autograd;
type Ctx = tg.autograd.FunctionCtx;
type T = tg.Tensor;

// The lecture's multiply gate: z = x·y keeping x and y; dx = y·dz, dy = x·dz.
class MultiplyGate extends Function {
  static override forward(ctx: Ctx, x: T, y: T): T {
    ctx.saveForBackward(x, y);
    return x.mul(y);
  }
  static override backward(ctx: Ctx, dz: T): T[] {
    const [x, y] = ctx.savedTensors as T[];
    return [y.mul(dz), x.mul(dz)];
  }
}

describe("autograd.Function: the multiply gate", () => {
  it("forward gives x·y, backward y·dz and x·dz (the lecture's numbers)", () => {
    const x = f64(-4, true), y = f64(3, true);
    const z = MultiplyGate.apply(x, y);
    expect(z.item()).toBe(-12);
    expect(z.gradFn!.name).toBe("MultiplyGateBackward");
    z.mul(2).backward();
    expect([x.grad!.item(), y.grad!.item()]).toEqual([6, -8]);
  });
  it("passes gradCheck, with broadcasting-free shapes", () => {
    expect(tg.gradCheck((a, b) => MultiplyGate.apply(a, b), [vals([2, 3]), vals([2, 3], 2)])).toBe(true);
  });
  it("trains inside a Module with SGD (loss falls)", () => {
    tg.manualSeed(0);
    class Scaled extends tg.nn.Module {
      lin = new tg.nn.Linear(3, 1);
      gain = new tg.nn.Parameter(tg.ones([1]));
      forward(x: T): T {
        return MultiplyGate.apply(this.lin.call(x), this.gain.expand([x.shape[0], 1]));
      }
    }
    const model = new Scaled();
    const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = tg.randn([32, 3]), target = x.matmul(tg.tensor([[1], [-2], [0.5]])).add(0.5);
    const losses: number[] = [];
    for (let i = 0; i < 60; ++i) {
      opt.zeroGrad();
      const loss = tg.nn.functional.mseLoss(model.call(x), target);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(model.gain.grad).not.toBeNull();
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.01);
  });
});

describe("autograd.Function: ctx", () => {
  it("savedTensors are version-checked: an in-place change after forward makes backward throw", () => {
    const x = f64([1, 2], true), y = f64([3, 4]);
    const z = MultiplyGate.apply(x, y);
    y.fill_(0);
    expect(() => z.sum().backward()).toThrow(/saved by MultiplyGateBackward \(as savedTensors\[1\]\) was modified in place/);
  });
  it("saved tensors are freed after backward; a second backward says so, retainGraph allows it", () => {
    const x = f64([1, 2], true), y = f64([3, 4], true);
    const z = MultiplyGate.apply(x, y).sum();
    z.backward({ retainGraph: true });
    z.backward();
    expectClose(x.grad!, [6, 8]);
    expect(() => z.backward()).toThrow(/backward through the graph a second time \(at MultiplyGateBackward\)/);
    let kept: Ctx | null = null;
    class Keeps extends MultiplyGate {
      static override forward(ctx: Ctx, a: T, b: T): T { kept = ctx; return super.forward(ctx, a, b); }
    }
    Keeps.apply(x, y).sum().backward();
    expect(() => kept!.savedTensors).toThrow(/savedTensors: the saved tensors were freed by backward\(\)/);
  });
  it("saveForBackward takes null, rejects non-tensors, and only works in forward", () => {
    let seen: unknown[] = [];
    class SaveNull extends Function {
      static override forward(ctx: Ctx, x: T): T { ctx.saveForBackward(x, null); return x.mul(2); }
      static override backward(ctx: Ctx, g: T): T {
        seen = ctx.savedTensors;
        expect(() => ctx.saveForBackward(g)).toThrow(/in forward, not in backward/);
        return g.mul(2);
      }
    }
    const x = f64([1], true);
    SaveNull.apply(x).sum().backward();
    expect(seen[1]).toBeNull();
    expect(seen[0]).toBeInstanceOf(tg.Tensor);
    class SaveNumber extends Function {
      static override forward(ctx: Ctx, x: T): T { ctx.saveForBackward(3 as unknown as T); return x; }
    }
    expect(() => SaveNumber.apply(x)).toThrow(/argument 0 is number, not a Tensor; store non-tensors as ctx fields/);
  });
  it("arbitrary non-tensor fields and non-tensor inputs pass through to backward", () => {
    class Scale extends Function {
      static override forward(ctx: Ctx, x: T, k: number, opts: { shift: number }): T {
        ctx.k = k;
        return x.mul(k).add(opts.shift);
      }
      static override backward(ctx: Ctx, g: T): (T | null)[] {
        return [g.mul(ctx.k as number), null, null];
      }
    }
    const x = f64([1, 2], true);
    const y = Scale.apply(x, 3, { shift: 1 });
    expectClose(y, [4, 7]);
    y.sum().backward();
    expectClose(x.grad!, [3, 3]);
  });
  it("needsInputGrad has one flag per input (false for non-tensors and inputs without grad)", () => {
    let flags: readonly boolean[] = [];
    class Probe extends Function {
      static override forward(ctx: Ctx, a: T, b: T, _k: number): T { flags = ctx.needsInputGrad; return a.add(b); }
      static override backward(ctx: Ctx, g: T): (T | null)[] {
        return [ctx.needsInputGrad[0] ? g : null, ctx.needsInputGrad[1] ? g : null, null];
      }
    }
    const a = f64([1], true), b = f64([2]);
    Probe.apply(a, b, 1).sum().backward();
    expect(flags).toEqual([true, false, false]);
    expectClose(a.grad!, [1]);
    Probe.apply(f64([1]), f64([2]), 1);
    expect(flags).toEqual([false, false, false]);
  });
  it("forward runs with grad mode off", () => {
    let inside: boolean | null = null, madeGradFn: unknown = "unset";
    class Probe extends Function {
      static override forward(_ctx: Ctx, x: T): T {
        inside = tg.isGradEnabled();
        const y = x.mul(2);
        madeGradFn = y.gradFn;
        return y;
      }
      static override backward(_ctx: Ctx, g: T): T { return g.mul(2); }
    }
    Probe.apply(f64([1], true));
    expect(inside).toBe(false);
    expect(madeGradFn).toBeNull();
    expect(tg.isGradEnabled()).toBe(true);
  });
  it("several outputs; markNonDifferentiable; missing gradients materialize as zeros", () => {
    let got: (T | null)[] = [];
    class SortLike extends Function {
      static override forward(ctx: Ctx, x: T): T[] {
        const idx = x.argmax(0), twice = x.mul(2), thrice = x.mul(3);
        ctx.markNonDifferentiable(idx);
        return [twice, thrice, idx];
      }
      static override backward(_ctx: Ctx, g2: T, g3: T, gi: T): T {
        got = [g2, g3, gi];
        return g2.mul(2).add(g3.mul(3));
      }
    }
    const x = f64([1, 5, 2], true);
    const [two, three, idx] = SortLike.apply(x);
    expect(idx.item()).toBe(1);
    expect(two.requiresGrad && three.requiresGrad).toBe(true);
    expect(two.outputNr).toBe(0);
    expect(three.outputNr).toBe(1);
    two.sum().backward();
    expectClose(x.grad!, [2, 2, 2]);
    expectClose(got[1]!, [0, 0, 0]);
    expect(idx.requiresGrad).toBe(false);
    expect(got[2]!.dtype).toBe("int32"); // a non-differentiable output's gradient is materialized as zeros
    expect(got[2]!.item()).toBe(0);
  });
  it("markNonDifferentiable output gets requiresGrad false and a zero gradient in backward", () => {
    let gi: T | null | undefined;
    class WithMask extends Function {
      static override forward(ctx: Ctx, x: T): T[] {
        const mask = x.gt(0).to("float64");
        ctx.markNonDifferentiable(mask);
        return [x.mul(mask), mask];
      }
      static override backward(_ctx: Ctx, g: T, gMask: T): T {
        gi = gMask;
        return g.mul(1);
      }
    }
    const x = f64([-1, 2], true);
    const [y, mask] = WithMask.apply(x);
    expect(mask.requiresGrad).toBe(false);
    expect(mask.gradFn).toBeNull();
    y.sum().backward();
    expectClose(gi!, [0, 0]);
  });
  it("setMaterializeGrads(false) passes null for outputs that got no gradient", () => {
    let got: (T | null)[] = [];
    class Two extends Function {
      static override forward(ctx: Ctx, x: T): T[] {
        ctx.setMaterializeGrads(false);
        return [x.mul(2), x.mul(3)];
      }
      static override backward(_ctx: Ctx, a: T | null, b: T | null): T {
        got = [a, b];
        return a ? a.mul(2) : b!.mul(3);
      }
    }
    const x = f64([1, 2], true);
    Two.apply(x)[1].sum().backward();
    expect(got[0]).toBeNull();
    expectClose(got[1]!, [1, 1]);
    expectClose(x.grad!, [3, 3]);
  });
  it("markDirty: an in-place forward returns the input itself, rewrites its history and bumps its version", () => {
    class ReluInPlace extends Function {
      static override forward(ctx: Ctx, x: T): T {
        const mask = x.gt(0).to(x.dtype);
        for (let i = 0; i < x.numel(); ++i) if (x.storage[x.offset + i] < 0) x.storage[x.offset + i] = 0;
        ctx.markDirty(x);
        ctx.saveForBackward(mask);
        return x;
      }
      static override backward(ctx: Ctx, g: T): T {
        return g.mul(ctx.savedTensors[0]!);
      }
    }
    const w = f64([-1, 2, -3], true);
    const h = w.mul(1);
    const kept = h.mul(w); // saves h (MulBackward0 reads it) before it changes
    const r = ReluInPlace.apply(h);
    expect(r).toBe(h);
    expect(h.gradFn!.name).toBe("ReluInPlaceBackward");
    expectClose(h, [0, 2, 0]);
    expect(() => kept.sum().backward()).toThrow(/modified in place/);
    h.sum().backward();
    expectClose(w.grad!, [0, 1, 0]);
    // Under noGrad nothing is recorded, but the version still moves: a node that saved the tensor refuses.
    const v = f64([1, -1], true).mul(1), saver = v.mul(v);
    tg.noGrad(() => ReluInPlace.apply(v));
    expect(() => saver.sum().backward()).toThrow(/modified in place/);
  });
  it("markDirty on a leaf that requires grad throws; on a tensor not returned throws", () => {
    class Bad extends Function {
      static override forward(ctx: Ctx, x: T): T { ctx.markDirty(x); return x; }
      static override backward(_ctx: Ctx, g: T): T { return g; }
    }
    expect(() => Bad.apply(f64([1], true))).toThrow(/Bad: forward modified input 0 in place \(markDirty\), but it is a leaf that requires grad; clone\(\) it first/);
    class NotReturned extends Function {
      static override forward(ctx: Ctx, x: T): T { ctx.markDirty(x); return x.mul(1); }
      static override backward(_ctx: Ctx, g: T): T { return g; }
    }
    expect(() => NotReturned.apply(f64([1], true).mul(1))).toThrow(/NotReturned: markDirty\(\) got a tensor that forward did not both take as input and return/);
  });
  it("an input returned unchanged (not dirty) gets a new handle; the user's tensor keeps its history", () => {
    class Identity extends Function {
      static override forward(_ctx: Ctx, x: T): T { return x; }
      static override backward(_ctx: Ctx, g: T): T { return g; }
    }
    const x = f64([1, 2], true);
    const y = Identity.apply(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.mul(3).sum().backward();
    expectClose(x.grad!, [3, 3]);
  });
});

describe("autograd.Function: errors name the Function and the input", () => {
  class WrongCount extends Function {
    static override forward(_ctx: Ctx, x: T, y: T): T { return x.add(y); }
    static override backward(_ctx: Ctx, g: T): T[] { return [g]; }
  }
  class WrongShape extends Function {
    static override forward(_ctx: Ctx, x: T, bias: T): T { return x.add(bias); }
    static override backward(_ctx: Ctx, g: T): T[] { return [g, g]; }
  }
  class WrongDType extends Function {
    static override forward(_ctx: Ctx, x: T): T { return x.mul(2); }
    static override backward(_ctx: Ctx, g: T): T { return g.to("float32"); }
  }
  class GradForNumber extends Function {
    static override forward(_ctx: Ctx, x: T, k: number): T { return x.mul(k); }
    static override backward(_ctx: Ctx, g: T): T[] { return [g, g]; }
  }
  it("wrong number of gradients", () => {
    expect(() => WrongCount.apply(f64([1], true), f64([2], true)).sum().backward()).toThrow(
      "WrongCount.backward returned 1 gradient but forward took 2 inputs; return one per input, null for inputs without a gradient");
  });
  it("wrong shape", () => {
    expect(() => WrongShape.apply(f64([[1, 2]], true), f64([3, 4], true)).sum().backward()).toThrow(
      "WrongShape.backward returned a gradient of shape [1, 2] for input 1 (bias) of shape [2]; it must have the input's shape");
  });
  it("wrong dtype", () => {
    expect(() => WrongDType.apply(f64([1], true)).sum().backward()).toThrow(
      'WrongDType.backward returned a float32 gradient for input 0 (x), which is float64; convert it with .to("float64")');
  });
  it("a gradient for a non-tensor input", () => {
    expect(() => GradForNumber.apply(f64([1], true), 2).sum().backward()).toThrow(
      "GradForNumber.backward returned a gradient for input 1 (k), which is not a Tensor; return null for it");
  });
  it("forward returning a non-tensor; a class without backward", () => {
    class NoTensor extends Function {
      static override forward(): T { return 3 as unknown as T; }
    }
    expect(() => NoTensor.apply()).toThrow("NoTensor.forward returned number; return a Tensor or an array of Tensors");
    class NoBackward extends Function {
      static override forward(_ctx: Ctx, x: T): T { return x.mul(2); }
    }
    expect(() => NoBackward.apply(f64([1], true)).sum().backward()).toThrow(/NoBackward.backward is not implemented/);
  });
});

// Straight-through estimator: round in forward, identity in backward.
class RoundSTE extends Function {
  static override forward(_ctx: Ctx, x: T): T {
    const r = x.clone();
    const s = r.storage;
    for (let i = 0; i < r.numel(); ++i) s[i] = Math.round(s[i]);
    return r;
  }
  static override backward(_ctx: Ctx, g: T): T { return g; }
}

// Gradient reversal (domain-adversarial training): identity forward, -λ·g backward.
class GradReverse extends Function {
  static override forward(ctx: Ctx, x: T, lambda: number): T {
    ctx.lambda = lambda;
    return x.clone();
  }
  static override backward(ctx: Ctx, g: T): (T | null)[] {
    return [g.mul(-(ctx.lambda as number)), null];
  }
}

describe("autograd.Function: the classic custom gates", () => {
  it("a straight-through estimator rounds in forward, passes the gradient through, and trains a quantized model", () => {
    const x = f64([0.4, 1.6, -2.5], true);
    const y = RoundSTE.apply(x);
    expectClose(y, [0, 2, -2]);
    y.mul(f64([1, 2, 3])).sum().backward();
    expectClose(x.grad!, [1, 2, 3]);

    // A linear model whose weights are rounded to integers in forward learns integer targets.
    tg.manualSeed(1);
    const w = tg.randn([3, 1]).mul(0.1).requiresGrad_(true);
    const xs = tg.randn([64, 3]), target = xs.matmul(tg.tensor([[2], [-1], [3]]));
    const opt = new tg.optim.SGD([w], { lr: 0.05 });
    const first = tg.nn.functional.mseLoss(xs.matmul(RoundSTE.apply(w)), target).item();
    for (let i = 0; i < 100; ++i) {
      opt.zeroGrad();
      const loss = tg.nn.functional.mseLoss(xs.matmul(RoundSTE.apply(w)), target);
      loss.backward();
      opt.step();
    }
    const last = tg.nn.functional.mseLoss(xs.matmul(RoundSTE.apply(w)), target).item();
    expect(first).toBeGreaterThan(5);
    expect(last).toBe(0); // rounded weights hit the integer targets exactly
    expect(Array.from(RoundSTE.apply(w).data())).toEqual([2, -1, 3]);
  });
  it("the STE's pass-through gradient does not alias the upstream gradient or another .grad", () => {
    const x = f64([0.4, 1.6], true);
    const up = f64([5, 6]);
    RoundSTE.apply(x).backward(up);
    expect(x.grad!.storage).not.toBe(up.storage);
    x.grad!.zero_();
    expectClose(up, [5, 6]);
  });
  it("gradient reversal: identity forward, −λ·g backward; the layers before it climb what the head descends", () => {
    const x = f64([1, 2], true);
    const y = GradReverse.apply(x, 0.5);
    expectClose(y, [1, 2]);
    y.mul(f64([2, 4])).sum().backward();
    expectClose(x.grad!, [-1, -2]);
    // feature = a·x, loss = (b·feature − t)²: with the reversal, b's gradient is unchanged and a's is −λ times it.
    const run = (reverse: boolean) => {
      const a = f64([0.7], true), b = f64([-1.3], true);
      const feature = a.mul(f64([2]));
      const head = b.mul(reverse ? GradReverse.apply(feature, 0.25) : feature);
      head.sub(f64([1])).square().sum().backward();
      return [a.grad!.item(), b.grad!.item()];
    };
    const [aPlain, bPlain] = run(false), [aRev, bRev] = run(true);
    expect(bRev).toBe(bPlain);
    expect(aRev).toBeCloseTo(-0.25 * aPlain, 14);
    expect(aPlain).not.toBe(0);
    // It is deliberately not the derivative of forward: gradCheck says so.
    expect(() => tg.gradCheck((t) => GradReverse.apply(t, 1), [vals([3])])).toThrow(/gradCheck: input 0 .* analytic -?[\d.]+ vs numeric/);
  });
  it("a Function used twice in one graph: gradients add at the branch", () => {
    const x = f64([1, 2], true), y = f64([3, 4], true);
    const a = MultiplyGate.apply(x, y);
    const b = MultiplyGate.apply(a, x); // x·y·x
    b.sum().backward();
    expectClose(x.grad!, [2 * 1 * 3, 2 * 2 * 4]); // d(x²y)/dx = 2xy
    expectClose(y.grad!, [1, 4]); // x²
    expect(tg.gradCheck((p, q) => MultiplyGate.apply(MultiplyGate.apply(p, q), p), [vals([2]), vals([2], 3)])).toBe(true);
  });
  it("inside noGrad a Function records nothing (and needsInputGrad is all false)", () => {
    let flags: readonly boolean[] = [true];
    class Probe extends MultiplyGate {
      static override forward(ctx: Ctx, x: T, y: T): T { flags = ctx.needsInputGrad; return super.forward(ctx, x, y); }
    }
    const x = f64([1, 2], true);
    const z = tg.noGrad(() => Probe.apply(x, x));
    expect(z.requiresGrad).toBe(false);
    expect(z.gradFn).toBeNull();
    expect(flags).toEqual([false, false]);
    expectClose(z, [1, 4]);
  });
  it("a subclass reuses its parent's backward", () => {
    class Sub extends MultiplyGate {}
    const x = f64([2], true), y = f64([5], true);
    const z = Sub.apply(x, y);
    expect(z.gradFn!.name).toBe("SubBackward");
    z.backward(f64([1]));
    expectClose(x.grad!, [5]);
  });
});

describe("autograd.Function: edge inputs", () => {
  it("empty and 0-d tensors flow through forward and backward", () => {
    const e = tg.zeros([0, 3], { dtype: "float64" }).requiresGrad_(true);
    const z = MultiplyGate.apply(e, e);
    expect(z.shape).toEqual([0, 3]);
    z.sum().backward();
    expect(e.grad!.shape).toEqual([0, 3]);
    const s = f64(3, true);
    MultiplyGate.apply(s, s).backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(6);
  });
  it("NaN and ±inf propagate as the gate's own arithmetic says", () => {
    const x = f64([NaN, Infinity, -0], true), y = f64([1, 2, 5], true);
    MultiplyGate.apply(x, y).sum().backward();
    expectClose(x.grad!, [1, 2, 5]);
    expectClose(y.grad!, [NaN, Infinity, 0]);
    expect(Object.is(y.grad!.data()[2], -0)).toBe(true);
  });
  it("a strided view as input (a transpose) gets its gradient in its own shape", () => {
    const base = f64([[1, 2, 3], [4, 5, 6]], true);
    const t = base.transpose(0, 1);
    MultiplyGate.apply(t, t).sum().backward();
    expectClose(base.grad!, [[2, 4, 6], [8, 10, 12]]);
  });
  it("float32 inputs: the gate runs in float32 and .grad is float32", () => {
    const x = tg.tensor([1.5, -2], { requiresGrad: true }), y = tg.tensor([2, 4]);
    const z = MultiplyGate.apply(x, y);
    expect(z.dtype).toBe("float32");
    z.sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expectClose(x.grad!, [2, 4]);
  });
});
