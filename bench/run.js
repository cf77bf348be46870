// `npm run bench`: tensorgrad and its peers on the same workloads in one run, one table, and the
// same table written to bench/RESULTS.md. Peers that are not installed are reported as skipped.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tg from "../dist/index.js";
import { machineInfo } from "./lib/machine.js";
import { BENCH_DIR } from "./lib/native-tool.js";
import { formatTable, markdownTable, num } from "./lib/format.js";
import { GEMM_SHAPES, gemmFlops } from "./workloads/sgemm.js";
import { MLP_FLOPS } from "./workloads/mlp.js";
import { CONV_FLOPS } from "./workloads/conv.js";
import { tensorgradJobs } from "./workloads/tensorgrad.js";
import { coreTypeFor, openblasPeer } from "./peers/openblas.js";
import { torchPeer } from "./peers/torch.js";
import { tfjsPeer } from "./peers/tfjs-peer.js";
import { processRows } from "./process/rows.js";
import { median } from "./lib/timing.js";
import { quiet } from "./lib/quiet.js";

const log = (s) => process.stderr.write(`${s}\n`);
const started = Date.now();
const machine = machineInfo();
const isa = tg.cpuIsa();
const defaultThreads = tg.getNumThreads();
// 1 thread, 2 threads (the MLP target's setting) and the default, without repeats.
const threadCounts = [...new Set([1, Math.min(2, defaultThreads), defaultThreads])];

// Rows: { key, job, label, threads, unit, show(seconds) → number }.
const rows = [];
const row = (job, t, label, unit, show) => rows.push({ key: t === null ? job : `${job}@${t}`, job, t: t ?? defaultThreads, label, unit, show });
for (const t of threadCounts)
  for (const s of GEMM_SHAPES) row(`sgemm/${s.key}`, t, s.label, "GFLOP/s", (sec) => gemmFlops(s) / sec / 1e9);
row("add4", null, "add [4]+[4] (per op)", "µs", (sec) => sec * 1e6);
row("mlp-small", null, "MLP 2-16-16-1 tanh, b32, MSE, SGD step", "µs", (sec) => sec * 1e6);
for (const t of threadCounts) row("mlp", t, "MLP 784-512-256-10 ReLU, b128, CE, SGD step", "ms", (sec) => sec * 1e3);
for (const t of threadCounts) {
  row("conv-fwd", t, "conv 3×3 64→64, 32×32, pad 1, b32: forward", "GFLOP/s", (sec) => CONV_FLOPS / sec / 1e9);
  row("conv-fwdbwd", t, "conv 3×3 64→64, 32×32, pad 1, b32: fwd+bwd", "GFLOP/s", (sec) => (3 * CONV_FLOPS) / sec / 1e9);
}
for (const t of threadCounts) row("lenet", t, "LeNet-5, b64, CE, SGD step", "ms", (sec) => sec * 1e3);

// Row by row, tensorgrad, OpenBLAS and PyTorch are warmed up, then their timed batches (≈ 60–100 ms each)
// alternate, and each keeps the median of its batches: this host's speed drifts by tens of percent within
// seconds, and a peer measured in a phase of its own carried a whole slow (or fast) phase into every ratio
// of its column. Each batch starts once every side's threads have stopped spinning (bench/lib/quiet.js). A
// peer with several settings (PyTorch's BLAS threads) keeps its best. TF.js (one thread, far behind) runs
// on its own.
log(`tensorgrad: ISA ${isa}, default threads ${defaultThreads}; threads ${threadCounts.join(", ")}; batches alternating with OpenBLAS and PyTorch …`);
const servers = [["OpenBLAS", await openblasPeer(threadCounts, machine.flags)], ["PyTorch", await torchPeer(threadCounts, machine.flags)]];
const jobs = tensorgradJobs(tg);
const mine = { results: {} }, served = servers.map(() => ({ results: {}, ratios: {} }));
for (const [i, r] of rows.entries()) {
  log(`  ${i + 1}/${rows.length} ${r.key}`);
  tg.setNumThreads(r.t);
  const own = jobs[r.job]();
  const sides = [[own]];
  for (const [, peer] of servers) sides.push(peer.skipped ? [] : await peer.prepare(r.job, r.t));
  const samples = sides.map((timers) => timers.map(() => []));
  const pids = sides.flat().flatMap((timer) => (timer.pid ? [timer.pid] : []));
  // Twice the batches a lone timing takes (bench/lib/timing.js): a median of ratios needs more pairs.
  for (let rep = 0; rep < 2 * own.reps + 1; ++rep)
    for (const [s, timers] of sides.entries())
      for (const [k, timer] of timers.entries()) {
        await quiet(pids);
        samples[s][k].push(await timer.batch());
      }
  mine.results[r.key] = median(samples[0][0]);
  for (const p of servers.keys()) {
    if (!samples[p + 1].length) continue;
    // The peer's best setting; its ratio to tensorgrad is the median of the ratios of batches run side by side.
    const side = samples[p + 1].reduce((a, b) => (median(b) < median(a) ? b : a));
    served[p].results[r.key] = median(side);
    served[p].ratios[r.key] = median(side.map((sec, rep) => sec / samples[0][0][rep]));
  }
}
tg.setNumThreads(defaultThreads);
servers.forEach(([, peer]) => peer.close?.());
const peers = [
  ...servers.map(([name, peer], p) => (peer.skipped ? { name, skipped: peer.skipped } : { name, info: peer.info, ...served[p] })),
  ...[["tfjs-wasm", "wasm"], ["tfjs-cpu", "cpu"]].map(([name, backend]) => {
    log(`${name} …`);
    return { name, ...tfjsPeer(backend) };
  }),
];
log("process-level rows (page faults, cold start, memory) …");
const coreType = coreTypeFor(machine.flags);
const proc = processRows({ threads: threadCounts.filter((t) => t <= 2), torchEnv: coreType ? { OPENBLAS_CORETYPE: coreType } : {},
  hasTorch: !peers.find((p) => p.name === "PyTorch").skipped, hasTfjs: !peers.find((p) => p.name === "tfjs-wasm").skipped });
