// Timing shared by every workload: warm up, size a batch of calls to a target duration, time
// several batches and keep the median time per call. Batching lets sub-microsecond ops be timed
// with a millisecond clock; the median drops batches hit by a GC pause or a noisy neighbour.
import { performance } from "node:perf_hooks";

const SLOW_MS = 250, SLOW_REPS = 3;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// A warmed-up fn whose batches can be timed one at a time, so that batches of tensorgrad and of its peers
// can alternate (bench/run.js). `reps` is how many batches the median takes; slow calls (longer than
// batchMs) run once per batch, and calls over SLOW_MS get only SLOW_REPS batches.
export function prepare(fn, { warmupMs = 150, warmupCalls = 2, batchMs = 60, reps = 7 } = {}) {
  let calls = 0;
  const t0 = performance.now();
  while (calls < warmupCalls || performance.now() - t0 < warmupMs) {
    fn();
    ++calls;
  }
  const perCall = (performance.now() - t0) / calls;
  const size = Math.max(1, Math.ceil(batchMs / perCall));
  return {
    reps: perCall > SLOW_MS ? Math.min(reps, SLOW_REPS) : reps,
    // Seconds per call over one batch.
    batch() {
      const s = performance.now();
      for (let i = 0; i < size; ++i) fn();
      return (performance.now() - s) / size / 1e3;
    },
  };
}

// Median seconds per call of fn (a prepared fn's batches, back to back).
export function timeIt(fn, opts) {
  const timer = prepare(fn, opts);
  return median(Array.from({ length: timer.reps }, () => timer.batch()));
}
