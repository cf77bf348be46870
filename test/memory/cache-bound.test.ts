// lib/memory.ts reads malloc's freed-byte figure (mallinfo2, which walks every arena's free lists: ~20 µs
// in a training loop) only when its lower bound — the last reading less every large allocation since —
// no longer covers a request of 1 MiB or more; emptyCache() resets the bound, since the memory is gone.
import { afterEach, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";

const memoryStats = native.memoryStats;
afterEach(() => {
  native.memoryStats = memoryStats;
});

// Counts the full reads (the 7-slot form; the 2-slot form reads only the hit counters).
function countReads(): { reads: number } {
  const seen = { reads: 0 };
  native.memoryStats = (out: Float64Array) => {
    if (out.length > 2) seen.reads++;
    return memoryStats(out);
  };
  return seen;
}

// Under AddressSanitizer malloc keeps no freed-block cache (and reports none), so every request reads again.
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

it.skipIf(underAsan)("a large allocation reads malloc's figures only when the bound runs short, and again after emptyCache()", () => {
  // 64 MiB freed: the first 1 MiB request reads it; the next several are covered by the bound.
  for (const t of Array.from({ length: 16 }, () => tg.zeros([1 << 20]))) t.dispose();
  const seen = countReads();
  const kept = Array.from({ length: 8 }, () => tg.zeros([1 << 18]));  // 1 MiB each
  expect(seen.reads).toBe(1);
  tg.emptyCache();
  kept.push(tg.zeros([1 << 18]));
  expect(seen.reads).toBe(2);
  expect(kept.every((t) => t.shape[0] === 1 << 18)).toBe(true);
  // Freed, so that the next test's emptyCache() leaves malloc no holes below them that it cannot trim.
  for (const t of kept) t.dispose();
});

it("a bound that no longer covers the request is read again", () => {
  tg.emptyCache();
  const seen = countReads();
  const a = tg.zeros([1 << 18]), b = tg.zeros([1 << 18]);  // nothing cached after emptyCache(): each reads
  expect(seen.reads).toBe(2);
  a.dispose(), b.dispose();
});
