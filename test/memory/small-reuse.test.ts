// Small storage (17 bytes to 2 KiB, carved from slabs) whose last handle is disposed is handed to the
// next tensor of that dtype and length (lib/storage.ts), as backward's used-up gradients are every
// step. Reuse must never be visible: not while another handle or a recorded node still uses the
// storage, and a reused array starts zeroed where the caller asked for zeros.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";

describe("small storage reused after its last handle is disposed", () => {
  it("the next output of that size takes the disposed array", () => {
    const x = tg.randn([7, 5]);
    const s = x.storage;
    x.dispose();
    const y = Tensor.output([7, 5]);
    expect(y.storage).toBe(s);
    const z = Tensor.output([7, 5]);
    expect(z.storage).not.toBe(s);
  });

  it("a reused array is zeroed for zero-filled tensors", () => {
    const x = tg.full([6, 6], 3);
    const s = x.storage;
    x.dispose();
    const y = tg.zeros([6, 6]);
    expect(y.storage).toBe(s);
    expect(y.sum().item()).toBe(0);
  });

  it("tg.emptyCache() drops the kept arrays", () => {
    const x = tg.randn([3, 11]);
    const s = x.storage;
    x.dispose();
    tg.emptyCache();
    expect(Tensor.output([3, 11]).storage).not.toBe(s);
  });

  it("is not reused while a view of it is alive", () => {
    const x = tg.full([4, 8], 2), v = x.reshape([32]);
    const s = x.storage;
    x.dispose();
    const y = Tensor.output([4, 8]);
    expect(y.storage).not.toBe(s);
    y.storage.fill(9);
    expect(v.sum().item()).toBe(64);
    v.dispose();
    expect(Tensor.output([4, 8]).storage).toBe(s);
  });

  it("is not reused while a recorded node still needs it", () => {
    const w = tg.randn([10, 3], { requiresGrad: true });
    const h = w.mul(2);
    const e = h.exp();  // exp saves its output
    const expected = e.detach().clone(), loss = e.sum();
    const s = e.storage;
    e.dispose();  // pending: exp's node still holds it
    const y = Tensor.output([10, 3]);
    expect(y.storage).not.toBe(s);
    y.storage.fill(-1);
    loss.backward();
    expect(w.grad!.allclose(expected.mul(2))).toBe(true);
    expect(e.storage.length).toBe(0);  // the handle ended once the node had run
  });

  it("disposing each step's outputs (their memory reused the next step) trains exactly as keeping them", () => {
    const run = (disposeEachStep: boolean) => {
      tg.manualSeed(3);
      const model = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.Tanh(), new tg.nn.Linear(16, 1));
      const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
      const x = tg.randn([32, 2]), y = tg.randn([32, 1]);
      for (let i = 0; i < 20; ++i) {
        opt.zeroGrad();
        const pred = model.forward(x);
        const loss = tg.nn.functional.mseLoss(pred, y);
        loss.backward();
        opt.step();
        if (disposeEachStep) pred.dispose(), loss.dispose();
      }
      return model.parameters().map((p) => Array.from(p.data()));
    };
    expect(run(true)).toEqual(run(false));
  });
});
