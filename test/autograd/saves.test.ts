// The engine keeps only what rules read: a node holds its inputs' nodes and the tensors its rule
// declared, version-checks only those, and gradients never alias a tensor the user holds.
import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import * as tg from "../../lib/index.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
// Collects until the ArrayBuffers V8 accounts for have been freed.
async function settle(): Promise<number> {
  for (let i = 0; i < 4; ++i) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().arrayBuffers;
}

describe("memory held between forward and backward", () => {
  it("forty x.add(1).neg() steps on a 4 MiB tensor hold at most twice the noGrad memory", async () => {
    const x = tg.randn([1 << 20], { requiresGrad: true });
    const chain = () => {
      let z = x;
      for (let i = 0; i < 40; ++i) z = z.add(1).neg();
      return z;
    };
    const held = async (grad: boolean) => {
      const before = await settle();
      const z = grad ? chain() : tg.noGrad(chain);
      const after = await settle();
      if (grad) z.sum().backward();
      return after - before;
    };
    const plain = await held(false), withGrad = await held(true);
    expect(plain).toBeGreaterThanOrEqual(4 * 2 ** 20);  // the result itself
    expect(withGrad).toBeLessThanOrEqual(2 * plain);
    expect(x.grad!.toArray().slice(0, 3)).toEqual([1, 1, 1]);  // (-1)^40
  });
});

describe("saved tensors are only what rules read", () => {
  it("the fill_ example runs and gives PyTorch's gradient (adding a scalar saves nothing)", () => {
    const w = tg.tensor([1, 2, 3], { requiresGrad: true });
    const a = w.mul(2), b = a.add(1);
    a.fill_(0);
    b.sum().backward();
    expect(w.grad!.toArray()).toEqual([2, 2, 2]);  // torch: tensor([2., 2., 2.])
  });
  it("each rule saves what the C++ table says it reads", () => {
    const x = tg.tensor([0.5, 2], { requiresGrad: true }), c = tg.tensor([3, 4]);
    const saves = (t: tg.Tensor) => t.gradFn!.savesTensors;
    expect([x.add(c), x.sub(c), x.neg(), x.add(1), x.mul(3), x.sum(), x.reshape([2, 1]), x.unsqueeze(0).t()].map(saves)).toEqual(
      [false, false, false, false, false, false, false, false]);
    expect([x.exp(), x.log(), x.tanh(), x.relu(), x.mul(c), x.unsqueeze(0).matmul(c.unsqueeze(1)), x.softmax(0)].map(saves)).toEqual(
      [true, true, true, true, true, true, true]);
  });
  it("a tensor modified in place after a rule saved it still stops backward, naming the node", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.exp(), z = y.mul(2);
    tg.noGrad(() => y.fill_(0));
    expect(() => z.sum().backward()).toThrow(/saved by ExpBackward0 \(as y\) was modified in place/);
  });
  it("modifying an input of mul whose gradient is not needed does not stop backward", () => {
    const w = tg.tensor([1, 2], { requiresGrad: true }), c = tg.tensor([3, 4]);
    const y = w.mul(c);           // dw = g·c reads c; w is not saved
    tg.noGrad(() => w.copy_(tg.tensor([9, 9])));
    y.sum().backward();
    expect(w.grad!.toArray()).toEqual([3, 4]);
  });
});

describe("gradients never alias", () => {
  it("after a.add(b).mul(ones).sum().backward(), a.grad and b.grad are distinct storage", () => {
    const a = tg.tensor([1, 2], { requiresGrad: true }), b = tg.tensor([3, 4], { requiresGrad: true });
    a.add(b).mul(tg.ones([2])).sum().backward();
    expect(a.grad!.storage).not.toBe(b.grad!.storage);
    a.grad!.fill_(7);
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });
  it("a gradient the user passes is never kept as a .grad or returned by grad()", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const g = tg.tensor([5, 6]);
    x.clone().backward(g);
    expect(x.grad!.storage).not.toBe(g.storage);
    const [gx] = tg.autograd.grad(x.reshape([2]), x, { gradOutputs: g });
    expect(gx!.storage).not.toBe(g.storage);
    x.grad!.fill_(0), gx!.fill_(0);
    expect(g.toArray()).toEqual([5, 6]);
  });
  it("gradients arriving at a node from three uses are summed into one buffer", () => {
    const x = tg.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const h = x.mul(2);
    h.add(h).add(h.exp()).sum().backward();  // d/dx (4x + e^{2x}) = 4 + 2e^{2x}
    expect(x.grad!.toArray()).toEqual([4 + 2 * Math.exp(2), 4 + 2 * Math.exp(4)]);
  });
});

describe("autograd.grad runs only nodes on a path to the requested inputs", () => {
  it("a branch that cannot reach the inputs runs no node", () => {
    const a = tg.randn([3, 3], { requiresGrad: true }), w = tg.randn([3, 3], { requiresGrad: true });
    const runs: string[] = [];
    const seen = (name: string) => (t: tg.Tensor) => (t.registerHook(() => void runs.push(name)), t);
    const attached = seen("attached")(a.matmul(a));
    const other = seen("other")(w.matmul(w).exp());  // reaches only w
    const out = attached.sum().add(other.sum());
    const [ga] = tg.autograd.grad(out, a, { retainGraph: true });
    expect(runs).toEqual(["attached"]);
    expect(ga!.shape).toEqual([3, 3]);
    expect(w.grad).toBeNull();
    out.backward();
    expect(runs.sort()).toEqual(["attached", "attached", "other"]);
  });
  it("an intermediate tensor as the input: nodes below it do not run", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    let below = 0;
    x.registerHook(() => void ++below);
    const [gh] = tg.autograd.grad(h.mul(3).sum(), h);
    expect(gh!.toArray()).toEqual([3, 3]);
    expect(below).toBe(0);
    expect(x.grad).toBeNull();
  });
});
