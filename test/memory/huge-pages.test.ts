// Fresh tensor memory comes in 2 MiB pages where the kernel offers them on request (transparent huge
// pages in "madvise" or "always" mode): native/runtime/memory.cc advises the heap's new part before any
// tensor touches it. On a VM a 4 KiB first touch costs ~10 µs; a 2 MiB page ~0.5 µs per 4 KiB of it.
import { readFileSync, existsSync } from "node:fs";
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const THP = "/sys/kernel/mm/transparent_hugepage/enabled";
const offered = existsSync(THP) && !readFileSync(THP, "utf8").includes("[never]");
// Under AddressSanitizer (CI's sanitize step) malloc is ASan's own, which never grows glibc's heap.
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

const hugeBytes = () => 1024 * Number(/AnonHugePages:\s+(\d+) kB/.exec(readFileSync("/proc/self/smaps_rollup", "utf8"))![1]);

it.skipIf(!offered || underAsan)("a large fresh tensor lies mostly in huge pages", () => {
  tg.emptyCache();  // the tensor below must come from fresh heap, not from a freed block
  const before = hugeBytes();
  const t = tg.ones([16 << 20]);  // 64 MiB, every page touched
  expect(hugeBytes() - before).toBeGreaterThanOrEqual(16 << 20);  // a quarter: the kernel may lack free 2 MiB pages
  expect(t.sum().item()).toBe(16 << 20);
  t.dispose();
});
