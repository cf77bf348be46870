// Process-level rows of the bench: page faults and speed of a matmul loop that never disposes,
// memory kept by kept scalar losses, cold start of a small MLP, and peak RSS of 200 MLP steps.
// Each figure comes from fresh processes (tensorgrad, PyTorch, TF.js) run alternately, three times
// each; medians. Returns { rows: [[label, unit, tensorgrad, peer cells...]], notes }.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR } from "../lib/native-tool.js";
import { median } from "../lib/timing.js";
import { num } from "../lib/format.js";

const TIME = "/usr/bin/time", PYTHON = "/usr/bin/python3";
const ROUNDS = 3;

// Runs one child under /usr/bin/time: its JSON line plus minor faults and peak RSS (bytes).
function measure(cmd, args, env = {}) {
  const timed = existsSync(TIME);
  const r = spawnSync(timed ? TIME : cmd, timed ? ["-f", "BENCHTIME %R %M", cmd, ...args] : args,
    { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (r.status !== 0 || !line) return { error: (r.stderr || "").trim().split("\n").at(-2) ?? `exit ${r.status}` };
  const t = /BENCHTIME (\d+) (\d+)/.exec(r.stderr);
  return { ...JSON.parse(line), faults: t ? Number(t[1]) : NaN, peakRss: t ? Number(t[2]) * 1024 : NaN };
}

// Node's flags as a user runs it (tensorgrad itself switches ArrayBuffer sweeping to the collecting thread).
const tg = (...a) => [process.execPath, ["--expose-gc", join(BENCH_DIR, "process/tg-child.js"), ...a]];
const torch = (...a) => [PYTHON, [join(BENCH_DIR, "process/torch_child.py"), ...a]];
const tfjs = () => [process.execPath, [join(BENCH_DIR, "process/tfjs-child.js")]];

// Runs each named job ROUNDS times, interleaved (A B C A B C …), and returns per-job medians of every field.
function alternate(jobs, env, rounds = ROUNDS) {
  const runs = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  for (let r = 0; r < rounds; ++r)
    for (const [k, [cmd, args]] of Object.entries(jobs)) runs[k].push(measure(cmd, args, env));
  return Object.fromEntries(Object.entries(runs).map(([k, rs]) => {
    const ok = rs.filter((x) => !x.error);
    if (!ok.length) return [k, { error: rs[0].error }];
    return [k, Object.fromEntries(Object.keys(ok[0]).map((f) => [f, median(ok.map((x) => x[f]))]))];
  }));
}

export function processRows({ threads, torchEnv, hasTorch, hasTfjs }) {
  const rows = [], notes = [];
  const cell = (v, digits = num) => (v === undefined || Number.isNaN(v) ? "–" : digits(v));
  const MB = (b) => num(b / 2 ** 20);
  for (const t of threads) {
    const jobs = { kept: tg("matmul-loop", "kept", String(t)), disposed: tg("matmul-loop", "disposed", String(t)) };
    if (hasTorch) jobs.torch = torch("matmul-loop", "kept", String(t));
    const m = alternate(jobs, { ...torchEnv, OMP_NUM_THREADS: String(t), OPENBLAS_NUM_THREADS: String(t) });
    rows.push([`1024² matmul ×21, never disposed: GFLOP/s`, t, cell(m.kept.gflops), `disposed loop ${cell(m.disposed.gflops)} (kept ÷ disposed ${cell(m.kept.gflops / m.disposed.gflops, (x) => x.toFixed(2))})`, hasTorch ? `${cell(m.torch.gflops)} (tg ${cell(m.kept.gflops / m.torch.gflops, (x) => x.toFixed(2))}×)` : "skipped"]);
    rows.push([`  same loop: minor page faults (whole process)`, t, cell(m.kept.faults, String), `disposed loop ${cell(m.disposed.faults, String)}`, hasTorch ? `${cell(m.torch.faults, String)}` : "skipped"]);
  }
  const k = alternate({ tensor: tg("kept-scalars", "tensor"), item: tg("kept-scalars", "item"), ...(hasTorch ? { torchTensor: torch("kept-scalars", "tensor"), torchItem: torch("kept-scalars", "item") } : {}) }, torchEnv, 1);
  rows.push(["20,000 kept scalar losses: native bytes beyond keeping .item() (MB)", 1, MB(k.tensor.native - k.item.native), `JS heap of the handles ${MB(k.tensor.heap - k.item.heap)} MB`, hasTorch ? `RSS beyond .item(): ${MB(k.torchTensor.rss - k.torchItem.rss)} MB` : "skipped"]);
  const c = alternate({ tg: tg("mlp-small-cold"), ...(hasTorch ? { torch: torch("mlp-small-cold", "", "1") } : {}) }, torchEnv);
  const cold = (x) => `${num(x.first100)} / ${num(x.from100)} / ${num(x.steady)} (${(x.from100 / x.steady).toFixed(2)}× steady)`;
  rows.push(["MLP 2-16-16-1 step, µs: steps 1–100 / 101–500 / steady", "default", cold(c.tg), "", hasTorch ? cold(c.torch) : "skipped"]);
  const r = alternate({ tg: tg("mlp-rss"), ...(hasTorch ? { torch: torch("mlp-rss", "", "1") } : {}), ...(hasTfjs ? { tfjs: tfjs() } : {}) }, torchEnv, 1);
  rows.push(["peak RSS, 200 steps of MLP 784-512-256-10 (MB)", "default", MB(r.tg.peakRss), hasTfjs ? `TF.js wasm ${MB(r.tfjs.peakRss)}` : "TF.js skipped", hasTorch ? MB(r.torch.peakRss) : "skipped"]);
  notes.push(`Process rows: fresh processes run alternately (${ROUNDS}× each for the timed rows, medians; once for the memory rows); page faults and peak RSS from ${TIME} (%R, %M) cover the whole process, start-up included.`);
  return { header: ["process-level workload", "threads", "tensorgrad", "tensorgrad, other setting / TF.js", "PyTorch"], rows, notes };
}
