// The allocator's settings from the environment, read once at load (native/binding.cc), so each case runs in
// a child process: TENSORGRAD_HUGE_PAGES=0 turns the huge-page advice off, and TENSORGRAD_CACHE_MB takes a
// whole number of MiB, anything else leaving the default 512 (it used to read "abc" as a cap of 0).
import { existsSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { hasDist, heapProbe, underAsan } from "./heap-probe.js";

const THP = "/sys/kernel/mm/transparent_hugepage/enabled";
const thpOffered = existsSync(THP) && /\[(madvise|always)\]/.test(readFileSync(THP, "utf8"));

// Grows the heap by a 64 MiB tensor, then reports the cache cap in MiB, how many heap mappings are advised for
// huge pages, and how many are marked against them after emptyCache() (which tensorgrad does only to undo
// its own advice: with it off, the system's default must stand).
const probe = `
  const heapFlags = (flag) => {
    let heap = false, n = 0;
    for (const line of fs.readFileSync("/proc/self/smaps", "utf8").split("\\n")) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) heap = line.endsWith("[heap]");
      else if (heap && line.startsWith("VmFlags:") && line.split(" ").includes(flag)) ++n;
    }
    return n;
  };
  const t = tg.ones([16 << 20]), advised = heapFlags("hg"), sum = t.sum().item();
  t.dispose();
  tg.emptyCache();
  return { capMiB: tg.memoryStats().cacheLimitBytes / 2 ** 20, advised, sum, refused: heapFlags("nh") };`;
// `anyHeap`: the cap is read whatever the heap (under ASan, whose allocator never grows it, too).
const run = (env: Record<string, string>, anyHeap = false) => heapProbe(probe, env, anyHeap);

it.skipIf(!hasDist || underAsan || process.platform !== "linux")("TENSORGRAD_HUGE_PAGES=0 leaves the heap unadvised", () => {
  expect(run({ TENSORGRAD_HUGE_PAGES: "0" })).toEqual({ capMiB: 512, advised: 0, sum: 16 << 20, refused: 0 });
  if (thpOffered) expect(run({}).advised).toBeGreaterThan(0);  // the same probe with the default does advise
});

it.skipIf(!hasDist)("TENSORGRAD_CACHE_MB takes whole MiB; a value that is not a number leaves the default", () => {
  expect(run({ TENSORGRAD_CACHE_MB: "64" }, true).capMiB).toBe(64);
  expect(run({ TENSORGRAD_CACHE_MB: "0" }, true).capMiB).toBe(0);
  expect(run({ TENSORGRAD_CACHE_MB: "abc" }, true).capMiB).toBe(512);
  expect(run({ TENSORGRAD_CACHE_MB: "12x" }, true).capMiB).toBe(512);
});
