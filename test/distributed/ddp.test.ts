// DistributedDataParallel: 2 ranks with half of a batch of 64 each, 20 SGD (momentum) steps, end
// where one process training on the whole batch ends. Not bit-identical: each rank's mean loss
// sums its 32 rows (inside the weight-gradient GEMM, over the batch dimension) and the ranks'
// gradients are then averaged, ((S0/32) + (S1/32)) / 2, where one process rounds S/64 with S
// summed over 64 rows in another order. Measured: float64 within 1.2e-16, float32 within 6e-8
// (about one ulp of the weights); the bounds below leave room for other CPUs' kernel paths.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { makeBuckets } from "../../lib/nn/parallel/buckets.js";
import { lastJson, run, runRanks, worker } from "./ranks.js";

async function compare(dtype: string) {
  const single = await run([worker("ddp.mjs")], { DTYPE: dtype });
  expect(single.code, single.stderr).toBe(0);
  const ref = lastJson({ rank: 0, ...single });
  const ranks = (await runRanks("ddp.mjs", 2, { DTYPE: dtype, MODE: "ddp" })).map((r) => {
    expect(r.code, r.stderr).toBe(0);
    return lastJson(r);
  });
  expect(ranks[0].keys).toEqual(["module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias"]);
  let maxDiff = 0;
  ref.weights.forEach((w: number[], i: number) =>
    w.forEach((v, j) => {
      maxDiff = Math.max(maxDiff, Math.abs(ranks[0].weights[i][j] - v));
    }),
  );
  expect(ranks[1].weights).toEqual(ranks[0].weights);  // every rank holds exactly the same model
  // Reverse order: the 10 output biases alone fill the 0.001 MiB first bucket; the rest share one.
  expect(ranks[0].buckets).toEqual([10, 320 + 32 + 640]);
  // With the engine's post-accumulate hooks every bucket has left before backward() returns.
  const hooks = typeof (tg.Tensor.prototype as { registerPostAccumulateGradHook?: unknown }).registerPostAccumulateGradHook === "function";
  expect(ranks[0].inFlightAfterBackward).toBe(hooks ? 2 : 0);
  // …handed to the communication thread from the hooks, not queued behind backward() in a promise.
  expect(ranks[0].submittedInBackward).toBe(hooks ? 2 : 0);
  return maxDiff;
}

describe("DistributedDataParallel", () => {
  it("2 ranks × 32 rows equal one process on 64 rows after 20 steps (float64)", async () => {
    const d = await compare("float64");
    expect(d).toBeLessThan(1e-12);
  });
  it("… and in float32", async () => {
    const d = await compare("float32");
    expect(d).toBeLessThan(2e-6);
  });

  it("gradients accumulated without zeroGrad: a .grad that was a bucket view is copied before its all-reduce, and nothing is lost", async () => {
    const ranks = (await runRanks("ddp-accumulate.mjs", 2)).map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return lastJson(r);
    });
    for (const r of ranks) {
      expect(r.sharedInFlight).toBe(0);
      expect(r.maxDiff).toBeLessThan(1e-12);
    }
  });

  it("buckets hold parameters in reverse order, by dtype, within the caps", () => {
    const a = new tg.nn.Parameter(tg.zeros([256])), b = new tg.nn.Parameter(tg.zeros([256])), c = new tg.nn.Parameter(tg.zeros([100]));
    const d = new tg.nn.Parameter(tg.zeros([10], { dtype: "float64" })), e = new tg.nn.Parameter(tg.zeros([300]));
    // first bucket 1 KiB (256 floats), later ones 1.6 KiB (400 floats)
    const buckets = makeBuckets([a, b, c, d, e], 1024, 1600);
    expect(buckets.map((k) => k.params)).toEqual([[e], [d], [c, b], [a]]);
    expect(buckets[2].offsets).toEqual([0, 100]);
    expect(buckets[2].flat.shape).toEqual([356]);
    expect(buckets[1].flat.dtype).toBe("float64");
  });

  it("needs an initialized process group and valid options", () => {
    const m = new tg.nn.Linear(2, 2);
    expect(() => new tg.nn.parallel.DistributedDataParallel(m)).toThrow("the default process group is not initialized");
    expect(() => new tg.nn.parallel.DistributedDataParallel(m, { bucket_cap_mb: 1 } as never)).toThrow('did you mean "bucketCapMb"');
  });
});
