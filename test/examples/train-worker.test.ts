// examples/train-worker.js: training in a worker streams progress to the main thread, which keeps
// ticking and answering HTTP meanwhile. Timings are printed by the example, not asserted (shared machine).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("examples/train-worker.js (needs dist/ and dataset-fashion-mnist)", () => {
  it("streams progress, serves HTTP and ticks during training, learns Fashion-MNIST", () => {
    const out = execFileSync(process.execPath, ["examples/train-worker.js", "--samples", "3000"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    const progress = out.split("\n").filter((l) => /^epoch 1 batch +\d+\/47 {2}loss \d+\.\d{4} {2}batch accuracy [\d.]+%$/.test(l));
    expect(progress.length).toBe(3);  // batches 20, 40 and the last (47)
    const ticks = Number(/main thread: (\d+) timer ticks during training/.exec(out)![1]);
    const served = Number(/served (\d+) HTTP requests during training/.exec(out)![1]);
    // Only "the main thread kept running": how many 5 ms ticks and 20 ms requests fit depends on how
    // fast the machine trains (a blocked main thread would fire at most one late tick, serve nothing
    // until the end).
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(served).toBeGreaterThanOrEqual(1);
    // Every request was answered: none was cut off by closing the server while it was on its way (the
    // example then died of an unhandled ECONNRESET).
    expect(out).not.toMatch(/requests failed/);
    expect(Number(/test accuracy ([\d.]+)%/.exec(out)![1])).toBeGreaterThan(60);
  });
});
