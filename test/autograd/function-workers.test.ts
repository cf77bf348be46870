// Custom Functions defined and trained in worker threads (each thread has its own classes and tape).
// Workers run the compiled library from dist/ (vitest only transpiles TypeScript in this thread).
import { describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const script = new URL("./fixtures/function-worker.mjs", import.meta.url);
const hasDist = existsSync(fileURLToPath(new URL("../../dist/index.js", import.meta.url)));
if (process.env.CI && !hasDist) throw new Error("function-workers test: dist/ is missing; the install should have built it");
const title = hasDist ? "autograd.Function in worker threads" : "autograd.Function in worker threads (SKIPPED: dist/ is missing; run `npm run build:ts`)";

type Result = { losses: number[]; rounded: number[]; jacobian: number[][] };

function run(seed: number, steps: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: { seed, steps }, execArgv: [] });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
}

describe.skipIf(!hasDist)(title, () => {
  it("three workers at once train through custom gates; equal seeds agree exactly", async () => {
    const [a, b, c] = await Promise.all([run(1, 80), run(1, 80), run(2, 80)]);
    for (const r of [a, b, c]) {
      expect(r.losses).toHaveLength(80);
      expect(r.losses.at(-1)!).toBeLessThan(r.losses[0] * 0.05);
      expect(r.jacobian).toEqual([[2, 0], [0, 4]]);
    }
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  }, 60_000);
});
