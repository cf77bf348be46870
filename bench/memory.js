// Memory stays flat over a long training run: the MLP 784-512-256-10 step (batch 128) run
// synchronously in one tight loop (no awaits, so native memory must be reclaimed without the event
// loop turning), printing RSS as it goes. Usage:
//   node bench/memory.js [--steps N]   (default 10000 steps)
//   node bench/memory.js --seconds S   (stop after S seconds instead)
import * as tg from "../dist/index.js";
import { buildTgTrainer } from "./workloads/tg-trainer.js";
import { MLP } from "./workloads/mlp.js";

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};
const seconds = arg("seconds");
const steps = arg("steps") ?? (seconds ? Infinity : 10_000);
const REPORTS = 20;
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0).padStart(6);

const { step, style } = buildTgTrainer(tg, MLP);
console.log(`MLP ${MLP.sizes.join("-")}, batch ${MLP.batch}, ${style}, ${tg.getNumThreads()} threads; ${Number.isFinite(steps) ? `${steps} steps` : `${seconds} s`}`);
for (let i = 0; i < 20; ++i) step(); // warm-up: pools, JIT and first allocations settle
console.log("    step    s  rss MB  heap MB  external MB  arrayBuffers MB");

const t0 = Date.now();
const every = Number.isFinite(steps) ? Math.max(1, Math.floor(steps / REPORTS)) : 250;
const samples = [];
const report = (n) => {
  const m = process.memoryUsage();
  samples.push(m.rss);
  console.log(`${String(n).padStart(8)} ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} ${mb(m.rss)}  ${mb(m.heapUsed)}   ${mb(m.external)}       ${mb(m.arrayBuffers)}`);
};
report(0);
let n = 0;
while (n < steps && (!seconds || Date.now() - t0 < seconds * 1000)) {
  step();
  if (++n % every === 0) report(n);
}
if (n % every !== 0) report(n);

// Flat means the second half of the run holds no more memory than the first half's peak.
const half = samples.slice(0, Math.ceil(samples.length / 2)), rest = samples.slice(half.length);
const growth = Math.max(0, ...rest) - Math.max(...half);
console.log(`${n} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; peak RSS ${mb(Math.max(...samples)).trim()} MB; ` +
  `second-half peak minus first-half peak: ${(growth / 2 ** 20).toFixed(1)} MB → ${growth < 32 * 2 ** 20 ? "flat" : "GROWING"}`);
