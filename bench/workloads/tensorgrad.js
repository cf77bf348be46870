// Every workload for tensorgrad, run in this process at whatever thread count is set: job name → seconds
// per call. Job names match the peers' (bench/peers/torch_bench.py, openblas.js).
import { timeIt } from "../lib/timing.js";
import { GEMM_SHAPES, tgSgemm } from "./sgemm.js";
import { tgTinyAdd } from "./tiny-add.js";
import { tgSmallMlp } from "./mlp-small.js";
import { tgMlp } from "./mlp.js";
import { tgConv } from "./conv.js";
import { tgLenet } from "./lenet.js";

export function tensorgradJobs(tg) {
  const jobs = {
    "add4": () => tgTinyAdd(tg, timeIt),
    "mlp-small": () => tgSmallMlp(tg, timeIt).sec,
    "mlp": () => tgMlp(tg, timeIt).sec,
    "conv-fwd": () => tgConv(tg, timeIt, false),
    "conv-fwdbwd": () => tgConv(tg, timeIt, true),
    "lenet": () => tgLenet(tg, timeIt),
  };
  for (const s of GEMM_SHAPES) jobs[`sgemm/${s.key}`] = () => tgSgemm(tg, timeIt, s);
  return jobs;
}
