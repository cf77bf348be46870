// `npm run bench:distributed`: tg.distributed against Gloo itself, in one run. (1) All-reduce of
// 1, 16 and 64 MiB at 2 ranks on 127.0.0.1: tensorgrad (JS → communication thread → Gloo) beside a
// C++ program calling Gloo directly, alternated, medians; bandwidth = bytes / time (PyTorch's
// "algbw"). (2) DDP step time of the MLP 784-512-256-10 (batch 64 per process, 1 thread each)
// against one process alone. Prints a Markdown table for the README.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildTool, BENCH_DIR } from "./lib/native-tool.js";

const SIZES = ["1", "16", "64"], ROUNDS = 2;
const log = (s) => process.stderr.write(`${s}\n`);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function runOne(cmd, args, env) {
  return new Promise((resolve, reject) => {
    let out = "", err = "";
    const c = spawn(cmd, args, { cwd: BENCH_DIR, env: { ...process.env, ...env } });
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    c.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop())) : reject(new Error(`${args[0]}: ${err || code}`))));
  });
}

let port = 29600;
async function ranks(n, cmd, args, env = {}) {
  port += 1;
  return Promise.all(Array.from({ length: n }, (_, r) =>
    runOne(cmd, typeof args === "function" ? args(r) : args, { MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), RANK: String(r), WORLD_SIZE: String(n), ...env })));
}

const loadBefore = loadavg()[0];
const tool = buildTool("peers/gloo_allreduce.cc", ["-lgloo"]);
const tg = Object.fromEntries(SIZES.map((s) => [s, []])), gloo = Object.fromEntries(SIZES.map((s) => [s, []]));
for (let round = 0; round < ROUNDS; ++round) {
  log(`all-reduce round ${round + 1}/${ROUNDS} …`);
  if (tool.bin) {
    const dir = mkdtempSync(join(tmpdir(), "tg-gloo-bench-"));
    const res = await ranks(2, tool.bin, (r) => [String(r), "2", dir, ...SIZES]);
    rmSync(dir, { recursive: true, force: true });
    for (const s of SIZES) gloo[s].push(...res[0][s]);
  }
  const mine = await ranks(2, process.execPath, ["workloads/dist-allreduce.js", ...SIZES]);
  for (const s of SIZES) tg[s].push(...mine[0][s]);
}

log("DDP step time …");
const single = [], ddp = [], exposed = [], singleCpu = [], ddpCpu = [];
for (let round = 0; round < ROUNDS; ++round) {
  const one = await runOne(process.execPath, ["workloads/ddp-step.js"], { MODE: "single" });
  single.push(...one.step);
  singleCpu.push(...one.cpu);
  const res = await ranks(2, process.execPath, ["workloads/ddp-step.js"], { MODE: "ddp" });
  ddp.push(...res[0].step);
  exposed.push(...res[0].exposed);
  ddpCpu.push(...res[0].cpu);
}

const gbps = (mib, t) => (Number(mib) * 1048576) / t / 1e9;
const lines = ["| all-reduce, 2 ranks, 127.0.0.1 | tensorgrad GB/s | Gloo C++ GB/s | tensorgrad ÷ Gloo (target ≥ 80 %) |", "|---|---|---|---|"];
for (const s of SIZES) {
  const a = gbps(s, median(tg[s])), b = tool.bin ? gbps(s, median(gloo[s])) : NaN;
  lines.push(`| ${s} MiB float32 | ${a.toFixed(2)} | ${tool.bin ? b.toFixed(2) : `skipped (${tool.skipped})`} | ${tool.bin ? `${((100 * a) / b).toFixed(0)} %` : "–"} |`);
}
const s1 = median(single), s2 = median(ddp);
const c1 = median(singleCpu), c2 = median(ddpCpu);
lines.push("", "| MLP 784-512-256-10, batch 64 per process, 1 thread each | step ms | ÷ one process (overhead target ≤ 30 %) | CPU ms per step (all threads) |", "|---|---|---|---|");
lines.push(`| one process | ${(s1 * 1e3).toFixed(2)} | 1 | ${(c1 * 1e3).toFixed(2)} |`);
lines.push(`| DDP, 2 ranks (rank 0) | ${(s2 * 1e3).toFixed(2)} | ${(s2 / s1).toFixed(2)} (+${((100 * (s2 - s1)) / s1).toFixed(0)} %) | ${(c2 * 1e3).toFixed(2)} |`);
lines.push(`| … of which awaiting synchronize() (all-reduce not hidden by backward) | ${(median(exposed) * 1e3).toFixed(2)} | ${(median(exposed) / s1).toFixed(2)} | |`);
lines.push("", `load average (1 min) before / after the run: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)} (${ROUNDS} alternated rounds, medians)`);
console.log(lines.join("\n"));
