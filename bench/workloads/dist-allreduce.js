// tensorgrad's side of the all-reduce bench: run as one rank (torchrun environment) with the same
// sizes and repeats as gloo_allreduce.cc; prints {"<MiB>": [seconds...]} as its last line.
import * as tg from "../../dist/index.js";

const sizes = process.argv.slice(2), reps = 7;
await tg.distributed.initProcessGroup({ timeoutMs: 120_000 });
const out = {};
for (const mib of sizes) {
  const t = tg.ones([Math.floor((Number(mib) * 1048576) / 4)]);  // persistent and touched, as in the C++ peer
  const times = [];
  for (let r = -1; r < reps; ++r) {
    const t0 = performance.now();
    await tg.distributed.allReduce(t);
    if (r >= 0) times.push((performance.now() - t0) / 1000);
  }
  out[mib] = times;
}
await tg.distributed.destroyProcessGroup();
console.log(JSON.stringify(out));
