import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { DistributedSampler } = tg.distributed;
const take = (s: Iterable<number>) => [...s];

describe("DistributedSampler", () => {
  it("without shuffle, rank r takes every worldSize-th index from r, padding with the start", () => {
    const parts = [0, 1, 2].map((rank) => new DistributedSampler({ length: 10 }, { numReplicas: 3, rank, shuffle: false }));
    expect(parts.map(take)).toEqual([[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]);
    expect(parts.map((p) => p.length)).toEqual([4, 4, 4]);
  });

  it("dropLast drops the tail instead", () => {
    const parts = [0, 1, 2].map((rank) => new DistributedSampler(10, { numReplicas: 3, rank, shuffle: false, dropLast: true }));
    expect(parts.map(take)).toEqual([[0, 3, 6], [1, 4, 7], [2, 5, 8]]);
  });

  it("shuffled ranks partition one permutation, the same on every rank; setEpoch changes it", () => {
    const mk = (rank: number, seed = 0) => new DistributedSampler({ length: 1000 }, { numReplicas: 4, rank, seed });
    const all = [0, 1, 2, 3].map((r) => take(mk(r)));
    expect(all.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(all[0]).toEqual(take(mk(0)));  // deterministic
    expect(all[0]).not.toEqual(all[0].slice().sort((a, b) => a - b));  // shuffled
    const s = mk(0);
    s.setEpoch(1);
    const e1 = take(s);
    expect(e1).not.toEqual(all[0]);
    expect(e1.length).toBe(250);
    expect(take(mk(0, 7))).not.toEqual(all[0]);
  });

  it("edge sizes and bad arguments", () => {
    expect(take(new DistributedSampler(0, { numReplicas: 2, rank: 1 }))).toEqual([]);
    expect(take(new DistributedSampler(1, { numReplicas: 2, rank: 1 }))).toEqual([0]);
    expect(() => new DistributedSampler(10, { numReplicas: 2, rank: 2 })).toThrow("DistributedSampler: rank must be in [0, 2), got 2");
    expect(() => new DistributedSampler(10, { numReplicas: 0, rank: 0 })).toThrow("numReplicas must be an integer >= 1");
    expect(() => new DistributedSampler({} as never, { numReplicas: 1, rank: 0 })).toThrow(TypeError);
    expect(() => new DistributedSampler(10)).toThrow("pass {numReplicas, rank} or initialize the process group first");
    expect(() => new DistributedSampler(10, { num_replicas: 2 } as never)).toThrow('did you mean "numReplicas"');
    expect(() => new DistributedSampler(10, { numReplicas: 1, rank: 0 }).setEpoch(-1)).toThrow(RangeError);
  });
});
