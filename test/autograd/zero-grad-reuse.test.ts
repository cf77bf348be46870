// zeroGrad() (setToNone, PyTorch's default) disposes a .grad that backward made and no user code has seen,
// so the next backward's gradient reuses its memory; a .grad the user read, assigned, or a hook saw is only
// dropped, and stays usable wherever the user kept it.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { gradOf } from "../../lib/tensor.js";

// A layer whose weight gradient (64×64 float32, 16 KiB) is large storage, and one step of training it.
function setup() {
  tg.manualSeed(3);
  const layer = new tg.nn.Linear(64, 64);
  const opt = new tg.optim.SGD(layer.parameters(), { lr: 0.1 });
  const x = tg.randn([8, 64]);
  const backward = () => layer.forward(x).square().sum().backward();
  return { layer, opt, backward, w: layer.weight };
}

describe("zeroGrad and gradients no one has seen", () => {
  it("disposes an unseen gradient, and the next backward's gradient takes its memory", () => {
    const { opt, backward, w } = setup();
    backward();
    opt.step();
    const first = gradOf(w)!, memory = first.storage;
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    expect(first.disposeState).toBe("disposed");
    backward();
    expect(gradOf(w)!.storage).toBe(memory);
  });

  it("gives the same gradients as a fresh allocation", () => {
    const { opt, backward, w } = setup();
    backward();
    const expected = Array.from(w.grad!.data());  // read: seen, so not reused
    opt.zeroGrad();
    backward();
    opt.zeroGrad();  // unseen: disposed into the free lists
    backward();      // reuses it
    expect(Array.from(w.grad!.data())).toEqual(expected);
  });

  it("keeps a gradient the user read: it stays live and unchanged after zeroGrad and the next backward", () => {
    const { opt, backward, w } = setup();
    backward();
    const kept = w.grad!;
    const values = Array.from(kept.data());
    opt.zeroGrad();
    expect(kept.disposeState).toBe("live");
    backward();
    expect(Array.from(kept.data())).toEqual(values);
    expect(gradOf(w)!.storage).not.toBe(kept.storage);
  });

  it("keeps a gradient the user assigned", () => {
    const { opt, w } = setup();
    const mine = tg.ones(w.shape);
    w.grad = mine;
    opt.zeroGrad();
    expect(mine.disposeState).toBe("live");
    expect(mine.sum().item()).toBe(64 * 64);
  });

  it("keeps a gradient a post-accumulate hook read", () => {
    const { opt, backward, w } = setup();
    let seen: tg.Tensor | null = null;
    w.registerPostAccumulateGradHook((p) => {
      seen = p.grad;
    });
    backward();
    opt.zeroGrad();
    expect(seen!.disposeState).toBe("live");
    expect(seen!.numel()).toBe(64 * 64);
  });

  it("zeroGrad over some parameters never touches another parameter's gradient", () => {
    const a = tg.randn([32, 32], { requiresGrad: true }), b = tg.randn([32, 32], { requiresGrad: true });
    a.add(b).sum().backward();
    new tg.optim.SGD([a], { lr: 1 }).zeroGrad();
    expect(gradOf(a)).toBeNull();
    expect(b.grad!.disposeState).toBe("live");
    expect(b.grad!.sum().item()).toBe(32 * 32);
  });

  it("clipGradNorm_ and the optimizer's step do not count as seeing a gradient", () => {
    const { layer, opt, backward, w } = setup();
    backward();
    tg.nn.utils.clipGradNorm_(layer.parameters(), 1);
    opt.step();
    const g = gradOf(w)!;
    opt.zeroGrad();
    expect(g.disposeState).toBe("disposed");
  });

  it("Module.zeroGrad() follows the same rule", () => {
    const { layer, backward, w } = setup();
    backward();
    const unseen = gradOf(w)!;
    layer.zeroGrad();
    expect(unseen.disposeState).toBe("disposed");
    backward();
    const read = w.grad!;
    layer.zeroGrad();
    expect(read.disposeState).toBe("live");
  });
});

describe("zeroGrad's options", () => {
  it("takes {setToNone} as PyTorch's keyword, and refuses a bare boolean or an unknown key with the fix", () => {
    const { layer, opt, backward, w } = setup();
    backward();
    const g = gradOf(w)!;
    opt.zeroGrad({ setToNone: false });
    expect(gradOf(w)).toBe(g);
    expect(g.sum().item()).toBe(0);
    expect(() => opt.zeroGrad(false as never)).toThrow("SGD.zeroGrad: expected an options object {setToNone} as the last argument, got boolean false (PyTorch's defaulted arguments are options here, by name: {setToNone: false})");
    expect(() => layer.zeroGrad({ set_to_none: false } as never)).toThrow(/Module.zeroGrad: unknown option "set_to_none"; did you mean "setToNone"/);
    expect(() => layer.zeroGrad({ setToNone: 0 } as never)).toThrow("Module.zeroGrad: setToNone must be true or false, got 0");
    layer.zeroGrad({});
    expect(gradOf(w)).toBeNull();
  });

  it("enumerating a parameter (Object.entries, spread, for-in) does not reach its gradient behind .grad's back", () => {
    const { backward, w } = setup();
    backward();
    const g = gradOf(w)!;
    const reached = [...Object.values(w), ...Object.values({ ...w })];
    for (const key in w) reached.push((w as unknown as Record<string, unknown>)[key]);
    expect(reached).not.toContain(g);
    expect(Object.keys(w)).not.toContain("gradient");
  });
});