const loadAfter = (await import("node:os")).default.loadavg()[0];

const peakFor = (t) => machine.peakPerCore * t;
// A peer cell: its figure and tensorgrad's speed relative to it (>1× = tensorgrad faster).
const peerCell = (peer, key) => {
  const sec = peer.results?.[key];
  if (peer.skipped) return "skipped";
  if (sec === undefined) return "–";
  return `${num(rows.find((r) => r.key === key).show(sec))} (${(peer.ratios?.[key] ?? sec / mine.results[key]).toFixed(2)}×)`;
};
const header = ["workload", "threads", "unit", "tensorgrad", "% peak", ...peers.map((p) => `${p.name} (tg ×)`)];
const body = rows.map((r) => {
  const sec = mine.results[r.key];
  const pct = r.unit === "GFLOP/s" ? `${Math.round((100 * r.show(sec)) / peakFor(r.t))}%`
    : r.key.startsWith("mlp@") ? `${Math.round((100 * MLP_FLOPS) / sec / 1e9 / peakFor(r.t))}%` : "";
  return [r.label, r.t, r.unit, num(r.show(sec)), pct, ...peers.map((p) => peerCell(p, r.key))];
});

const date = new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC";
const facts = [
  `date: ${date}`,
  `machine: ${machine.model}, ${machine.cpus} CPUs; Node ${machine.node}; load average ${machine.loadAvg.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end`,
  `tensorgrad: ISA ${isa}, default threads ${defaultThreads}, threads measured ${threadCounts.join(" and ")}; MLP built with tg.nn + tg.optim.SGD`,
  `peak fp32 FMA: ${machine.peakPerCore} GFLOP/s per core (${machine.peakSource}); the peers' anchor sheet (../shared/ANCHORS.md) says ≈166; "% peak" = tensorgrad ÷ (peak × threads)`,
  ...peers.map((p) => `${p.name}: ${p.skipped ? `skipped: ${p.skipped}` : p.info}`),
  ...(Math.max(machine.loadAvg, loadAfter) > machine.cpus / 2
    ? [`WARNING: the machine was busy (load average above ${machine.cpus / 2}): multi-threaded figures especially are unreliable; rerun on an idle machine`]
    : []),
];
const legend = [
  "Medians of timed batches after warm-up; in each row the batches of tensorgrad, OpenBLAS and PyTorch alternate (PyTorch: its best BLAS-thread setting), and their ratios are the medians of the ratios of batches run side by side; TF.js ran on its own.",
  "Peer cells: the peer's figure, then tensorgrad's speed relative to the peer (peer time ÷ tensorgrad time = tensorgrad GFLOP/s ÷ peer GFLOP/s): above 1× tensorgrad is faster.",
  "Aᵀ·B and A·Bᵀ use transposed views (a.t()), not copies. MLP step ≈ 308 MFLOP; its % peak counts GEMM flops only.",
  `conv rows: ${(CONV_FLOPS / 1e9).toFixed(2)} GFLOP forward, 3× that forward+backward (input and weight gradients); implicit GEMM on the 8×48 fp32 micro-kernel (64 channels: 8 full tiles) for the forward, the input gradient (a stride-1 correlation over dY with flipped taps) and the weight gradient; patches packed from a zero-bordered copy of each image (plain copies, no bounds checks). perf at 2 threads, fwd+bwd: about 55 % in the micro-kernels, 12 % packing patches, 5 % transposing dW's panels, ~5 % kernel time (page faults, TLB-shootdown interrupts), 3–4 % pool waits; the work splits evenly over the threads.`,
  "LeNet-5 row: conv1 (1 channel) and conv2 (6 channels) run in direct vectorised loops (no packing), the 2×2 max-pool forward in AVX-512 rows (16 outputs a step); each thread convolves its own half of the images first (the planes that ReLU and pooling give it); Sequential's intermediates, the pooling indices and unseen weight gradients go back to the free lists, so a step makes 3 native allocations (18 before); per-call profile at 1 thread (shares of the native time): conv weight gradients ≈ 30 %, conv forward ≈ 17 %, conv2's input gradient ≈ 13 %, ReLU/bias backward ≈ 9 %, pooling ≈ 17 %.",
  "TF.js runs single-threaded here, so it appears in the 1-thread rows and the thread-independent rows.",
  ...peers.flatMap((p) => p.notes ?? []),
  `Memory (flat RSS over a long training run) is not part of this run: node bench/memory.js [--steps N | --seconds S].`,
];

console.log([...facts, "", formatTable(header, body), "", formatTable(proc.header, proc.rows), "", ...legend, ...proc.notes, `(bench took ${((Date.now() - started) / 1000).toFixed(0)} s)`].join("\n"));
writeFileSync(join(BENCH_DIR, "RESULTS.md"), [
  "# tensorgrad benchmark results",
  "",
  "Written by `npm run bench` (bench/run.js); the latest run replaces this file.",
  "",
  ...facts.map((f) => `- ${f}`),
  "",
  markdownTable(header, body),
  "",
  markdownTable(proc.header, proc.rows),
  "",
  ...[...legend, ...proc.notes].map((l) => `- ${l}`),
  "",
].join("\n"));
