// PyTorch peer: runs torch_bench.py with Debian's /usr/bin/python3 per thread count T, with its BLAS
// (OpenBLAS) on the right core type and T threads, and for T > 1 again with 1 BLAS thread: torch's
// OpenMP pool and OpenBLAS's pool oversubscribe the cores together (MLP step 2-3× slower), so
// each row keeps PyTorch's best setting. Skipped when `import torch` fails.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { GEMM_SHAPES } from "../workloads/sgemm.js";
import { BENCH_DIR, runJson } from "../lib/native-tool.js";
import { coreTypeFor, coreTypeNote } from "./openblas.js";

const PYTHON = "/usr/bin/python3";

export function torchPeer(threadCounts, cpuFlags) {
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.error) return { skipped: `${PYTHON} not found` };
  if (probe.status !== 0) return { skipped: "python3 cannot import torch (install python3-torch)" };
  const coreType = coreTypeFor(cpuFlags);
  const shapes = JSON.stringify(GEMM_SHAPES.map(({ key, M, N, K, ta, tb }) => ({ key, M, N, K, ta, tb })));
  const results = {};
  let version = "";
  const settings = threadCounts.flatMap((t) => (t > 1 ? [[t, t], [t, 1]] : [[t, t]]));
  for (const [t, blasThreads] of settings) {
    const env = { OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(t), ...(coreType ? { OPENBLAS_CORETYPE: coreType } : {}) };
    const r = runJson(PYTHON, [join(BENCH_DIR, "peers/torch_bench.py"), String(t), shapes], env);
    if (r.skipped) return r;
    version = r.info.version;
    // Each row keeps PyTorch's best setting (thread-independent rows: best over all runs).
    for (const [key, sec] of Object.entries(r.results)) results[key] = Math.min(results[key] ?? Infinity, sec);
  }
  const note = threadCounts.some((t) => t > 1) ? "; T-thread rows: best of OpenBLAS threads T and 1" : "";
  return { info: `PyTorch ${version}${coreTypeNote(coreType)}${note}`, results };
}
