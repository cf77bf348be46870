// Demo: an MLP learns the three-armed spiral (as in TensorFlow Playground / CS231n) in a few
// seconds. Run with `npm run demo`. Prints one progress line per epoch and the loss curve.
import * as tg from "../dist/index.js";
import { lossCurve } from "./plot.js";

const CLASSES = 3, PER_CLASS = 200, EPOCHS = 40, BATCH = 64;

// Points along K spiral arms with a little angular noise; labels are the arm index.
function spiral() {
  const noise = tg.randn([CLASSES * PER_CLASS]).mul(0.2).data();
  const xy = new Float32Array(CLASSES * PER_CLASS * 2), labels = new Int32Array(CLASSES * PER_CLASS);
  for (let k = 0; k < CLASSES; ++k)
    for (let i = 0; i < PER_CLASS; ++i) {
      const n = k * PER_CLASS + i, r = i / (PER_CLASS - 1), t = 4 * k + 4 * r + noise[n];
      xy[2 * n] = r * Math.sin(t);
      xy[2 * n + 1] = r * Math.cos(t);
      labels[n] = k;
    }
  return { x: tg.tensor(xy, { shape: [CLASSES * PER_CLASS, 2] }), y: tg.tensor(labels) };
}

function accuracy(model, x, y) {
  return tg.noGrad(() => model.forward(x).argmax(1).eq(y).float().mean().item());
}

tg.manualSeed(0);
const { x, y } = spiral();
const n = x.shape[0];
const model = new tg.nn.Sequential(
  new tg.nn.Linear(2, 64), new tg.nn.ReLU(),
  new tg.nn.Linear(64, 64), new tg.nn.ReLU(),
  new tg.nn.Linear(64, CLASSES),
);
const opt = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
const losses = [];

console.log(`spiral: ${n} points, ${CLASSES} classes; MLP 2-64-64-3, Adam, batch ${BATCH}, ${tg.getNumThreads()} threads (${tg.cpuIsa()})`);
const start = performance.now();
for (let epoch = 1; epoch <= EPOCHS; ++epoch) {
  const t0 = performance.now();
  const order = tg.randperm(n);
  let total = 0;
  for (let b = 0; b < n; b += BATCH) {
    const idx = order.narrow(0, b, Math.min(BATCH, n - b));
    const logits = model.forward(x.indexSelect(0, idx));
    const loss = tg.nn.functional.crossEntropy(logits, y.indexSelect(0, idx));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * idx.shape[0];
  }
  const secs = (performance.now() - t0) / 1000;
  losses.push(total / n);
  console.log(`epoch ${String(epoch).padStart(2)}  loss ${(total / n).toFixed(4)}  accuracy ${(100 * accuracy(model, x, y)).toFixed(1)}%  ${Math.round(n / secs)} samples/s`);
}
const acc = accuracy(model, x, y);
console.log(`\nloss per epoch:\n${lossCurve(losses)}`);
console.log(`final accuracy ${(100 * acc).toFixed(1)}% in ${((performance.now() - start) / 1000).toFixed(2)} s`);
if (acc < 0.97) process.exitCode = 1;
