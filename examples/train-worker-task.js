// The worker half of examples/train-worker.js: trains an MLP on Fashion-MNIST and streams progress.
import * as tg from "../dist/index.js";

// [N, 1, 28, 28] → [N, 784], for main before nn.Flatten lands.
class Reshape extends tg.nn.Module {
  forward(x) {
    return x.reshape(x.shape[0], -1);
  }
}

tg.worker.task(async ({ root, samples, epochs, batchSize, threads }, progress) => {
  tg.setNumThreads(threads);
  tg.manualSeed(0);
  const full = new tg.data.FashionMNIST(root);
  const train = samples < full.length ? new tg.data.Subset(full, tg.randperm(full.length).data().subarray(0, samples)) : full;
  const loader = new tg.data.DataLoader(train, { batchSize, shuffle: true });
  const model = new tg.nn.Sequential(tg.nn.Flatten ? new tg.nn.Flatten() : new Reshape(), new tg.nn.Linear(784, 128), new tg.nn.ReLU(), new tg.nn.Linear(128, 10));
  const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new tg.nn.CrossEntropyLoss();
  for (let epoch = 1; epoch <= epochs; ++epoch) {
    let batch = 0;
    for (const [x, y] of loader) {
      opt.zeroGrad();
      const logits = model.forward(x);
      const loss = lossFn.forward(logits, y);
      loss.backward();
      opt.step();
      if (++batch % 20 === 0 || batch === loader.length) {
        const acc = logits.argmax(1).eq(y).float().mean().item();
        progress({ epoch, batch, batches: loader.length, loss: loss.item(), acc });
      }
    }
  }
  // Test accuracy, then the trained weights go back to the main thread as tensors.
  const test = new tg.data.FashionMNIST(root, { train: false });
  const [x, y] = test.getBatch(Int32Array.from({ length: test.length }, (_, i) => i));
  const accuracy = tg.noGrad(() => model.forward(x).argmax(1).eq(y).float().mean().item());
  return { accuracy, state: model.stateDict() };
});
