// DDP with gradients accumulated over steps and micro-batches without zeroGrad: the .grad handed back
// as a view of a bucket is accumulated into by the next backward while that bucket's all-reduce runs.
// Every rank uses the same data, so the averaged gradient equals one process's: after 1 + 2
// backwards each .grad must be 3× a plain model's gradient. Prints what it saw.
import * as tg from "../../../dist/index.js";

await tg.distributed.initProcessGroup({ timeoutMs: 20_000 });
const dtype = "float64";
tg.manualSeed(3);
const model = new tg.nn.Sequential(new tg.nn.Linear(16, 64, { dtype }), new tg.nn.Tanh(), new tg.nn.Linear(64, 8, { dtype }));
const plain = new tg.nn.Sequential(new tg.nn.Linear(16, 64, { dtype }), new tg.nn.Tanh(), new tg.nn.Linear(64, 8, { dtype }));
plain.loadStateDict(model.stateDict());
const x = tg.randn([32, 16], { dtype });
const net = new tg.nn.parallel.DistributedDataParallel(model, { firstBucketMb: 0.001 });
await net.ready;
const loss = (m) => m.forward(x).pow(2).mean();

loss(net).backward();
await net.synchronize();
const flats = new Set(model.parameters().map((p) => p.grad.storage));
loss(net).backward();  // buckets leave from the hooks; .grad was the bucket view
const sharedInFlight = model.parameters().filter((p) => flats.has(p.grad.storage)).length;
loss(net).backward();  // a second micro-batch accumulates while the all-reduces may still run
await net.synchronize();
for (let i = 0; i < 3; ++i) loss(plain).backward();
let maxDiff = 0;
model.parameters().forEach((p, i) => {
  const got = p.grad.data(), want = plain.parameters()[i].grad.data();
  for (let j = 0; j < want.length; ++j) maxDiff = Math.max(maxDiff, Math.abs(got[j] - want[j]));
});
await tg.distributed.destroyProcessGroup();
console.log(JSON.stringify({ sharedInFlight, maxDiff }));
