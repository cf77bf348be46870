// Demo: an MLP learns the three-armed spiral (as in TensorFlow Playground / CS231n) in a few
// seconds. Run with `npm run demo` (or `node examples/spiral.js [output folder]`). Shows the
// model and its summary, a progress bar while training, the loss curve in the terminal, and
// writes the train/validation curves to <output folder>/spiral-curves.svg (default: out/).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import * as tg from "../dist/index.js";

const CLASSES = 3, PER_CLASS = 200, EPOCHS = 60, BATCH = 64, VAL = 120;
const outDir = process.argv[2] ?? "out";

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

// Loss and accuracy of the model on (x, y), without recording a graph.
function evaluate(model, x, y) {
  return tg.noGrad(() => {
    const logits = model.forward(x);
    return { loss: tg.nn.functional.crossEntropy(logits, y).item(), acc: logits.argmax(1).eq(y).float().mean().item() };
  });
}

tg.manualSeed(0);
const all = spiral();
const order = tg.randperm(all.x.shape[0]);
const pick = (t, start, len) => t.indexSelect(0, order.narrow(0, start, len));
const val = { x: pick(all.x, 0, VAL), y: pick(all.y, 0, VAL) };
const train = { x: pick(all.x, VAL, all.x.shape[0] - VAL), y: pick(all.y, VAL, all.x.shape[0] - VAL) };
const n = train.x.shape[0];

const model = new tg.nn.Sequential(
  new tg.nn.Linear(2, 64), new tg.nn.ReLU(),
  new tg.nn.Linear(64, 64), new tg.nn.ReLU(),
  new tg.nn.Linear(64, CLASSES),
);
const opt = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
const history = new tg.utils.History();

console.log(`spiral: ${n} training and ${VAL} validation points, ${CLASSES} classes; Adam, batch ${BATCH}, ${tg.getNumThreads()} threads (${tg.cpuIsa()})`);
console.log(model);
tg.summary(model, [BATCH, 2]);

const start = performance.now();
const bar = new tg.utils.Progress(null, { total: EPOCHS * n, desc: "training", unit: "samples" });
for (let epoch = 1; epoch <= EPOCHS; ++epoch) {
  const perm = tg.randperm(n);
  let total = 0;
  for (let b = 0; b < n; b += BATCH) {
    const idx = perm.narrow(0, b, Math.min(BATCH, n - b));
    const loss = tg.nn.functional.crossEntropy(model.forward(train.x.indexSelect(0, idx)), train.y.indexSelect(0, idx));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * idx.shape[0];
    bar.update(idx.shape[0]);
  }
  const v = evaluate(model, val.x, val.y);
  history.log({ loss: total / n, accuracy: evaluate(model, train.x, train.y).acc }, { epoch });
  history.log({ loss: v.loss, accuracy: v.acc }, { epoch, split: "val" });
  bar.setPostfix({ epoch, loss: total / n, valAcc: v.acc });
}
bar.close();
const secs = (performance.now() - start) / 1000;

console.log(`\n${history.ascii("loss")}`);
mkdirSync(outDir, { recursive: true });
const svg = await history.plot(join(outDir, "spiral-curves.svg"), { title: "MLP on the spiral" });
const acc = evaluate(model, all.x, all.y).acc;
console.log(`curves written to ${svg}`);
console.log(`final accuracy ${(100 * acc).toFixed(1)}% (validation ${(100 * history.last("accuracy", "val")).toFixed(1)}%) in ${secs.toFixed(2)} s, ${Math.round((EPOCHS * n) / secs)} samples/s`);
if (acc < 0.97) process.exitCode = 1;
