// The addon is context-aware: it loads and trains in several worker threads at once, each with its own RNG,
// and survives a worker being terminated mid-work. Workers run the compiled library from dist/ (vitest only
// transpiles TypeScript in this thread).
import { describe, it, expect } from "vitest";
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";

const script = new URL("./fixtures/train-worker.mjs", import.meta.url);
const hasDist = existsSync(fileURLToPath(new URL("../../dist/index.js", import.meta.url)));
// CI builds dist/ during install, so there a missing dist/ is a failure, not a skip.
if (process.env.CI && !hasDist) throw new Error("workers test: dist/ is missing; the install should have built it");
const title = hasDist ? "native addon in worker threads" : "native addon in worker threads (SKIPPED: dist/ is missing; run `npm run build:ts`)";

type Result = { seed: number; losses: number[]; checksum: number; pooled: number[]; sample: number[] };

function train(data: { seed: number; steps: number; spin?: boolean }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: data, execArgv: [] });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
}

describe.skipIf(!hasDist)(title, () => {
  it("trains in four workers at once; equal seeds agree bit for bit, reseeding elsewhere disturbs nothing", async () => {
    const alone = await train({ seed: 1, steps: 15 });
    // Main thread RNG stream, to check afterwards that the workers did not move it.
    tg.manualSeed(42);
    const mainFirst = Array.from(tg.rand([4]).data());
    const [a, b, c, d] = await Promise.all([
      train({ seed: 1, steps: 15 }),
      train({ seed: 1, steps: 15 }),
      train({ seed: 2, steps: 15, spin: true }), // calls manualSeed after every step
      train({ seed: 2, steps: 15 }),
    ]);
    const mainNext = Array.from(tg.rand([4]).data());
    tg.manualSeed(42);
    expect(Array.from(tg.rand([8]).data())).toEqual([...mainFirst, ...mainNext]);

    for (const r of [alone, a, b, c, d]) {
      expect(r.losses).toHaveLength(15);
      r.losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
      expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]);
    }
    expect(a).toEqual(alone);
    expect(b).toEqual(alone);
    // The same seed trains identically whether or not it reseeds between steps; only later draws differ.
    expect(c.losses).toEqual(d.losses);
    expect(c.checksum).toBe(d.checksum);
    expect(c.pooled).not.toEqual(d.pooled); // drawn after c's reseeding
    expect(a.pooled.every(Number.isFinite)).toBe(true);
    expect(c.sample).not.toEqual(d.sample);
    expect(d.losses).not.toEqual(a.losses);
  });

  it("terminating a worker mid-training leaves the addon working here and in new workers", async () => {
    const w = new Worker(script, { workerData: { seed: 5, steps: 1_000_000, progress: true }, execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      w.on("message", (m: { step?: number }) => m.step === 3 && resolve());
      w.once("error", reject);
    });
    await w.terminate();

    const x = tg.tensor([[1, 2], [3, 4]]);
    expect(Array.from(tg.matmul(x, x).data())).toEqual([7, 10, 15, 22]);
    const again = await train({ seed: 1, steps: 3 });
    expect(again.losses).toHaveLength(3);
  });
});
