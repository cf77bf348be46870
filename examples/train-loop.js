// The README's training loop: an MLP on Fashion-MNIST with a shuffling DataLoader, a checkpoint after
// every epoch, and resume from it. Stop it (Ctrl-C) and start it again: it continues where it left off.
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

// Resume: weights, optimizer moments, the epoch count and the shuffle generator's state.
let startEpoch = 0;
if (existsSync(args.ckpt)) {
  const ck = tg.load(args.ckpt);
  model.loadStateDict(ck.model);
  opt.loadStateDict(ck.optimizer);
  loader.sampler.generator.setState(ck.generator);
  startEpoch = ck.epoch;
  console.log(`resumed from ${args.ckpt} after epoch ${startEpoch}`);
}

for (let epoch = startEpoch + 1; epoch <= Number(args.epochs); ++epoch) {
  model.train();
  let total = 0, seen = 0;
  for (const [x, y] of loader) {            // x: float32 [64, 1, 28, 28] in [0, 1], y: int32 [64]
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * y.shape[0];
    seen += y.shape[0];
  }
  model.eval();
  let correct = 0;
  tg.noGrad(() => {
    for (const [x, y] of valLoader) correct += model.forward(x).argmax(1).eq(y).sum().item();
  });
  console.log(`epoch ${epoch}  train loss ${(total / seen).toFixed(4)}  val accuracy ${((100 * correct) / val.length).toFixed(2)}%`);
  // Atomic: a crash mid-save leaves the previous checkpoint intact.
  tg.save({ model: model.stateDict(), optimizer: opt.stateDict(), generator: loader.sampler.generator.getState(), epoch }, args.ckpt);
}
// The weights alone, in the layout PyTorch's safetensors reads (keys fc1.weight, fc1.bias, ...).
tg.save(model.stateDict(), "fashion-mlp.safetensors", { metadata: { format: "pt" } });
