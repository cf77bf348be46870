// Module printing (PyTorch's repr), hooks, apply, to(dtype), requiresGrad_, ModuleList, ModuleDict.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { nn } = tg;

class Net extends nn.Module {
  features = new nn.Sequential(new nn.Linear(2, 8), new nn.LeakyReLU({ negativeSlope: 0.2 }), new nn.Linear(8, 8, { bias: false }), new nn.ELU());
  heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.ModuleList([new nn.Linear(8, 1), new nn.Tanh()]) });
  out = new nn.LogSoftmax(1);
  forward(x: tg.Tensor): tg.Tensor {
    return this.out.forward(this.heads.get("cls").forward(this.features.forward(x)));
  }
}

// The strings PyTorch 1.13 prints for the same models (str(Net()) in Python).
const NET_REPR = "Net(\n  (features): Sequential(\n    (0): Linear(in_features=2, out_features=8, bias=True)\n    (1): LeakyReLU(negative_slope=0.2)\n    (2): Linear(in_features=8, out_features=8, bias=False)\n    (3): ELU(alpha=1.0)\n  )\n  (heads): ModuleDict(\n    (cls): Linear(in_features=8, out_features=3, bias=True)\n    (reg): ModuleList(\n      (0): Linear(in_features=8, out_features=1, bias=True)\n      (1): Tanh()\n    )\n  )\n  (out): LogSoftmax(dim=1)\n)";
const SEQ_REPR = "Sequential(\n  (0): GELU(approximate='none')\n  (1): Sigmoid()\n  (2): Softmax(dim=-1)\n  (3): Identity()\n  (4): MSELoss()\n)";

describe("printing a module", () => {
  it("String(model), toString and console.log print PyTorch's repr, not the weights", () => {
    const net = new Net();
    expect(String(net)).toBe(NET_REPR);
    expect(inspect(net)).toBe(NET_REPR);
    expect(`${new nn.Sequential(new nn.GELU(), new nn.Sigmoid(), new nn.Softmax(-1), new nn.Identity(), new nn.MSELoss())}`).toBe(SEQ_REPR);
    expect(String(new nn.Sequential())).toBe("Sequential()");
    expect(String(new nn.ModuleList())).toBe("ModuleList()");
  });
  it("a custom extraRepr of several lines goes before the children, as PyTorch", () => {
    class Scaled extends nn.Module {
      inner = new nn.ReLU();
      override extraRepr() { return "scale=2.0\nshift=1e-05"; }
      forward(x: tg.Tensor) { return x; }
    }
    expect(String(new Scaled())).toBe("Scaled(\n  scale=2.0\n  shift=1e-05\n  (inner): ReLU()\n)");
  });
  it("numbers print as Python floats", async () => {
    const { pyFloat } = await import("../../lib/nn/repr.js");
    expect([1, 0.01, 1e-5, 1.5e-5, 1e16, 123456789012345.6, 0.1 + 0.2, -0, NaN, -Infinity, 0.0001].map(pyFloat))
      .toEqual(["1.0", "0.01", "1e-05", "1.5e-05", "1e+16", "123456789012345.6", "0.30000000000000004", "-0.0", "nan", "-inf", "0.0001"]);
  });
});

describe("forward hooks", () => {
  it("pre-hooks and hooks run in registration order however forward is reached, and can replace inputs/outputs", () => {
    const lin = new nn.Linear(2, 2), relu = new nn.ReLU(), seq = new nn.Sequential(lin, relu);
    const log: string[] = [];
    const h1 = lin.registerForwardPreHook((m, inputs) => { log.push(`pre ${m.constructor.name} ${(inputs[0] as tg.Tensor).shape}`); });
    const h2 = relu.registerForwardHook((_m, _inputs, out) => { log.push("post relu"); return out.mul(0); });
    const x = tg.ones([3, 2]);
    expect(seq.forward(x).sum().item()).toBe(0);  // the hook replaced the output (and the fused path was skipped)
    expect(log).toEqual(["pre Linear 3,2", "post relu"]);
    relu.call(x);
    expect(log.length).toBe(3);
    h1.remove(); h2.remove(); h2.remove();  // remove is idempotent
    expect(Object.keys(lin)).not.toContain("forward");  // the class's forward is back
    expect(seq.forward(x).sum().item()).toBeGreaterThan(0);
    expect(log.length).toBe(3);
  });
  it("a pre-hook can replace the input", () => {
    const relu = new nn.ReLU();
    relu.registerForwardPreHook(() => tg.tensor([-1, 5]));
    expect(relu.forward(tg.tensor([1, 1])).toArray()).toEqual([0, 5]);
    expect(() => relu.registerForwardHook(3 as never)).toThrow("registerForwardHook: hook must be a function, got number");
  });
  it("hooks are not state: stateDict and parameters are unchanged", () => {
    const lin = new nn.Linear(2, 2);
    lin.registerForwardHook(() => undefined);
    expect(Object.keys(lin.stateDict())).toEqual(["weight", "bias"]);
  });
});

