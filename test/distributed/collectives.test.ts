// Each collective across 2 and 3 real processes on 127.0.0.1 (env:// with rank 0's store) and
// over a file:// store, against values computed here.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastJson, root, run, runRanks, worker } from "./ranks.js";

const f32 = (x: number) => Math.fround(x);
// What rank k contributes: [k+1, 2(k+1), -(k+1), 0.5] (0.5 truncates to 0 in int32).
const contrib = (k: number, dtype: string) => [k + 1, 2 * (k + 1), -(k + 1), dtype === "int32" ? 0 : 0.5];

function expected(n: number) {
  const ranks = Array.from({ length: n }, (_, k) => k);
  const out: Record<string, unknown> = {};
  for (const dtype of ["float32", "float64", "int32"]) {
    const cols = [0, 1, 2, 3].map((i) => ranks.map((k) => contrib(k, dtype)[i]));
    const sum = cols.map((c) => c.reduce((a, b) => a + b, 0));
    out[`allReduce.sum.${dtype}`] = sum;
    out[`allReduce.max.${dtype}`] = cols.map((c) => Math.max(...c));
    out[`allReduce.min.${dtype}`] = cols.map((c) => Math.min(...c));
    if (dtype !== "int32") out[`allReduce.avg.${dtype}`] = sum.map((s) => (dtype === "float32" ? f32(f32(s) / n) : s / n));
    out[`broadcast.${dtype}`] = contrib(n - 1, dtype);
    out[`allGather.${dtype}`] = ranks.map((k) => contrib(k, dtype));
  }
  return out;
}

function check(n: number, results: Awaited<ReturnType<typeof runRanks>>) {
  const want = expected(n);
  for (const r of results) {
    expect(r.code, r.stderr).toBe(0);
    const got = lastJson(r);
    expect(got.rank).toBe(r.rank);
    expect(got.worldSize).toBe(n);
    expect(got.initialized).toBe(true);
    for (const [key, value] of Object.entries(want)) {
      if (key.startsWith("allReduce")) {
        expect(got[key].values, key).toEqual(value);
        expect(got[key].shape).toEqual([2, 2]);
        expect(got[key].same).toBe(true);
      } else expect(got[key], key).toEqual(value);
    }
    for (const dtype of ["float32", "float64", "int32"]) {
      // inputList[k] on rank j is [k + j, 10k - j², j/2]: the reduction over j lands in rank k's output.
      const k = r.rank, ranks = Array.from({ length: n }, (_, j) => j);
      const cols = [ranks.map((j) => k + j), ranks.map((j) => 10 * k - j * j), ranks.map((j) => (dtype === "int32" ? Math.trunc(j / 2) : j / 2))];
      const sum = cols.map((c) => c.reduce((a, b) => a + b, 0));
      const want = {
        sum, max: cols.map((c) => Math.max(...c)), min: cols.map((c) => Math.min(...c)),
        avg: sum.map((s) => (dtype === "float32" ? f32(f32(s) / n) : s / n)),
      };
      for (const [op, values] of Object.entries(want)) {
        if (op === "avg" && dtype === "int32") continue;
        expect(got[`reduceScatter.${op}.${dtype}`], `${op} ${dtype}`).toEqual(values);
        expect(got[`reduceScatter.${op}.${dtype}.kept`], `${op} ${dtype}: resolves to output, inputs unchanged`).toBe(true);
      }
    }
    expect(got.reduceScatterStrided).toEqual([n * r.rank, (n * (n - 1)) / 2, n, 2 * n]);
    expect(got.reduceScatterLarge).toBe(0);
    expect(got.view).toEqual([0, 1, 2 * n, 3 * n, 4 * n, 5 * n, 6, 7]);
    expect(got.empty).toEqual([0]);
    expect(got.scalar).toBe((n * (n + 1)) / 2);
    expect(got.special).toEqual(["NaN", "Infinity", "0"]);
    expect(got.pinned).toEqual([1 << 16, 0]);
    expect(got.afterDestroy).toBe(false);
  }
}

