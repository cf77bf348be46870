// DDP equivalence: MODE=single trains on the full batch of 64 in one process; MODE=ddp trains the
// same model with each of WORLD_SIZE ranks on its contiguous share of the batch. Rank 1+ start from
// different weights, so the result also shows construction broadcasts rank 0's. Prints the weights.
import * as tg from "../../../dist/index.js";

const dtype = process.env.DTYPE ?? "float64";
const world = Number(process.env.WORLD_SIZE ?? 1), rank = Number(process.env.RANK ?? 0);
const ddpMode = process.env.MODE === "ddp";
if (ddpMode) await tg.distributed.initProcessGroup({ timeoutMs: 20_000 });
// Counts the all-reduces handed to the communication thread (the native group's calls), to see
// which left while backward() was still running.
let submitted = 0;
if (ddpMode) {
  const { currentWorld } = await import("../../../dist/distributed/process-group.js");
  const group = currentWorld("ddp.mjs").group, allReduce = group.allReduce.bind(group);
  Object.defineProperty(group, "allReduce", { value: (...args) => (++submitted, allReduce(...args)) });  // the method is read-only
}

tg.manualSeed(ddpMode ? 100 + rank : 100);
const model = new tg.nn.Sequential(new tg.nn.Linear(20, 32, { dtype }), new tg.nn.Tanh(), new tg.nn.Linear(32, 10, { dtype }));
tg.manualSeed(7);
const x = tg.randn([64, 20], { dtype });
const y = tg.randint(0, 10, [64]);
const share = 64 / world;
const xs = ddpMode ? x.narrow(0, rank * share, share).contiguous() : x;
const ys = ddpMode ? y.narrow(0, rank * share, share).contiguous() : y;

const net = ddpMode ? new tg.nn.parallel.DistributedDataParallel(model, { firstBucketMb: 0.001 }) : model;
if (ddpMode) await net.ready;
const opt = new tg.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
const lossFn = new tg.nn.CrossEntropyLoss();
let inFlightAfterBackward = 0, submittedInBackward = 0;
for (let step = 0; step < 20; ++step) {
  opt.zeroGrad();
  const loss = lossFn.forward(net.forward(xs), ys);
  if (step % 2) {
    await loss.backwardAsync();  // = backward() + synchronize() of the DDP it reached
  } else {
    const before = submitted;
    loss.backward();
    if (ddpMode && step === 0) (inFlightAfterBackward = net.bucketsInFlight), (submittedInBackward = submitted - before);
    if (ddpMode) await net.synchronize();
  }
  opt.step();
}
const weights = Object.values(model.stateDict()).map((t) => Array.from(t.data()));
if (ddpMode) await tg.distributed.destroyProcessGroup();
const buckets = ddpMode ? net.bucketSizes : [];
console.log(JSON.stringify({ rank, keys: Object.keys(net.stateDict()), weights, buckets, inFlightAfterBackward, submittedInBackward }));
