// OpenBLAS peer: builds openblas_sgemm.cc against Debian's libopenblas-dev and runs it per thread
// count. OPENBLAS_CORETYPE is chosen from CPU feature bits: Debian's 0.3.21 misreads newer CPUs
// (e.g. as "Prescott") and runs far slower otherwise. An OPENBLAS_CORETYPE inherited from the
// environment is overridden (and reported); BENCH_OPENBLAS_CORETYPE forces a choice.
import { GEMM_SHAPES } from "../workloads/sgemm.js";
import { buildTool, runJson } from "../lib/native-tool.js";

export function coreTypeFor(cpuFlags) {
  if (process.env.BENCH_OPENBLAS_CORETYPE) return process.env.BENCH_OPENBLAS_CORETYPE;
  if (cpuFlags.has("avx512f") && cpuFlags.has("avx512bw")) return "SkylakeX";
  if (cpuFlags.has("avx2") && cpuFlags.has("fma")) return "Haswell";
  return undefined;
}

export function coreTypeNote(coreType) {
  if (!coreType) return "";
  const inherited = process.env.OPENBLAS_CORETYPE;
  return `, OPENBLAS_CORETYPE=${coreType}${inherited && inherited !== coreType ? ` (environment had ${inherited})` : ""}`;
}

export function openblasPeer(threadCounts, cpuFlags) {
  const tool = buildTool("peers/openblas_sgemm.cc", ["-lopenblas"]);
  if (!tool.bin) return { skipped: `${tool.skipped} (install libopenblas-dev)` };
  const args = GEMM_SHAPES.map((s) => `${s.key}:${s.M}:${s.N}:${s.K}:${+s.ta}:${+s.tb}`);
  const coreType = coreTypeFor(cpuFlags);
  const results = {};
  let config = "";
  for (const t of threadCounts) {
    const env = { OPENBLAS_NUM_THREADS: String(t), ...(coreType ? { OPENBLAS_CORETYPE: coreType } : {}) };
    const r = runJson(tool.bin, args, env);
    if (r.skipped) return r;
    config = r.config;
    for (const [key, sec] of Object.entries(r.results)) results[`sgemm/${key}@${t}`] = sec;
  }
  return { info: `${config}${coreTypeNote(coreType)}`, results };
}