describe("tg.distributed collectives", () => {
  it("2 ranks over env:// give the expected values on every dtype", async () => {
    check(2, await runRanks("collectives.mjs", 2));
  });
  it("3 ranks over env://", async () => {
    check(3, await runRanks("collectives.mjs", 3));
  });
  it("2 ranks over a file:// store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-filestore-"));
    try {
      check(2, await runRanks("collectives.mjs", 2, { INIT_METHOD: `file://${join(dir, "store")}` }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The MPI backend needs its own build (it ties the addon to one MPI ABI): .ci/run makes it with
//   TENSORGRAD_WITH_MPI=1 npx cmake-js compile -O build/mpi -T tensorgrad_dist
const mpiAddon = join(root, "build", "mpi", "Release", "dist", "tensorgrad_dist.node");
const hasMpirun = spawnSync("sh", ["-c", "command -v mpirun"]).status === 0;
describe.skipIf(!hasMpirun || !existsSync(mpiAddon))("tg.distributed MPI backend (needs mpirun and build/mpi)", () => {
  it("2 ranks under mpirun give the same values as Gloo", async () => {
    // Each rank writes its report to a file: mpirun forwards both ranks' stdout through one pipe and may
    // split a long line between them.
    const dir = mkdtempSync(join(tmpdir(), "tg-mpi-"));
    const r = await run(["-e", `require("node:child_process").execFileSync("mpirun", ["-np", "2", "--allow-run-as-root", "--oversubscribe",
      "-x", "TENSORGRAD_DIST_ADDON", "-x", "BACKEND", "-x", "RESULT_DIR", process.execPath, ${JSON.stringify(worker("collectives.mjs"))}], {stdio: "inherit"})`],
      { TENSORGRAD_DIST_ADDON: mpiAddon, BACKEND: "mpi", RESULT_DIR: dir, RANK: "", WORLD_SIZE: "" }, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = [0, 1].map((rank) => JSON.parse(readFileSync(join(dir, `rank-${rank}.json`), "utf8")));
    rmSync(dir, { recursive: true, force: true });
    expect(lines.length).toBe(2);
    check(2, lines.sort((a, b) => a.rank - b.rank).map((got, rank) => ({ rank, code: 0, signal: null, stdout: JSON.stringify(got), stderr: "", ms: 0 })));
  }, 150_000);

  it("a rank that skips a collective makes the other reject it after timeoutMs, naming it; the group is then refused", async () => {
    // Rank 1 exits without finalizing MPI, so mpirun's own exit status is not checked: rank 0's report is.
    const r = await run(["-e", `try { require("node:child_process").execFileSync("mpirun", ["-np", "2", "--allow-run-as-root", "--oversubscribe",
      "-x", "TENSORGRAD_DIST_ADDON", "-x", "BACKEND", "-x", "MODE", "-x", "KILL_RANK", "-x", "TIMEOUT_MS", process.execPath,
      ${JSON.stringify(worker("failure.mjs"))}], {stdio: ["ignore", "inherit", "ignore"]}) } catch {}`],
      { TENSORGRAD_DIST_ADDON: mpiAddon, BACKEND: "mpi", MODE: "hang", KILL_RANK: "1", TIMEOUT_MS: "1500", RANK: "", WORLD_SIZE: "" }, 120_000);
    const lines = r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const rank0 = lines.find((l) => l.rank === 0);
    expect(rank0, r.stdout + r.stderr).toBeDefined();
    expect(rank0.ok).toBe(false);
    expect(rank0.error).toBe("tensorgrad.distributed.allReduce #2 on rank 0: timed out after 1500 ms waiting for rank(s) 1, " +
      "which did not reach it (hung, slower than timeoutMs, or waiting in a different collective)");
    expect(rank0.ms).toBeGreaterThanOrEqual(1400);
    expect(rank0.ms).toBeLessThan(15000);
    expect(rank0.next).toMatch(/^tensorgrad\.distributed\.barrier: the process group failed earlier and cannot be used/);
    expect(rank0.destroyed).toBe("ok");  // MPI is left unfinalized: the stuck exchange cannot be cancelled
  }, 150_000);
});
