// The README's training loop: an MLP on Fashion-MNIST with a shuffling DataLoader, a progress bar, a
// checkpoint after every epoch and resume from it, and loss/accuracy curves (terminal and SVG).
// Stop it (Ctrl-C) and start it again: it continues where it left off.
//   node examples/train-loop.js [--epochs 5] [--samples 60000] [--ckpt fashion.safetensors]
// Needs Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist).
import * as tg from "../dist/index.js";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({ options: {
  epochs: { type: "string", default: "5" }, samples: { type: "string", default: "60000" }, ckpt: { type: "string", default: "fashion.safetensors" },
} });
const root = "/usr/share/datasets/fashion-mnist";

tg.manualSeed(0);
const full = new tg.data.FashionMNIST(root, { train: true });
const trainSet = new tg.data.Subset(full, tg.randperm(full.length).data().subarray(0, Number(args.samples)));
const [train, val] = tg.data.randomSplit(trainSet, [0.9, 0.1], { generator: new tg.Generator().manualSeed(1) });
const loader = new tg.data.DataLoader(train, { batchSize: 64, shuffle: true, generator: new tg.Generator().manualSeed(2) });
const valLoader = new tg.data.DataLoader(val, { batchSize: 1000 });

class MLP extends tg.nn.Module {
  constructor() {
    super();
    this.fc1 = new tg.nn.Linear(784, 256);
    this.fc2 = new tg.nn.Linear(256, 10);
  }
  forward(x) {
    return this.fc2.forward(this.fc1.forward(x.flatten(1)).relu());
  }
}
const model = new MLP();
const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new tg.nn.CrossEntropyLoss();

let history = new tg.utils.History();

// Resume: weights, optimizer moments, the epoch count, the shuffle generator's state and the curves so far.
let startEpoch = 0;
if (existsSync(args.ckpt)) {
  const ck = tg.load(args.ckpt);
  model.loadStateDict(ck.model);
  opt.loadStateDict(ck.optimizer);
  loader.sampler.generator.setState(ck.generator);
  history = tg.utils.History.fromJSON(ck.history);
  startEpoch = ck.epoch;
  console.log(`resumed from ${args.ckpt} after epoch ${startEpoch}`);
}

for (let epoch = startEpoch + 1; epoch <= Number(args.epochs); ++epoch) {
  model.train();
  let total = 0, seen = 0;
  const bar = tg.utils.progress(loader, { desc: `epoch ${epoch}` });
  for (const [x, y] of bar) {               // x: float32 [64, 1, 28, 28] in [0, 1], y: int32 [64]
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * y.shape[0];
    seen += y.shape[0];
    bar.setPostfix({ loss });
  }
  model.eval();
  let correct = 0, valTotal = 0;
  tg.noGrad(() => {
    for (const [x, y] of valLoader) {
      const logits = model.forward(x);
      valTotal += lossFn.forward(logits, y).item() * y.shape[0];
      correct += logits.argmax(1).eq(y).sum().item();
    }
  });
  console.log(`epoch ${epoch}  train loss ${(total / seen).toFixed(4)}  val accuracy ${((100 * correct) / val.length).toFixed(2)}%`);
  history.log({ loss: total / seen }, { epoch });
  history.log({ loss: valTotal / val.length, accuracy: correct / val.length }, { epoch, split: "val" });
  // Atomic: a crash mid-save leaves the previous checkpoint intact.
  tg.save({ model: model.stateDict(), optimizer: opt.stateDict(), generator: loader.sampler.generator.getState(),
    history: history.toJSON(), epoch }, args.ckpt);
}
console.log(history.ascii("loss"));
console.log(`curves: ${await history.plot("fashion-curves.svg")}`);
// The weights alone, in the layout PyTorch's safetensors reads (keys fc1.weight, fc1.bias, ...).
tg.save(model.stateDict(), "fashion-mlp.safetensors", { metadata: { format: "pt" } });
