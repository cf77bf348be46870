// Hits are counted only for the process's main thread, whose allocations come from glibc's main heap.
// A program that loads tensorgrad only in a worker thread used to be counted as if it were the main
// thread: its blocks (in another arena, the largest mapped afresh and unmapped on free) then all
// counted as hits under the old rule "the heap's break did not move", though each faulted all of its
// pages in. Runs in a child process, where the worker is the first to load the addon (dist/ build).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dist = new URL("../../dist/index.js", import.meta.url);
const hasDist = existsSync(fileURLToPath(dist));
if (process.env.CI && !hasDist) throw new Error("worker-first test: dist/ is missing; the install should have built it");
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

const worker = `
  const { parentPort } = require("node:worker_threads");
  import(${JSON.stringify(dist.href)}).then((tg) => {
    const faults = () => process.resourceUsage().minorPageFault;
    const before = tg.memoryStats(), f0 = faults();
    for (let i = 0; i < 3; ++i) tg.ones([32 << 20]).dispose();  // 128 MiB each
    parentPort.postMessage({ hits: tg.memoryStats().hits - before.hits, faults: faults() - f0 });
  });`;
const main = `
  const { Worker } = require("node:worker_threads");
  new Worker(${JSON.stringify(worker)}, { eval: true }).on("message", (m) => console.log(JSON.stringify(m)));`;

it.skipIf(!hasDist || underAsan || process.platform !== "linux")("a worker that loads tensorgrad first counts no hit for memory it faulted in", () => {
  const { hits, faults } = JSON.parse(execFileSync(process.execPath, ["-e", main], { encoding: "utf8" }));
  // Three fresh 128 MiB blocks fault in at least 2 MiB pages (64 faults each), 4 KiB ones (32,768 each) without huge pages.
  expect(faults).toBeGreaterThan(3 * 64);
  expect(hits).toBe(0);
});
