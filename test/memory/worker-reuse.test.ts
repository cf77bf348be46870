// A worker thread's large outputs that it drops without dispose() are reused, as the main thread's are.
// The collection before a large allocation used to back off in a worker: it judged success by hits, which
// are counted for the main thread only, so every allocation looked like a miss and each 1 MiB output was
// fresh memory (72 page faults an allocation, against 3). Runs in a child process (dist/ build).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dist = new URL("../../dist/index.js", import.meta.url);
const hasDist = existsSync(fileURLToPath(dist));
if (process.env.CI && !hasDist) throw new Error("worker-reuse test: dist/ is missing; the install should have built it");
const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

const worker = `
  const { parentPort } = require("node:worker_threads");
  import(${JSON.stringify(dist.href)}).then((tg) => {
    const x = tg.randn([512, 512]);  // 1 MiB: large enough to collect first
    for (let i = 0; i < 10; ++i) x.add(1);
    const f0 = process.resourceUsage().minorPageFault;
    for (let i = 0; i < 100; ++i) x.add(1);
    parentPort.postMessage((process.resourceUsage().minorPageFault - f0) / 100);
  });`;
const main = `
  const { Worker } = require("node:worker_threads");
  new Worker(${JSON.stringify(worker)}, { eval: true }).on("message", (m) => console.log(m));`;

it.skipIf(!hasDist || underAsan || process.platform !== "linux")("a worker's never-disposed 1 MiB outputs reuse freed memory", () => {
  const faultsPerOutput = Number(execFileSync(process.execPath, ["-e", main], { encoding: "utf8" }));
  // A fresh 1 MiB output faults in 256 pages of 4 KiB; reused memory faults in none (V8's own pages: a few).
  expect(faultsPerOutput).toBeLessThan(20);
});
