// npx tensorgrad-run: torchrun's environment for every rank, exit code 0 when all succeed, the
// failing rank's code (and the others stopped) when one fails, usage errors with code 2.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { freePort, run, worker } from "./ranks.js";

const launcher = fileURLToPath(new URL("../../dist/distributed/launcher.js", import.meta.url));

describe("tensorgrad-run", () => {
  it("starts nproc-per-node ranks with torchrun's environment and exits 0", async () => {
    const port = await freePort();
    const r = await run([launcher, "--nproc-per-node", "3", "--master-port", String(port), worker("launched.mjs"), "--lr", "0.1"], {});
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.env.RANK).sort()).toEqual(["0", "1", "2"]);
    for (const l of lines) {
      expect(l.env).toMatchObject({ WORLD_SIZE: "3", LOCAL_WORLD_SIZE: "3", GROUP_RANK: "0", MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port) });
      expect(l.env.LOCAL_RANK).toBe(l.env.RANK);
      expect(l.args).toEqual(["--lr", "0.1"]);
    }
  });

  it("--nnodes/--node-rank give the second node's ranks", async () => {
    // Node 1 of 2 alone cannot finish the rendezvous: only its environment is checked.
    const port = await freePort();
    const r = await run([launcher, "--nnodes=2", "--node-rank=1", "--nproc-per-node=2", `--master-port=${port}`, worker("launched.mjs")],
      { ENV_ONLY: "1" });
    expect(r.code, r.stderr).toBe(0);
    const ranks = r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l).env);
    expect(ranks.map((e) => e.RANK).sort()).toEqual(["2", "3"]);
    expect(ranks.every((e) => e.WORLD_SIZE === "4" && e.GROUP_RANK === "1")).toBe(true);
  });

  it("exits with the failing rank's code and stops the others", async () => {
    const port = await freePort();
    const r = await run([launcher, "--nproc-per-node", "2", "--master-port", String(port), worker("launched.mjs")], { FAIL_RANK: "1" });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("tensorgrad-run: rank 1 exited with code 3; stopping the others");
    expect(r.ms).toBeLessThan(15_000);  // the surviving rank was stopped, not left waiting 20 s
  });

  it("rejects bad usage with code 2 and the usage text", async () => {
    for (const args of [["script.js"], ["--nproc-per-node", "0", "x.js"], ["--nproc-per-node", "2"], ["--bogus", "1", "x.js"]]) {
      const r = await run([launcher, ...args], {});
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("usage: tensorgrad-run --nproc-per-node N");
    }
  });
});
