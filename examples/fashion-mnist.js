// A small CNN with BatchNorm and Dropout on the full Fashion-MNIST (60,000 training / 10,000 test images of
// clothing, 10 classes), read from Debian's dataset-fashion-mnist package or from a directory you give:
//   node examples/fashion-mnist.js [DIR] [--epochs N] [--batch B]
// DIR holds {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (the original IDX files, gzipped), read by
// tg.data.FashionMNIST.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tg from "../dist/index.js";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { epochs: { type: "string", default: "6" }, batch: { type: "string", default: "128" }, seed: { type: "string", default: "0" } },
});
const DIR = positionals[0] ?? "/usr/share/datasets/fashion-mnist";
const EPOCHS = Number(opts.epochs), BATCH = Number(opts.batch);
const CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
// The training set's pixel mean and standard deviation (of values in [0, 1]).
const MEAN = 0.286, STD = 0.353;

// One split as x [n, 1, 28, 28] (normalised) and labels y [n] (int32), through tg.data's reader.
function loadSplit(train) {
  const set = new tg.data.FashionMNIST(DIR, { train });
  return { x: set.data.sub(MEAN).div(STD), y: set.targets };
}

const needed = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
const missing = needed.filter((f) => !existsSync(join(DIR, f)));
if (missing.length) {
  console.error(`Fashion-MNIST not found in ${DIR} (missing ${missing.join(", ")}).\n` +
    `Install Debian's package (sudo apt-get install dataset-fashion-mnist), or download the four files from\n` +
    `https://github.com/zalandoresearch/fashion-mnist (data/fashion) and pass their directory:\n` +
    `  node examples/fashion-mnist.js /path/to/fashion-mnist`);
  process.exit(2);
}

function smallCnn() {
  const { nn } = tg;
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dropout({ p: 0.25 }),
    new nn.Linear(32 * 7 * 7, 128), new nn.ReLU(), new nn.Dropout({ p: 0.5 }),
    new nn.Linear(128, 10),
  );
}

// Accuracy over a whole split in eval mode (BatchNorm uses its running statistics, Dropout is off).
function evaluate(model, x, y) {
  model.eval();
  const right = tg.noGrad(() => {
    let r = 0;
    for (let b = 0; b < x.shape[0]; b += 1000) {
      const n = Math.min(1000, x.shape[0] - b);
      r += model.forward(x.narrow(0, b, n)).argmax(1).eq(y.narrow(0, b, n)).sum().item();
    }
    return r;
  });
  model.train();
  return right / x.shape[0];
}

tg.manualSeed(Number(opts.seed));
const t0 = performance.now();
const train = loadSplit(true), test = loadSplit(false);
const n = train.x.shape[0];
console.log(`Fashion-MNIST from ${DIR}: ${n} training and ${test.x.shape[0]} test images (${CLASSES.length} classes), ` +
  `read in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const model = smallCnn();
const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
console.log(`CNN conv16-BN-pool, conv32-BN-pool, dropout, FC 128, dropout, FC 10; Adam, batch ${BATCH}, ${tg.getNumThreads()} threads (${tg.cpuIsa()})`);
const start = performance.now();
let testAcc = 0;
for (let epoch = 1; epoch <= EPOCHS; ++epoch) {
  const e0 = performance.now();
  const perm = tg.randperm(n);
  let total = 0, right = 0;
  for (let b = 0, step = 0; b < n; b += BATCH, ++step) {
    const idx = perm.narrow(0, b, Math.min(BATCH, n - b));
    const target = train.y.indexSelect(0, idx);
    const logits = model.forward(train.x.indexSelect(0, idx));
    const loss = tg.nn.functional.crossEntropy(logits, target);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * idx.shape[0];
    right += logits.argmax(1).eq(target).sum().item();
    if (process.stdout.isTTY && step % 20 === 0)
      process.stdout.write(`\repoch ${epoch}: ${b + idx.shape[0]}/${n} images, loss ${(total / (b + idx.shape[0])).toFixed(4)}`);
  }
  const secs = (performance.now() - e0) / 1000;
  testAcc = evaluate(model, test.x, test.y);
  if (process.stdout.isTTY) process.stdout.write("\r\x1b[K");
  console.log(`epoch ${epoch}  loss ${(total / n).toFixed(4)}  train accuracy ${(100 * right / n).toFixed(1)}%  ` +
    `test accuracy ${(100 * testAcc).toFixed(1)}%  ${Math.round(n / secs)} samples/s`);
  for (const group of opt.paramGroups) group.lr *= 0.8;  // exponential decay (PyTorch's ExponentialLR, gamma 0.8)
}
console.log(`test accuracy ${(100 * testAcc).toFixed(1)}% after ${EPOCHS} epochs in ${((performance.now() - start) / 1000).toFixed(0)} s`);
if (testAcc < 0.9) process.exitCode = 1;
