// A tensor too large to allocate throws a RangeError, and must leave the allocator as it found it:
// malloc's heap padding back at its default (native/runtime/memory.cc raises it only around
// tensorgrad's own allocations).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";

// Under AddressSanitizer (CI's sanitize step) malloc is ASan's own, which never grows glibc's heap.
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

// The size of the heap below the break ([heap] in /proc/self/maps), in bytes.
function heapBytes(): number {
  const line = readFileSync("/proc/self/maps", "utf8").split("\n").find((l) => l.endsWith("[heap]"));
  if (!line) return 0;
  const [from, to] = line.split(" ")[0].split("-").map((x) => parseInt(x, 16));
  return to - from;
}

const linux = process.platform === "linux";

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
