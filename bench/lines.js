// `npm run bench:lines`: the line reductions, sorts and scans (var, norm, logsumexp, cumsum, sort,
// topk) on a float32 [512, 4096] tensor, tensorgrad beside PyTorch in one run, at 1 thread and the
// default thread count, printed as median times and ratios (tensorgrad / PyTorch: below 1 is faster).
import { join } from "node:path";
import * as tg from "../dist/index.js";
import { BENCH_DIR, runJson } from "./lib/native-tool.js";
import { timeIt } from "./lib/timing.js";

const ROWS = 512, COLS = 4096;
tg.manualSeed(0);
const x = tg.randn([ROWS, COLS]);
const OPS = {
  "var(1)": () => x.var(1),
  "var(0)": () => x.var(0),
  "norm(dim 1)": () => x.norm(2, { dim: 1 }),
  "logsumexp(1)": () => x.logsumexp(1),
  "cumsum(1)": () => x.cumsum(1),
  "sort(1)": () => x.sort(1),
  "topk(8, dim 1)": () => x.topk(8, 1),
};
const us = (s) => (s * 1e6).toFixed(0).padStart(8);
const threadCounts = [...new Set([1, tg.getNumThreads()])];
console.log(`[${ROWS}, ${COLS}] float32, median µs per call (tensorgrad / PyTorch)`);
for (const t of threadCounts) {
  tg.setNumThreads(t);
  const mine = Object.fromEntries(Object.entries(OPS).map(([k, f]) => [k, timeIt(() => tg.noGrad(f))]));
  const torch = runJson("/usr/bin/python3", [join(BENCH_DIR, "peers/torch_lines.py"), String(t), String(ROWS), String(COLS)],
    { OMP_NUM_THREADS: String(t) });
  console.log(`threads ${t}${torch.skipped ? ` (PyTorch skipped: ${torch.skipped})` : `, PyTorch ${torch.info.version}`}`);
  for (const [k, s] of Object.entries(mine)) {
    const p = torch.results?.[k];
    console.log(`  ${k.padEnd(16)} tensorgrad ${us(s)}  PyTorch ${p ? us(p) : "       -"}  ratio ${p ? (s / p).toFixed(2) : "-"}`);
  }
}
