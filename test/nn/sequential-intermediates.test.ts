// Sequential disposes an intermediate output once the next layer has consumed it, when both layers are
// tensorgrad's own stateless layers running their own forward (lib/nn/stateless.ts): the graph keeps what
// backward needs, so training is unchanged, while anything user code could hold is never disposed.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/tensor.js";
import type { Node } from "../../lib/autograd/node.js";

const { nn } = tg;

// Every tensor saved by the graph below `out`, with the node that saved it.
function savedTensors(out: Tensor): Tensor[] {
  const seen = new Set<Node>(), found: Tensor[] = [];
  const walk = (n: Node | null | undefined): void => {
    if (!n || seen.has(n)) return;
    seen.add(n);
    const saved = (n as unknown as { saved: { t: Tensor }[] | null }).saved ?? [];
    for (const s of saved) found.push(s.t);
    for (const e of (n as unknown as { next: ({ node: Node } | null)[] }).next) walk(e?.node);
  };
  walk(out.gradFn);
  return found;
}

class Keep extends nn.Module {
  last: Tensor | null = null;
  forward(x: Tensor): Tensor {
    this.last = x;
    return x.mul(2);
  }
}

describe("Sequential and its intermediates", () => {
  it("disposes an intermediate after backward has used it, and never the input", () => {
    tg.manualSeed(1);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 3));
    const x = tg.randn([5, 4]);
    const out = model.forward(x);
    const hidden = savedTensors(out).filter((t) => t.shape[0] === 5 && t.shape[1] === 8);  // tanh's output, saved twice
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((t) => t.disposeState === "pending")).toBe(true);
    out.sum().backward();
    expect(hidden.every((t) => t.disposeState === "disposed")).toBe(true);
    expect(x.disposeState).toBe("live");
    expect(x.sum().item()).toBeCloseTo(x.data().reduce((a, b) => a + b, 0), 4);
  });

  it("trains exactly as the same layers called one by one", () => {
    const build = () => {
      tg.manualSeed(7);
      return [new nn.Conv2d(2, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
        new nn.Linear(4 * 3 * 3, 6), new nn.Tanh(), new nn.Dropout({ p: 0.2 }), new nn.Linear(6, 2)];
    };
    const train = (forward: (x: Tensor) => Tensor, params: Tensor[]): number[][] => {
      tg.manualSeed(3);
      const opt = new tg.optim.SGD(params, { lr: 0.1, momentum: 0.9 });
      const x = tg.randn([3, 2, 6, 6]), y = tg.tensor([0, 1, 1], { dtype: "int32" });
      for (let i = 0; i < 5; ++i) {
        opt.zeroGrad();
        nn.functional.crossEntropy(forward(x), y).backward();
        opt.step();
      }
      return params.map((p) => Array.from(p.data()));
    };
    const layers = build(), seq = new nn.Sequential(...build());
    const byHand = train((x) => layers.reduce((h, l) => l.forward(h), x), layers.flatMap((l) => [...l.parameters()]));
    expect(train((x) => seq.forward(x), [...seq.parameters()])).toEqual(byHand);
  });

  it("gives the same output under noGrad, where intermediates are freed at once", () => {
    tg.manualSeed(2);
    const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 4));
    const x = tg.randn([64, 16]);
    const first = Array.from(tg.noGrad(() => model.forward(x)).data());
    for (let i = 0; i < 3; ++i) expect(Array.from(tg.noGrad(() => model.forward(x)).data())).toEqual(first);
  });

  it("never disposes what a user module is given or returns", () => {
    const keep = new Keep();
    const model = new nn.Sequential(new nn.Linear(3, 3), keep, new nn.ReLU());
    model.forward(tg.randn([2, 3])).sum().backward();
    expect(keep.last!.disposeState).toBe("live");
    expect(keep.last!.shape).toEqual([2, 3]);
  });

  it("never disposes what a subclass of a layer is given", () => {
    class SeeingReLU extends nn.ReLU {
      seen: Tensor | null = null;
      override forward(x: Tensor): Tensor {
        this.seen = x;
        return super.forward(x);
      }
    }
    const spy = new SeeingReLU();
    const model = new nn.Sequential(new nn.Linear(3, 3), new nn.Tanh(), spy);
    model.forward(tg.randn([2, 3])).sum().backward();
    expect(spy.seen!.disposeState).toBe("live");
  });

  it("never disposes what a forward hook saw", () => {
    const first = new nn.Linear(3, 5);
    let captured: Tensor | null = null;
    first.registerForwardHook((_m, _inputs, out) => {
      captured = out;
    });
    const model = new nn.Sequential(first, new nn.Tanh(), new nn.Linear(5, 1));
    model.forward(tg.randn([4, 3])).sum().backward();
    expect(captured!.disposeState).toBe("live");
    expect(captured!.shape).toEqual([4, 5]);
  });

  it("keeps the input through layers that return it (Identity)", () => {
    const x = tg.randn([2, 3]);
    new nn.Sequential(new nn.Identity(), new nn.Tanh(), new nn.Identity()).forward(x);
    expect(x.disposeState).toBe("live");
    const h = tg.randn([2, 3]);
    expect(new nn.Sequential(new nn.Identity(), new nn.Identity()).forward(h)).toBe(h);
    expect(h.disposeState).toBe("live");
  });
});
