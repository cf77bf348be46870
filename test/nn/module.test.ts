import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose } from "./helpers.js";

const { nn } = tg;

const mlp = () => new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));

// A custom module: parameters and children are found in assignment order, as PyTorch keys them.
class Block extends nn.Module {
  scale = new nn.Parameter(tg.ones([2]));
  body = mlp();
  head = new nn.Linear(2, 1, { bias: false });
  constructor() {
    super();
    this.registerBuffer("runningMean", tg.zeros([2]));
  }
  forward(x: tg.Tensor): tg.Tensor {
    return this.head.forward(this.body.forward(x).mul(this.scale));
  }
}

describe("Module registration and traversal", () => {
  it("Sequential names its children 0, 1, … and keys parameters like PyTorch", () => {
    const m = mlp();
    expect(m.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([
      ["0.weight", [4, 3]], ["0.bias", [4]], ["2.weight", [2, 4]], ["2.bias", [2]],
    ]);
    expect(Object.keys(m.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect([...m.namedChildren()].map(([k]) => k)).toEqual(["0", "1", "2"]);
    expect(m.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad && p.isLeaf)).toBe(true);
  });

  it("a custom module keys own parameters, then buffers, then children; namedModules walks depth first", () => {
    const b = new Block();
    expect(b.namedParameters().map(([k]) => k)).toEqual(["scale", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight"]);
    expect(Object.keys(b.stateDict())).toEqual(["scale", "runningMean", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight"]);
    expect(b.namedBuffers().map(([k]) => k)).toEqual(["runningMean"]);
    expect([...b.namedModules()].map(([k]) => k)).toEqual(["", "body", "body.0", "body.1", "body.2", "head"]);
    expect([...b.modules()].length).toBe(6);
    expect([...b.children()].length).toBe(2);
    expect(b.call(tg.ones([5, 3])).shape).toEqual([5, 1]);
  });

  it("registerParameter wraps a tensor as a Parameter; a parameter shared twice is listed once", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = new nn.Linear(2, 2);
      constructor() {
        super();
        this.b.weight = this.a.weight;
        this.registerParameter("extra", tg.zeros([3]));
      }
      forward(x: tg.Tensor) { return this.b.forward(this.a.forward(x)); }
    }
    const t = new Tied();
    expect((t as unknown as { extra: unknown }).extra).toBeInstanceOf(nn.Parameter);
    expect(t.namedParameters().map(([k]) => k)).toEqual(["extra", "a.weight", "a.bias", "b.bias"]);
  });

  it("Sequential: append, length, at(i), iteration", () => {
    const s = new nn.Sequential(new nn.Linear(2, 3));
    s.append(new nn.Tanh()).append(new nn.Linear(3, 1));
    expect(s.length).toBe(3);
    expect(s.at(1)).toBeInstanceOf(nn.Tanh);
    expect(s.at(-1)).toBe(s.at(2));
    expect([...s].length).toBe(3);
    expect(() => s.at(3)).toThrow(/index 3 is out of range for 3 modules/);
    expect(() => s.append({} as tg.nn.Module)).toThrow(TypeError);
    const x = tg.ones([1, 2]);
    expect(() => (s.forward as (...a: unknown[]) => unknown)(x, x)).toThrow(/^Sequential.forward: takes one input .*got 2 arguments/);
    expect(() => s.call(x, x)).toThrow(/got 2 arguments/);
    // No input at all: an empty Sequential returned undefined instead of refusing.
    expect(() => (new tg.nn.Sequential().forward as () => unknown)()).toThrow(/^Sequential.forward: takes one input .*got 0 arguments/);
    expect(() => (s.forward as () => unknown)()).toThrow(/got 0 arguments/);
  });

  it("train() and eval() reach every submodule", () => {
    const b = new Block();
    expect([...b.modules()].every((m) => m.training)).toBe(true);
    expect(b.eval()).toBe(b);
    expect([...b.modules()].every((m) => !m.training)).toBe(true);
    b.train();
    expect([...b.modules()].every((m) => m.training)).toBe(true);
    b.body.train(false);
    expect([b.training, b.body.training, b.body.at(0).training, b.head.training]).toEqual([true, false, false, true]);
  });

  it("zeroGrad clears (or zeroes) every parameter's grad", () => {
    const m = mlp();
    m.forward(tg.ones([2, 3])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad({ setToNone: false });
    expect(m.parameters().every((p) => p.grad!.abs().sum().item() === 0)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe("stateDict / loadStateDict", () => {
  it("stateDict of a module with a disposed parameter names its key", () => {
    const m = mlp();
    (m.at(2) as tg.nn.Linear).bias!.dispose();
    expect(() => m.stateDict()).toThrow(/^stateDict: "2\.bias" \(shape \[2\], float32\) was disposed/);
  });
  it("stateDict holds detached copies", () => {
    const m = mlp();
    const sd = m.stateDict();
    expect(sd["0.weight"].requiresGrad).toBe(false);
    sd["0.weight"].fill_(7);
    expect(m.at(0).stateDict()["weight"].toArray()).not.toEqual(sd["0.weight"].toArray());
  });

  it("round trip: a second model loaded from the first computes the same outputs", () => {
    tg.manualSeed(1);
    const a = new Block(), b = new Block();
    const x = tg.randn([4, 3]);
    expect(a.forward(x).toArray()).not.toEqual(b.forward(x).toArray());
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    // Loading copies in place: the parameter objects (what an optimizer holds) stay the same.
    const w = b.body.at(0) as tg.nn.Linear;
    const before = w.weight;
    b.loadStateDict(new Block().stateDict());
    expect(w.weight).toBe(before);
  });

  it("strict loading names missing and unexpected keys; non-strict reports them", () => {
    const m = mlp(), sd = m.stateDict();
    delete sd["2.bias"];
    sd["3.weight"] = tg.zeros([1]);
    expect(() => m.loadStateDict(sd)).toThrow("loadStateDict: keys do not match. Missing: 2.bias. Unexpected: 3.weight.");
    expect(m.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ["2.bias"], unexpectedKeys: ["3.weight"] });
  });

  it("a shape mismatch names the key and both shapes, and changes nothing", () => {
    const m = mlp(), sd = m.stateDict();
    const before = m.stateDict()["0.bias"].toArray();
    sd["0.bias"] = tg.zeros([4]);
    sd["2.weight"] = tg.zeros([4, 2]);
    expect(() => m.loadStateDict(sd)).toThrow("loadStateDict: size mismatch for 2.weight: checkpoint has shape [4, 2], the model has [2, 4]");
    expect(m.stateDict()["0.bias"].toArray()).toEqual(before);
  });
});

describe("Linear", () => {
  it("weight is [out, in]; init lies in U(-1/√in, 1/√in) and uses the range", () => {
    tg.manualSeed(0);
    const l = new nn.Linear(100, 50);
    expect(l.weight.shape).toEqual([50, 100]);
    expect(l.bias!.shape).toEqual([50]);
    const bound = 1 / Math.sqrt(100);
    for (const p of [l.weight, l.bias!]) {
      expect(p.abs().max().item()).toBeLessThanOrEqual(bound);
      expect(p.abs().max().item()).toBeGreaterThan(0.9 * bound);
    }
    // variance of U(-b, b) is b²/3
    const w = l.weight.data() as Float32Array;
    const varW = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.abs(varW - (bound * bound) / 3)).toBeLessThan(0.1 * (bound * bound) / 3);
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
    expect(new nn.Linear(3, 2, { dtype: "float64" }).weight.dtype).toBe("float64");
  });

  it("tg.manualSeed makes the init reproducible", () => {
    tg.manualSeed(42);
    const a = new nn.Linear(4, 3);
    tg.manualSeed(42);
    const b = new nn.Linear(4, 3);
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect(a.bias!.toArray()).toEqual(b.bias!.toArray());
  });

  it("forward equals x·Wᵀ + b computed by hand, for 2-D and batched 3-D inputs", () => {
    const l = new nn.Linear(3, 2, { dtype: "float64" });
    l.loadStateDict({ weight: tg.tensor([[1, 2, 3], [-1, 0, 0.5]]), bias: tg.tensor([0.5, -2]) });
    const x = tg.tensor([[1, 0, -1], [2, 1, 0.5]], { dtype: "float64" });
    // row 0: [1-3+0.5, -1-0.5-2] ; row 1: [2+2+1.5+0.5, -2+0.25-2]
    expectClose(l.forward(x), [[-1.5, -3.5], [6, -3.75]]);
    expectClose(l.forward(x.reshape([1, 2, 3])), [[[-1.5, -3.5], [6, -3.75]]]);
    expect(() => l.forward(tg.ones([2, 4], { dtype: "float64" }))).toThrow("linear: input of shape [2, 4] does not match weight of shape [2, 3]");
  });

  it("gradients of Linear pass gradCheck (functional.linear)", () => {
    const F = tg.nn.functional;
    tg.manualSeed(24);
    const x = tg.randn([4, 3]), w = tg.randn([2, 3]), b = tg.randn([2]);
    expect(tg.gradCheck((x, w, b) => F.linear(x, w, b), [x, w, b])).toBe(true);
    expect(tg.gradCheck((x, w) => F.linear(x, w), [x, w])).toBe(true);
  });
});

describe("activation modules", () => {
  it("each equals its op", () => {
    const x = tg.tensor([[-2, -0.5, 0, 1.5]], { dtype: "float64" });
    const same = (m: tg.nn.Module, t: tg.Tensor) => expect(m.forward(x).toArray()).toEqual(t.toArray());
    same(new nn.ReLU(), x.relu());
    same(new nn.Sigmoid(), x.sigmoid());
    same(new nn.Tanh(), x.tanh());
    same(new nn.GELU(), x.gelu());
    same(new nn.LeakyReLU({ negativeSlope: 0.2 }), x.leakyRelu(0.2));
    same(new nn.ELU({ alpha: 0.5 }), x.elu(0.5));
    same(new nn.Softmax(1), x.softmax(1));
    same(new nn.Softmax({ dim: 1 }), x.softmax(1));
    same(new nn.LogSoftmax({ dim: -1 }), x.logSoftmax(-1));
    same(new nn.LogSoftmax(-1), x.logSoftmax(-1));
    expect(new nn.Identity().forward(x)).toBe(x);
    expectClose(new nn.LeakyReLU({ negativeSlope: 0.2 }).forward(x), [[-0.4, -0.1, 0, 1.5]]);
    expectClose(new nn.LeakyReLU().forward(x), [[-0.02, -0.005, 0, 1.5]]);
  });
});

describe("a layer without settings refuses arguments", () => {
  it("names the layer and what it was given, instead of dropping it (PyTorch's inplace, a slope meant for LeakyReLU)", () => {
    expect(() => new (tg.nn.ReLU as unknown as new (a: unknown) => tg.nn.Module)(true)).toThrow(/ReLU: takes no arguments, got boolean true .*inplace/);
    expect(() => new (tg.nn.ReLU as unknown as new (a: unknown) => tg.nn.Module)({ inplace: true })).toThrow(/ReLU: takes no arguments, got an object/);
    expect(() => new (tg.nn.Tanh as unknown as new (a: unknown) => tg.nn.Module)("x")).toThrow(/Tanh: takes no arguments, got string "x"/);
    expect(() => new (tg.nn.Identity as unknown as new (a: unknown, b: unknown) => tg.nn.Module)(1, 2)).toThrow(/Identity: takes no arguments, got number 1, number 2/);
    // A module of one's own passing its settings up, and an anonymous one: the message names the class (or
    // Module) and says where the settings go.
    class Net extends tg.nn.Module {
      constructor(readonly width: number) {
        super(width as never);
      }
      forward(x: tg.Tensor) {
        return x;
      }
    }
    expect(() => new Net(3)).toThrow(/^Net: takes no arguments, got number 3 \(a module of your own keeps its settings in a constructor of its own, which calls super\(\) with none\)$/);
    // tensorgrad's own layers without settings say what PyTorch's positional argument there would be.
    expect(() => new (tg.nn.ReLU as unknown as new (a: unknown) => tg.nn.Module)(true)).toThrow(/^ReLU: takes no arguments, got boolean true \(tensorgrad's layers have no `inplace` option/);
    const Anonymous = (() => class extends tg.nn.Module { forward(x: tg.Tensor) { return x; } })();
    expect(() => new (Anonymous as unknown as new (a: unknown) => tg.nn.Module)(1)).toThrow(/^Module: takes no arguments, got number 1/);
    expect(new tg.nn.ReLU().forward(tg.tensor([-1, 2])).tolist()).toEqual([0, 2]);
  });
});

describe("nn.Parameter's requiresGrad", () => {
  it("goes as an option, by the calling rule, or positionally; anything else throws", () => {
    const t = tg.ones([2]);
    expect(new nn.Parameter(t, { requiresGrad: false }).requiresGrad).toBe(false);
    expect(new nn.Parameter(t, false).requiresGrad).toBe(false);
    expect(new nn.Parameter(t).requiresGrad).toBe(true);
    // An options object used to be stored as the flag itself, which counted as true.
    expect(() => new nn.Parameter(t, { requires_grad: false } as never)).toThrow(/unknown option "requires_grad"; did you mean "requiresGrad"/);
    expect(() => new nn.Parameter(t, { requiresGrad: "no" } as never)).toThrow(/requiresGrad must be a boolean, got string "no"/);
    expect(() => new nn.Parameter(t, 0 as never)).toThrow(/expected an options object \{requiresGrad\}/);
  });
});
