// lib/memory.ts reads malloc's freed-byte figure (mallinfo2, which walks every arena's free lists: ~20 µs
// in a training loop) only when its lower bound — the last reading less every large allocation since —
// no longer covers a request of 1 MiB or more; emptyCache() resets the bound, since the memory is gone.
//
// What malloc holds when a test starts is not fixed: a tensor dropped without dispose() is freed whenever
// V8's collector (and its background sweeper) gets to it, and emptyCache()'s malloc_trim shrinks the heap
// only from its top: a freed block below a live one stays in malloc's free lists (its pages go back to the
// OS, but mallinfo2 still counts it as free). So these tests dispose every tensor they make and size their
// requests from what the reads saw, never assuming that nothing is cached after emptyCache().
import { afterEach, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";

const memoryStats = native.memoryStats;
afterEach(() => {
  native.memoryStats = memoryStats;
});

const MiB = 1 << 20;

// Counts the full reads (the 7-slot form; the 2-slot form reads only the hit counters) and keeps the
// freed bytes the last one found (slot 3, native/runtime/memory.h).
function countReads(): { reads: number; cached: number } {
  const seen = { reads: 0, cached: 0 };
  native.memoryStats = (out: Float64Array) => {
    const r = memoryStats(out);
    if (out.length > 2) seen.reads++, (seen.cached = out[3]);
    return r;
  };
  return seen;
}

const floats = (bytes: number) => tg.zeros([Math.ceil(bytes / 4)]);

// Under AddressSanitizer malloc keeps no freed-block cache (and reports none), so every request reads again.
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

it.skipIf(underAsan)("with 64 MiB freed, eight 1 MiB allocations read malloc's figures at most once, and emptyCache() makes the next one read", () => {
  // Whether the first request reads depends on the bound left by earlier allocations; once one has read
  // the 64 MiB, the bound covers the rest (a read per request would be 8).
  for (const t of Array.from({ length: 16 }, () => floats(4 * MiB))) t.dispose();
  const seen = countReads();
  const kept = Array.from({ length: 8 }, () => floats(MiB));
  expect(seen.reads).toBeLessThanOrEqual(1);
  const before = seen.reads;
  tg.emptyCache();
  kept.push(floats(MiB));
  expect(seen.reads).toBe(before + 1);
  expect(kept.every((t) => t.shape[0] === MiB / 4)).toBe(true);
  for (const t of kept) t.dispose();
});

it("a bound that no longer covers the request is read again", () => {
  tg.emptyCache();
  const seen = countReads();
  const a = floats(MiB);  // the bound is 0 after emptyCache(): this reads
  expect(seen.reads).toBe(1);
  // The bound is now what that read found less a's 1 MiB; a request of more than half of that is not covered.
  const b = floats(Math.max(seen.cached - MiB, 0) / 2 + MiB);
  expect(seen.reads).toBe(2);
  a.dispose(), b.dispose();
});
