// Whole training loops on small layers (conv, batch norm, pooling, dropout, embedding, linear), with
// every tensor the user can reach disposed each step so its small storage is reused the next step,
// must train exactly as the same loop that keeps everything.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/tensor.js";

const F = tg.nn.functional;
function train(disposeEachStep: boolean, optimizer: "sgd" | "adam", setToNone: boolean): number[][] {
  tg.emptyCache();
  tg.manualSeed(11);
  const conv = new tg.nn.Sequential(
    new tg.nn.Conv2d(2, 4, 3, { padding: 1 }), new tg.nn.BatchNorm2d(4), new tg.nn.ReLU(), new tg.nn.MaxPool2d(2),
    new tg.nn.Flatten(), new tg.nn.Dropout({ p: 0.3 }), new tg.nn.Linear(4 * 3 * 3, 5),
  );
  const emb = new tg.nn.Embedding(7, 5);
  const params = [...conv.parameters(), ...emb.parameters()];
  const opt = optimizer === "sgd" ? new tg.optim.SGD(params, { lr: 0.05, momentum: 0.9 }) : new tg.optim.Adam(params, { lr: 0.01 });
  const x = tg.randn([4, 2, 6, 6]), ids = tg.tensor([1, 3, 3, 6], { dtype: "int32" }), y = tg.tensor([0, 4, 2, 1], { dtype: "int32" });
  for (let step = 0; step < 8; ++step) {
    opt.zeroGrad({ setToNone });
    const h = conv.forward(x) as Tensor, e = emb.forward(ids) as Tensor;
    const logits = h.add(e);
    const loss = F.crossEntropy(logits, y);
    if (disposeEachStep) h.dispose(), e.dispose(), logits.dispose();
    loss.backward();
    opt.step();
    if (disposeEachStep) loss.dispose();
  }
  return [...params, ...conv.buffers()].map((p) => Array.from(p.data()));
}

it.each([["sgd", true], ["sgd", false], ["adam", true], ["adam", false]] as const)(
  "%s (zeroGrad setToNone %s): disposing each step's tensors trains exactly as keeping them", (optimizer, setToNone) => {
    expect(train(true, optimizer, setToNone)).toEqual(train(false, optimizer, setToNone));
  });
