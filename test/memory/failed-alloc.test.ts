// A tensor too large to allocate throws a RangeError, and must leave the allocator as it found it:
// malloc's heap padding back at its default (native/runtime/memory.cc raises it only around
// tensorgrad's own allocations), and the main thread still on glibc's main heap (a failed malloc moves
// the calling thread to another arena for good, where blocks are never counted and the largest go
// back to the OS on free: every later large tensor then faults all of its pages in; measured, 10
// allocations of 100 MiB after one failed: 256,000 page faults, 2.5 s, against 1,100 and 0.24 s).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";

// Under AddressSanitizer (CI's sanitize step) malloc is ASan's own, which never grows glibc's heap.
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

// The size of the heap below the break, in bytes: from the first [heap] mapping in /proc/self/maps to the
// end of the last (huge-page advice splits it in several).
function heapBytes(): number {
  const ranges = readFileSync("/proc/self/maps", "utf8").split("\n").filter((l) => l.endsWith("[heap]"))
    .map((l) => l.split(" ")[0].split("-").map((x) => parseInt(x, 16)));
  return ranges.length ? ranges[ranges.length - 1][1] - ranges[0][0] : 0;
}

const linux = process.platform === "linux";

// Runs first: the failure below does not reach malloc, so it cannot move this thread off the main heap.
it.skipIf(!linux || underAsan)("a failed allocation restores malloc's heap padding", () => {
  // 2^53 bytes: beyond the largest ArrayBuffer, refused before any memory is asked for.
  expect(() => tg.zeros([2 ** 50], { dtype: "float64" })).toThrow(/cannot allocate/);
  // Plain (non-tensor) allocations now grow the heap in small steps, not by 32 MiB at a time.
  const kept: Buffer[] = [], start = heapBytes();
  let prev = start, largestStep = 0;
  for (let i = 0; i < 256; ++i) {
    kept.push(Buffer.allocUnsafe(256 << 10).fill(i));
    const now = heapBytes();
    largestStep = Math.max(largestStep, now - prev);
    prev = now;
  }
  expect(prev - start).toBeGreaterThan(16 << 20);  // the heap did grow (else the check below proves nothing)
  expect(largestStep).toBeLessThan(8 << 20);
});

it.skipIf(!linux || underAsan)("after a tensor too large for memory, tensors still come from the main heap", () => {
  expect(() => tg.zeros([2 ** 40])).toThrow(/cannot allocate 1099511627776 elements of float32/);
  // 128 MiB: more than the freed memory the heap holds (the test above freed 64 MiB), so the heap must grow.
  const start = heapBytes();
  const a = tg.ones([32 << 20]);
  expect(heapBytes() - start).toBeGreaterThanOrEqual(32 << 20);
  // Reused once disposed.
  a.dispose();
  const before = tg.memoryStats().hits;
  const b = tg.ones([32 << 20]);
  expect(tg.memoryStats().hits - before).toBe(1);
  expect(b.sum().item()).toBe(32 << 20);
  b.dispose();
});
