// Run by pack-install-check.sh in the fresh project, under `npx tensorgrad-run --nproc-per-node 2`:
// a 2-rank DDP training through the installed package's prebuilt tg.distributed. Fails unless the
// loss falls, both ranks end with the same weights, and libgloo was loaded from the package itself.
import * as tg from "tensorgrad";
import { readFileSync } from "node:fs";

const d = tg.distributed;
await d.initProcessGroup({ timeoutMs: 30_000 });
const rank = d.getRank();
tg.manualSeed(1 + rank);  // different starting weights: DDP must broadcast rank 0's
const model = new tg.nn.Sequential(new tg.nn.Linear(8, 32), new tg.nn.ReLU(), new tg.nn.Linear(32, 2));
const ddp = new tg.nn.parallel.DistributedDataParallel(model);
await ddp.ready;
tg.manualSeed(100 + rank);  // each rank its own data
const x = tg.randn([128, 8]);
const y = x.sum(1).gt(0).int();
const opt = new tg.optim.SGD(ddp.parameters(), { lr: 0.1 });
const lossFn = new tg.nn.CrossEntropyLoss();
let first = 0, last = 0;
for (let step = 0; step < 30; ++step) {
  opt.zeroGrad();
  const loss = lossFn.forward(ddp.forward(x), y);
  loss.backward();
  await ddp.synchronize();
  opt.step();
  if (step === 0) first = loss.item();
  last = loss.item();
}
const w = model.stateDict()["2.weight"];
const copies = [tg.zeros(w.shape), tg.zeros(w.shape)];
await d.allGather(copies, w);
const same = copies[0].sub(copies[1]).abs().max().item() === 0;
const gloo = readFileSync("/proc/self/maps", "utf8").split("\n").find((l) => l.includes("libgloo"))?.split(/\s+/).pop() ?? "none";
await d.destroyProcessGroup();
console.log(`rank ${rank}: loss ${first.toFixed(3)} -> ${last.toFixed(3)}, weights equal on both ranks: ${same}, libgloo: ${gloo}`);
if (!(last < first * 0.8) || !same || !gloo.includes("/node_modules/tensorgrad/prebuilds/")) process.exit(1);
