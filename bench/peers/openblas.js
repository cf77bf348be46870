// OpenBLAS peer: builds openblas_sgemm.cc against Debian's libopenblas-dev and keeps one server per thread
// count (bench/lib/server.js), asked for the sgemm rows only. OPENBLAS_CORETYPE is chosen from CPU feature
// bits: Debian's 0.3.21 misreads newer CPUs (e.g. as "Prescott") and runs far slower otherwise. An
// OPENBLAS_CORETYPE inherited from the environment is overridden (and reported); BENCH_OPENBLAS_CORETYPE
// forces a choice.
import { GEMM_SHAPES } from "../workloads/sgemm.js";
import { buildTool } from "../lib/native-tool.js";
import { prepared, startServer } from "../lib/server.js";

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

// { info, prepare(job, threads) → its timers (none for a row that is not an sgemm), close() } or { skipped }.
export async function openblasPeer(threadCounts, cpuFlags) {
  const tool = buildTool("peers/openblas_sgemm.cc", ["-lopenblas"]);
  if (!tool.bin) return { skipped: `${tool.skipped} (install libopenblas-dev)` };
  const coreType = coreTypeFor(cpuFlags);
  const servers = new Map();
  for (const t of threadCounts) {
    const s = await startServer(tool.bin, [], { OPENBLAS_NUM_THREADS: String(t), ...(coreType ? { OPENBLAS_CORETYPE: coreType } : {}) });
    if (s.skipped) {
      for (const other of servers.values()) other.close();
      return s;
    }
    servers.set(t, s);
  }
  const shapes = new Map(GEMM_SHAPES.map((s) => [`sgemm/${s.key}`, `${s.M}:${s.N}:${s.K}:${+s.ta}:${+s.tb}`]));
  return {
    info: `${servers.get(threadCounts[0]).info.config}${coreTypeNote(coreType)}`,
    prepare: async (job, t) => (shapes.has(job) ? [await prepared(servers.get(t), shapes.get(job))] : []),
    close: () => servers.forEach((s) => s.close()),
  };
}
