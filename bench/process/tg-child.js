// One process-level measurement of tensorgrad, in a fresh process (bench/process/rows.js runs it,
// under /usr/bin/time for page faults and peak RSS). Prints one JSON line.
//   matmul-loop kept|disposed THREADS   21 products of 1024² operands; `kept` never disposes (how users write it)
//   mlp-small-cold                      2-16-16-1 tanh MLP: µs per step over steps 1–100, 101–500, and steady state
//   mlp-rss                             200 steps of the MLP 784-512-256-10 (peak RSS comes from /usr/bin/time)
//   kept-scalars tensor|item            20,000 small-MLP steps keeping each loss (tensor or .item()): bytes kept
import { performance } from "node:perf_hooks";
import * as tg from "../../dist/index.js";
import { buildTgTrainer } from "../workloads/tg-trainer.js";
import { SMALL_MLP } from "../workloads/mlp-small.js";
import { MLP } from "../workloads/mlp.js";

const [task, arg, threads] = process.argv.slice(2);
const print = (o) => console.log(JSON.stringify(o));

if (task === "matmul-loop") {
  tg.setNumThreads(Number(threads));
  const a = tg.randn([1024, 1024]), b = tg.randn([1024, 1024]);
  const reps = 21;
  const t0 = performance.now();
  for (let i = 0; i < reps; ++i) {
    const c = a.matmul(b);
    if (arg === "disposed") c.dispose();
  }
  print({ gflops: (2 * 1024 ** 3 * reps) / ((performance.now() - t0) / 1e3) / 1e9 });
} else if (task === "mlp-small-cold") {
  const { step } = buildTgTrainer(tg, SMALL_MLP);
  print(coldProfile(step));
} else if (task === "mlp-rss") {
  const { step } = buildTgTrainer(tg, MLP);
  for (let i = 0; i < 200; ++i) step();
  print({ steps: 200 });
} else if (task === "kept-scalars") {
  const { model, lossOf } = smallModel();
  const gc = globalThis.gc;
  for (let i = 0; i < 100; ++i) lossOf(model);
  gc();
  const before = process.memoryUsage();
  const kept = [];
  for (let i = 0; i < 20_000; ++i) {
    const loss = lossOf(model);
    kept.push(arg === "item" ? loss.item() : loss);
  }
  gc();
  const after = process.memoryUsage();
  print({ native: after.external - before.external, heap: after.heapUsed - before.heapUsed, kept: kept.length });
}

// Mean µs per step over steps 1–100 and 101–500 of a fresh process, and over 500 steps after 3,000.
export function coldProfile(step) {
  const t = [];
  for (let i = 0; i < 500; ++i) {
    const s = performance.now();
    step();
    t.push(performance.now() - s);
  }
  for (let i = 0; i < 2500; ++i) step();
  const s = performance.now();
  for (let i = 0; i < 500; ++i) step();
  const mean = (xs) => (1e3 * xs.reduce((x, y) => x + y, 0)) / xs.length;
  return { first100: mean(t.slice(0, 100)), from100: mean(t.slice(100)), steady: (1e3 * (performance.now() - s)) / 500 };
}

function smallModel() {
  const { nn, optim } = tg;
  tg.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 1));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = tg.randn([32, 2]), y = tg.randn([32, 1]);
  const lossOf = (m) => {
    opt.zeroGrad();
    const loss = nn.functional.mseLoss(m.forward(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  return { model, lossOf };
}