describe("apply, to, requiresGrad_", () => {
  it("apply visits children before the parent, depth first, as PyTorch", () => {
    const names: string[] = [];
    const net = new Net();
    expect(net.apply((m) => names.push(m.constructor.name))).toBe(net);
    expect(names).toEqual(["Linear", "LeakyReLU", "Linear", "ELU", "Sequential", "Linear", "Linear", "Tanh", "ModuleList", "ModuleDict", "LogSoftmax", "Net"]);
  });
  it("to('float64') converts parameters, gradients and float buffers, keeps ties and int buffers; double/float", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = new nn.Linear(2, 2);
      constructor() {
        super();
        this.b.weight = this.a.weight;
        this.registerBuffer("stat", tg.ones([2]));
        this.registerBuffer("count", tg.zeros([1], { dtype: "int32" }));
      }
      forward(x: tg.Tensor) { return this.b.forward(this.a.forward(x)); }
    }
    const m = new Tied();
    const w = m.a.weight.toArray();
    m.a.weight.grad = tg.ones([2, 2]);
    expect(m.double()).toBe(m);
    expect(m.parameters().map((p) => p.dtype)).toEqual(["float64", "float64", "float64"]);
    expect(m.a.weight).toBe(m.b.weight);
    expect(m.a.weight).toBeInstanceOf(nn.Parameter);
    expect(m.a.weight.requiresGrad).toBe(true);
    expect(m.a.weight.grad!.dtype).toBe("float64");
    expect(m.a.weight.toArray()).toEqual(w);  // float32 values are exact in float64
    const sd = m.stateDict();
    expect([sd.stat.dtype, sd.count.dtype]).toEqual(["float64", "int32"]);
    expect(m.forward(tg.ones([1, 2], { dtype: "float64" })).dtype).toBe("float64");
    m.float();
    expect(m.parameters().every((p) => p.dtype === "float32")).toBe(true);
    expect(() => m.to("int32")).toThrow("Module.to: only accepts floating point dtypes");
    expect(() => m.to("float16" as never)).toThrow(/float16/);
  });
  it("requiresGrad_(false) freezes every parameter", () => {
    const net = new Net();
    net.features.requiresGrad_(false);
    expect(net.namedParameters().filter(([, p]) => !p.requiresGrad).map(([k]) => k)).toEqual(["features.0.weight", "features.0.bias", "features.2.weight"]);
    net.requiresGrad_();
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
});

describe("ModuleList and ModuleDict", () => {
  it("ModuleList holds, indexes, inserts and keys its modules like PyTorch", () => {
    const l = new nn.ModuleList([new nn.Linear(1, 2), new nn.Linear(2, 3)]);
    l.append(new nn.ReLU()).insert(1, new nn.Tanh());
    expect([...l].map((m) => m.constructor.name)).toEqual(["Linear", "Tanh", "Linear", "ReLU"]);
    expect(l.length).toBe(4);
    expect(l.at(-1)).toBeInstanceOf(nn.ReLU);
    expect((l as unknown as Record<number, tg.nn.Module>)[0]).toBe(l.at(0));
    expect(Object.keys(l.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    l.set(-1, new nn.Sigmoid());
    expect(l.at(3)).toBeInstanceOf(nn.Sigmoid);
    expect(() => l.at(4)).toThrow("ModuleList.at: index 4 is out of range for 4 modules");
    expect(() => l.append(3 as never)).toThrow("ModuleList.append: expected a Module, got number");
    expect(() => l.forward(tg.ones([1]))).toThrow("ModuleList has no forward()");
  });
  it("ModuleDict keys, replaces, pops and refuses names it uses itself", () => {
    const d = new nn.ModuleDict({ enc: new nn.Linear(2, 2) });
    d.set("dec", new nn.Linear(2, 1));
    expect(d.keys()).toEqual(["enc", "dec"]);
    expect([...d]).toEqual(["enc", "dec"]);
    expect(d.has("enc") && !d.has("keys")).toBe(true);
    expect(Object.keys(d.stateDict())).toEqual(["enc.weight", "enc.bias", "dec.weight", "dec.bias"]);
    expect(d.pop("enc")).toBeInstanceOf(nn.Linear);
    expect(d.length).toBe(1);
    expect(() => d.get("enc")).toThrow('ModuleDict.get: no module "enc" (keys: dec)');
    expect(() => d.set("keys", new nn.ReLU())).toThrow('ModuleDict.set: "keys" is already a property of ModuleDict');
    expect(() => d.set("a.b", new nn.ReLU())).toThrow("key must be a non-empty string without");
    d.clear();
    expect(d.length).toBe(0);
  });
});
