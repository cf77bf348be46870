// End to end: a tiny MLP learns XOR with plain SGD written out by hand.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { nn } = tg;

it("a 2-8-1 MLP learns XOR with hand-written SGD", () => {
  tg.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
  const x = tg.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = tg.tensor([[0], [1], [1], [0]]);
  const lossFn = new nn.BCEWithLogitsLoss();
  const lr = 0.5;
  let first = 0, loss = 0;
  for (let step = 0; step < 1000; ++step) {
    model.zeroGrad();
    const l = lossFn.forward(model.forward(x), y);
    l.backward();
    loss = l.item();
    if (step === 0) first = loss;
    tg.noGrad(() => {
      for (const p of model.parameters()) p.copy_(p.sub(p.grad!.mul(lr)));
    });
  }
  expect(first).toBeGreaterThan(0.5);
  expect(loss).toBeLessThan(0.05);
  const pred = model.eval().forward(x).sigmoid().data();
  expect(Array.from(pred, (p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
});

it("the same MLP also fits XOR as 2-class crossEntropy", () => {
  tg.manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 2));
  const x = tg.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = tg.tensor([0, 1, 1, 0], { dtype: "int32" });
  let loss = Infinity;
  for (let step = 0; step < 1000; ++step) {
    model.zeroGrad();
    const l = nn.functional.crossEntropy(model.forward(x), y);
    l.backward();
    loss = l.item();
    tg.noGrad(() => model.parameters().forEach((p) => p.copy_(p.sub(p.grad!.mul(0.3)))));
  }
  expect(loss).toBeLessThan(0.05);
  expect(Array.from(model.forward(x).argmax(1).data())).toEqual([0, 1, 1, 0]);
});
