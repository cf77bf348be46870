// A rank that dies, hangs or never arrives makes the others fail within timeoutMs with an Error
// naming what happened (never a hang); mismatched collectives and bad arguments are clear Errors.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { freePort, lastJson, run, runRanks, worker } from "./ranks.js";

const d = tg.distributed;

describe("tg.distributed failures", () => {
  for (const victim of [2, 0]) {
    it(`a killed rank ${victim} makes the others reject their pending all-reduce naming it, long before the timeout`, async () => {
      const results = await runRanks("failure.mjs", 3, { MODE: "kill", KILL_RANK: String(victim), TIMEOUT_MS: "20000" });
      expect(results[victim].signal).toBe("SIGKILL");
      for (const r of results.filter((x) => x.rank !== victim)) {
        const got = lastJson(r);
        expect(got.ok).toBe(false);
        expect(got.error, got.error).toMatch(new RegExp(`^tensorgrad\\.distributed\\.allReduce #\\d+ on rank ${r.rank}: lost rank ${victim} `));
        expect(got.ms).toBeLessThan(20000);
        expect(got.next).toMatch(/failed earlier and cannot be used .*destroyProcessGroup/);
        expect(got.destroyed).toBe("ok");
      }
    });
  }

  for (const victim of [1, 0]) {
    it(`rank ${victim} killed in the middle of a 64 MiB all-reduce makes the other reject naming it, before the timeout`, async () => {
      const results = await runRanks("failure.mjs", 2, { MODE: "kill-mid", KILL_RANK: String(victim), TIMEOUT_MS: "60000" });
      const dead = results[victim], survivor = results[1 - victim];
      expect(dead.signal, dead.stdout + dead.stderr).toBe("SIGKILL");
      const seen = lastJson(dead);
      expect(seen.killedMidTransfer).toBe(true);
      expect(seen.piecesChanged).toBeGreaterThan(0);
      expect(seen.piecesChanged).toBeLessThan(seen.pieces);
      const got = lastJson(survivor);
      expect(got.ok).toBe(false);
      expect(got.error, got.error).toMatch(new RegExp(`^tensorgrad\\.distributed\\.allReduce #\\d+ on rank ${1 - victim}: lost rank ${victim} `));
      expect(got.ms).toBeLessThan(60000);
      expect(got.next).toMatch(/failed earlier and cannot be used .*destroyProcessGroup/);
      expect(got.destroyed).toBe("ok");
    });
  }

  it("a rank that skips a collective makes the others time out after timeoutMs, naming it and the collective", async () => {
    const results = await runRanks("failure.mjs", 3, { MODE: "hang", KILL_RANK: "2", TIMEOUT_MS: "1500" });
    for (const r of results.slice(0, 2)) {
      const got = lastJson(r);
      expect(got.ok).toBe(false);
      // The sequence number counts every job: connect is #0, the first all-reduce #1.
      expect(got.error).toBe(`tensorgrad.distributed.allReduce #2 on rank ${r.rank}: timed out after 1500 ms waiting for rank(s) 2, ` +
        "which did not reach it (hung, slower than timeoutMs, or waiting in a different collective)");
      expect(got.ms).toBeGreaterThanOrEqual(1400);
      expect(got.ms).toBeLessThan(15000);
      expect(got.next).toMatch(/^tensorgrad\.distributed\.barrier: the process group failed earlier and cannot be used .*destroyProcessGroup/);
      expect(got.destroyed).toBe("ok");
    }
  });

  it("ranks that disagree on a collective's size all reject it and the group stays usable", async () => {
    const results = await runRanks("failure.mjs", 2, { MODE: "mismatch" });
    for (const r of results) {
      const got = lastJson(r);
      expect(got.ok).toBe(false);
      expect(got.error).toContain("rank 0 allReduce of 1000 float32 elements (op sum), rank 1 allReduce of 2000 float32 elements");
      expect(got.next).toBe("");  // the barrier after it succeeded
    }
  });

  it("ranks that disagree on reduceScatter's output size all reject it and the group stays usable", async () => {
    const results = await runRanks("failure.mjs", 2, { MODE: "mismatch-rs" });
    for (const r of results) {
      const got = lastJson(r);
      expect(got.ok).toBe(false);
      expect(got.error).toMatch(/^tensorgrad\.distributed\.reduceScatter #\d+ on rank \d: the ranks called different collectives: rank 0 reduceScatter of 4 float32 elements \(op sum\), rank 1 reduceScatter of 6 float32 elements/);
      expect(got.next).toBe("");
    }
  });

  it("a rank that never arrives is named when the rendezvous times out", async () => {
    const r = await run([worker("failure.mjs")], { MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(await freePort()), RANK: "0", WORLD_SIZE: "3", TIMEOUT_MS: "1000" });
    const got = lastJson({ rank: 0, ...r });
    expect(got.error).toBe("tensorgrad.distributed.initProcessGroup on rank 0: rank(s) 1, 2 of 3 did not join within 1000 ms");
  });

  it("a rank whose store never answers says which address it tried", async () => {
    const port = await freePort();
    const r = await run([worker("failure.mjs")], { MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), RANK: "1", WORLD_SIZE: "2", TIMEOUT_MS: "800" });
    expect(lastJson({ rank: 1, ...r }).error).toContain(`rank 0's store at 127.0.0.1:${port} did not answer within 800 ms`);
  });

  it("bad arguments are clear Errors", async () => {
    const env = { MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(await freePort()) };
    Object.assign(process.env, env);
    try {
      await expect(d.initProcessGroup({ rank: 2, worldSize: 2 })).rejects.toThrow("initProcessGroup: rank must be in [0, worldSize = 2), got 2");
      await expect(d.initProcessGroup({ rank: 0, worldSize: 0 })).rejects.toThrow("worldSize must be an integer >= 1, got 0");
      await expect(d.initProcessGroup({ rank: 0, worldSize: 1, backend: "mpi" })).rejects.toThrow(/"mpi" backend is not part of this build/);
      await expect(d.initProcessGroup({ rank: 0, worldSize: 1, initMethod: "tcp://x" })).rejects.toThrow(/initMethod must be "env:\/\/" or "file:\/\/<directory>"/);
      await expect(d.initProcessGroup({ rank: 0, worldSize: 1, timeoutMs: 0 })).rejects.toThrow("timeoutMs must be a positive integer");
      await expect(d.initProcessGroup({ rank: 0, world_size: 1 } as never)).rejects.toThrow('unknown option "world_size"; did you mean "worldSize"?');
      delete process.env.WORLD_SIZE;
      await expect(d.initProcessGroup({ rank: 0 })).rejects.toThrow("worldSize is not given and the environment variable WORLD_SIZE is not set");
      expect(() => d.getRank()).toThrow("getRank: the default process group is not initialized");
      expect(() => d.allReduce(tg.ones([2]))).toThrow("allReduce: the default process group is not initialized");
      expect(d.isInitialized()).toBe(false);
    } finally {
      delete process.env.MASTER_ADDR;
      delete process.env.MASTER_PORT;
    }
  });

  it("collectives check their arguments (a 1-rank group in this process)", async () => {
    process.env.MASTER_ADDR = "127.0.0.1";
    process.env.MASTER_PORT = String(await freePort());
    try {
      await d.initProcessGroup({ rank: 0, worldSize: 1, timeoutMs: 5000 });
      await expect(d.initProcessGroup({ rank: 0, worldSize: 1 })).rejects.toThrow("already initialized");
      expect(() => d.allReduce(tg.ones([2, 3]).t())).toThrow("allReduce: tensor must be contiguous (shape [3, 2]");
      expect(() => d.allReduce(tg.ones([2]), { op: "prod" as never })).toThrow('op must be one of "sum", "avg", "max", "min", got "prod"');
      expect(() => d.allReduce(tg.ones([2], { dtype: "int32" }), { op: "avg" })).toThrow('op "avg" needs a float tensor');
      expect(() => d.allReduce([1, 2] as never)).toThrow(TypeError);
      expect(() => d.broadcast(tg.ones([2]), { src: 1 })).toThrow("broadcast: src must be a rank in [0, 1), got 1");
      expect(() => d.allGather([tg.ones([3])], tg.ones([2]))).toThrow("allGather: list[0] is float32 [3], expected float32 [2]");
      expect(() => d.allGather([], tg.ones([2]))).toThrow("list must be an array of worldSize = 1 tensors, got 0");
      expect(() => d.reduceScatter(tg.ones([2]), [tg.ones([2], { dtype: "float64" })])).toThrow("reduceScatter: inputList[0] is float64 [2], expected float32 [2]");
      expect(() => d.reduceScatter(tg.ones([2]), [tg.ones([3])])).toThrow("reduceScatter: inputList[0] is float32 [3], expected float32 [2]");
      expect(() => d.reduceScatter(tg.ones([2]), [tg.ones([2]), tg.ones([2])])).toThrow("inputList must be an array of worldSize = 1 tensors, got 2");
      expect(() => d.reduceScatter(tg.ones([2], { dtype: "int32" }), [tg.ones([2], { dtype: "int32" })], { op: "avg" })).toThrow('op "avg" needs a float tensor');
      // An output that cannot take the result is refused at the call (it was a rejection from copy_ after the exchange).
      expect(() => d.reduceScatter(tg.zeros([1]).expand([3]), [tg.ones([3])])).toThrow(/^reduceScatter: output \(shape \[3\], strides \[0\]\) is an expanded view: more than one of its elements refers to a single memory location; pass a contiguous tensor/);
      expect(() => d.reduceScatter(tg.zeros([2]), null as never)).toThrow(/^reduceScatter: inputList must be an array of worldSize = 1 tensors, got null/);
      expect(() => d.reduceScatter(tg.zeros([2]), [null] as never)).toThrow(/^reduceScatter: inputList\[0\] must be a Tensor, got null/);
      // A strided output gets the raw write a contiguous one gets, also on a leaf that requires grad (was: rejected by copy_'s autograd check after the exchange).
      const leaf = tg.zeros([2, 3], { requiresGrad: true });
      await d.reduceScatter(leaf.t(), [tg.arange(6).float().reshape([3, 2])]);
      expect(Array.from(leaf.data())).toEqual([0, 2, 4, 1, 3, 5]);
      const rs = tg.tensor([0, 0]);
      await d.reduceScatter(rs, [tg.tensor([3, -4])], { op: "max" });
      expect(Array.from(rs.data())).toEqual([3, -4]);
      const rsEmpty = tg.zeros([0, 3]);
      expect(await d.reduceScatter(rsEmpty, [tg.zeros([0, 3])])).toBe(rsEmpty);
      const rsScalar = tg.tensor(0, { dtype: "float64" });
      await d.reduceScatter(rsScalar, [tg.tensor(2.5, { dtype: "float64" })], { op: "avg" });
      expect(rsScalar.item()).toBe(2.5);
      const t = tg.tensor([1.5, -2]);
      await d.allReduce(t, { op: "avg" });
      expect(Array.from(t.data())).toEqual([1.5, -2]);
      expect(d.getRank()).toBe(0);
      expect(d.getWorldSize()).toBe(1);
      await d.destroyProcessGroup();
      await expect(d.destroyProcessGroup()).rejects.toThrow("not initialized");
    } finally {
      delete process.env.MASTER_ADDR;
      delete process.env.MASTER_PORT;
    }
  });
});
