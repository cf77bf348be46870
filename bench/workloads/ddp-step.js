// DDP step-time workload: MLP 784-512-256-10, batch 64 per process, SGD, one compute thread per
// process. MODE=single: one process alone; MODE=ddp: one rank of a DDP job (torchrun environment).
// Prints {"step": [seconds per step...], "exposed": [seconds spent awaiting synchronize()...],
// "cpu": [CPU seconds per step, every thread of the process: JS, GC, communication, Gloo's socket thread]}.
import * as tg from "../../dist/index.js";

const ddpMode = process.env.MODE === "ddp", steps = 30, warm = 5;
tg.setNumThreads(1);
if (ddpMode) await tg.distributed.initProcessGroup({ timeoutMs: 120_000 });
tg.manualSeed(0);
const model = new tg.nn.Sequential(new tg.nn.Linear(784, 512), new tg.nn.ReLU(), new tg.nn.Linear(512, 256), new tg.nn.ReLU(), new tg.nn.Linear(256, 10));
const net = ddpMode ? new tg.nn.parallel.DistributedDataParallel(model) : model;
if (ddpMode) await net.ready;
const x = tg.rand([64, 784]), y = tg.randint(0, 10, [64]);
const opt = new tg.optim.SGD(net.parameters(), { lr: 0.01 });
const lossFn = new tg.nn.CrossEntropyLoss();
const step = [], exposed = [], cpu = [];
for (let i = 0; i < warm + steps; ++i) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  opt.zeroGrad();
  lossFn.forward(net.forward(x), y).backward();
  const t1 = performance.now();
  if (ddpMode) await net.synchronize();
  const t2 = performance.now();
  opt.step();
  const c = process.cpuUsage(c0);
  if (i >= warm) step.push((performance.now() - t0) / 1000), exposed.push((t2 - t1) / 1000), cpu.push((c.user + c.system) / 1e6);
}
if (ddpMode) await tg.distributed.destroyProcessGroup();
console.log(JSON.stringify({ step, exposed, cpu }));
