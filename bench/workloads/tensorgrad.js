// Every workload for tensorgrad, in this process, at each thread count. Keys match the peers'.
import { timeIt } from "../lib/timing.js";
import { GEMM_SHAPES, tgSgemm } from "./sgemm.js";
import { tgTinyAdd } from "./tiny-add.js";
import { tgSmallMlp } from "./mlp-small.js";
import { tgMlp } from "./mlp.js";
import { tgConv } from "./conv.js";
import { tgLenet } from "./lenet.js";

export function runTensorgrad(tg, threadCounts, defaultThreads) {
  const results = {};
  let style = "";
  for (const t of threadCounts) {
    tg.setNumThreads(t);
    for (const s of GEMM_SHAPES) results[`sgemm/${s.key}@${t}`] = tgSgemm(tg, timeIt, s);
    const mlp = tgMlp(tg, timeIt);
    results[`mlp@${t}`] = mlp.sec;
    style = mlp.style;
    const conv = tgConv(tg, timeIt);
    results[`conv-fwd@${t}`] = conv.fwd;
    results[`conv-fwdbwd@${t}`] = conv.fwdbwd;
    results[`lenet@${t}`] = tgLenet(tg, timeIt);
  }
  tg.setNumThreads(defaultThreads);
  results["add4"] = tgTinyAdd(tg, timeIt);
  results["mlp-small"] = tgSmallMlp(tg, timeIt).sec;
  return { results, style };
}
