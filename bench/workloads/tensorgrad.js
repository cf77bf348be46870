// Every workload for tensorgrad, run in this process at whatever thread count is set: job name → a prepared
// timer (bench/lib/timing.js), whose batches bench/run.js alternates with the peers'. Job names match the
// peers' (bench/peers/torch_bench.py, openblas.js).
import { prepare } from "../lib/timing.js";
import { GEMM_SHAPES, tgSgemm } from "./sgemm.js";
import { tgTinyAdd } from "./tiny-add.js";
import { tgSmallMlp } from "./mlp-small.js";
import { tgMlp } from "./mlp.js";
import { tgConv } from "./conv.js";
import { tgLenet } from "./lenet.js";

export function tensorgradJobs(tg) {
  const jobs = {
    "add4": () => tgTinyAdd(tg, prepare),
    "mlp-small": () => tgSmallMlp(tg, prepare),
    "mlp": () => tgMlp(tg, prepare),
    "conv-fwd": () => tgConv(tg, prepare, false),
    "conv-fwdbwd": () => tgConv(tg, prepare, true),
    "lenet": () => tgLenet(tg, prepare),
  };
  for (const s of GEMM_SHAPES) jobs[`sgemm/${s.key}`] = () => tgSgemm(tg, prepare, s);
  return jobs;
}
