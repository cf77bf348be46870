// PyTorch peer: torch_bench.py with Debian's /usr/bin/python3, one server per setting (bench/lib/server.js):
// for T threads, its BLAS (OpenBLAS) on the right core type with T threads, and for T > 1 also with 1 BLAS
// thread: torch's OpenMP pool and OpenBLAS's pool oversubscribe the cores together (MLP step 2-3× slower),
// so each row keeps PyTorch's best setting. Skipped when `import torch` fails.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { GEMM_SHAPES } from "../workloads/sgemm.js";
import { BENCH_DIR } from "../lib/native-tool.js";
import { prepared, startServer } from "../lib/server.js";
import { coreTypeFor, coreTypeNote } from "./openblas.js";

const PYTHON = "/usr/bin/python3";

// { info, prepare(job, threads) → a timer per setting (the row keeps the best), close() } or { skipped }.
export async function torchPeer(threadCounts, cpuFlags) {
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.error) return { skipped: `${PYTHON} not found` };
  if (probe.status !== 0) return { skipped: "python3 cannot import torch (install python3-torch)" };
  const coreType = coreTypeFor(cpuFlags);
  const shapes = JSON.stringify(GEMM_SHAPES.map(({ key, M, N, K, ta, tb, out }) => ({ key, M, N, K, ta, tb, out })));
  const settings = new Map();  // threads → its servers (BLAS threads T, then 1)
  const all = [];
  for (const t of threadCounts) {
    settings.set(t, []);
    for (const blasThreads of t > 1 ? [t, 1] : [t]) {
      const env = { OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(t), ...(coreType ? { OPENBLAS_CORETYPE: coreType } : {}) };
      const s = await startServer(PYTHON, [join(BENCH_DIR, "peers/torch_bench.py"), String(t), shapes], env);
      if (s.skipped) {
        all.forEach((x) => x.close());
        return s;
      }
      settings.get(t).push(s), all.push(s);
    }
  }
  const note = threadCounts.some((t) => t > 1) ? "; T-thread rows: best of OpenBLAS threads T and 1" : "";
  return {
    info: `PyTorch ${all[0].info.version}${coreTypeNote(coreType)}${note}`,
    async prepare(job, t) {
      const timers = [];
      for (const s of settings.get(t)) timers.push(await prepared(s, job));
      return timers;
    },
    close: () => all.forEach((s) => s.close()),
  };
}
