// Waits until the bench's processes stop using CPU before a timed batch starts. Thread pools spin for a
// while after their last call before they sleep: OpenBLAS's workers for 2^28 cycles (≈ 0.1 s), OpenMP's
// and tensorgrad's for up to a few ms. On a 2-core host, the next side's 2-thread batch otherwise shares a
// core with the previous side's spinning worker (measured: the MLP step at 2 threads 3.5–3.8 ms right after
// PyTorch's batch, 2.5 ms after a pause; PyTorch's own 2-thread step 5.6–12.6 ms right after OpenBLAS's).
import { readdirSync, readFileSync } from "node:fs";

const WINDOW_MS = 3, MAX_WAIT_MS = 400;
// A window counts as quiet when the watched threads ran for under this share of it.
const QUIET_SHARE = 0.1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Nanoseconds on CPU of every thread of `pid` (Linux schedstat), the calling thread excluded for our own
// process: the main thread polling here is not a spinner.
function cpuNs(pid) {
  let sum = 0;
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;  // not Linux, or the process has exited
  }
  for (const tid of tids) {
    if (pid === process.pid && Number(tid) === process.pid) continue;
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return sum;
}

// Resolves once the threads of `pids` (ours included) ran for under QUIET_SHARE of a WINDOW_MS window, or
// after MAX_WAIT_MS (a host busy with other work). Returns the milliseconds waited.
export async function quiet(pids) {
  const all = [process.pid, ...pids];
  const start = performance.now();
  let before = all.reduce((s, pid) => s + cpuNs(pid), 0);
  while (performance.now() - start < MAX_WAIT_MS) {
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    const after = all.reduce((s, pid) => s + cpuNs(pid), 0);
    const windowNs = (performance.now() - t0) * 1e6;
    if (after - before < QUIET_SHARE * windowNs) break;
    before = after;
  }
  return performance.now() - start;
}
