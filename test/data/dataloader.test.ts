// tg.data: Dataset, TensorDataset, Subset, randomSplit, samplers, DataLoader and defaultCollate; tg.Generator.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";

const { DataLoader, TensorDataset, Subset, randomSplit, RandomSampler, SequentialSampler, Dataset, defaultCollate } = tg.data;
const rows = (t: Tensor) => t.toArray() as number[][];

// A map-style dataset written the PyTorch way: sample i is {x: [i, 2i], y: i % 3}.
class Toy extends Dataset<{ x: Tensor; y: number }> {
  constructor(readonly length: number) {
    super();
  }
  get(i: number) {
    return { x: tg.tensor([i, 2 * i]), y: i % 3 };
  }
}

describe("tg.Generator", () => {
  it("the same seed gives the same stream; getState/setState resume it exactly", () => {
    const a = new tg.Generator().manualSeed(7), b = new tg.Generator().manualSeed(7);
    expect(Array.from(a.randperm(50))).toEqual(Array.from(b.randperm(50)));
    const st = a.getState();
    const next = Array.from(a.randperm(20));
    expect(Array.from(new tg.Generator().setState(st).randperm(20))).toEqual(next);
    expect(a.initialSeed()).toBe(7);
    expect(Array.from(new tg.Generator().manualSeed(8).randperm(50))).not.toEqual(Array.from(new tg.Generator().manualSeed(7).randperm(50)));
  });
  it("randperm is a permutation, roughly uniform in where each index lands", () => {
    const g = new tg.Generator().manualSeed(1);
    const counts = new Array(5).fill(0);
    for (let r = 0; r < 5000; ++r) {
      const p = g.randperm(5);
      if (r < 50) expect([...p].sort()).toEqual([0, 1, 2, 3, 4]);
      counts[p.indexOf(0)]++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);  // ~5 sigma
  });
  it("tg.randperm(n, {generator}) draws from the generator", () => {
    const p = tg.randperm(10, { generator: new tg.Generator().manualSeed(9) });
    expect(p.dtype).toBe("int32");
    expect(Array.from(p.data())).toEqual(Array.from(new tg.Generator().manualSeed(9).randperm(10)));
    expect(() => tg.randperm(3, { generator: {} as tg.Generator })).toThrow(/generator must be a tg.Generator/);
    expect(() => tg.randperm(3, { gen: 1 } as object)).toThrow(/unknown option "gen"/);
  });
  it("rejects bad seeds and states", () => {
    expect(() => new tg.Generator().manualSeed(-1)).toThrow(/seed must be a non-negative integer/);
    expect(() => new tg.Generator().setState({ seed: 1, s: [0, 0, 0, 0] })).toThrow(/Generator.setState/);
  });
});

describe("datasets", () => {
  it("TensorDataset: rows of each tensor, checked first dims", () => {
    const ds = new TensorDataset(tg.arange(12).reshape(6, 2), tg.tensor([0, 1, 2, 0, 1, 2], { dtype: "int32" }));
    expect(ds.length).toBe(6);
    const [x, y] = ds.get(-1);
    expect([x.toArray(), y.item()]).toEqual([[10, 11], 2]);
    expect(() => ds.get(6)).toThrow("TensorDataset.get: index 6 is out of range for a dataset of 6 samples");
    expect(() => new TensorDataset(tg.zeros([3, 2]), tg.zeros([4]))).toThrow(/size mismatch between tensors: first dimensions \[3, 2\], \[4\]/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
  });
  it("Subset maps indices; randomSplit partitions by counts or fractions, reproducibly", () => {
    const ds = new Toy(10);
    const sub = new Subset(ds, [4, 2]);
    expect(sub.length).toBe(2);
    expect((sub.get(1) as { y: number }).y).toBe(2);
    expect(() => new Subset(ds, [10])).toThrow(/Subset: index 10 is out of range/);
    const g = () => new tg.Generator().manualSeed(3);
    const [a, b] = randomSplit(ds, [7, 3], { generator: g() });
    expect([a.length, b.length]).toEqual([7, 3]);
    expect([...a.indices, ...b.indices].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(randomSplit(ds, [7, 3], { generator: g() })[0].indices)).toEqual(Array.from(a.indices));
    // Fractions: floor each (3, 3, 3), the remainder (1) to the first subset, as PyTorch.
    expect(randomSplit(ds, [1 / 3, 1 / 3, 1 / 3], { generator: g() }).map((s) => s.length)).toEqual([4, 3, 3]);
    expect(() => randomSplit(ds, [5, 4])).toThrow("randomSplit: sum of input lengths (9) does not equal the length of the input dataset (10)");
    expect(() => randomSplit(ds, [5, 5], { seed: 1 } as object)).toThrow(/unknown option "seed"/);
  });
});

describe("DataLoader", () => {
  it("batches in order, length = number of batches, last batch short unless dropLast", () => {
    const ds = new TensorDataset(tg.arange(10).reshape(5, 2), tg.tensor([0, 1, 2, 3, 4], { dtype: "int32" }));
    const dl = new DataLoader(ds, { batchSize: 2 });
    expect(dl.length).toBe(3);
    const batches = [...dl];
    expect(batches.length).toBe(3);
    expect(rows(batches[0][0])).toEqual([[0, 1], [2, 3]]);
    expect(batches[2][1].toArray()).toEqual([4]);
    expect(batches[2][1].dtype).toBe("int32");
    const dropped = new DataLoader(ds, { batchSize: 2, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].length).toBe(2);
  });

  it("default collation stacks tensors and makes integer labels int32 (per-sample path)", () => {
    const dl = new DataLoader(new Toy(5), { batchSize: 3 });
    const [first] = dl;
    expect(first.x.shape).toEqual([3, 2]);
    expect(rows(first.x)).toEqual([[0, 0], [1, 2], [2, 4]]);
    expect(first.y.dtype).toBe("int32");
    expect(first.y.toArray()).toEqual([0, 1, 2]);
  });

  it("defaultCollate: tuples, floats, strings; mismatches name the field", () => {
    const b = defaultCollate([[tg.tensor([1]), 0.5, "a"], [tg.tensor([2]), 1, "b"]]) as [Tensor, Tensor, string[]];
    expect(b[0].shape).toEqual([2, 1]);
    expect(b[1].dtype).toBe("float32");
    expect(b[2]).toEqual(["a", "b"]);
    expect(() => defaultCollate([{ x: tg.zeros([2]) }, { x: tg.zeros([3]) }])).toThrow(/batch.x: samples differ: Tensor\[2\] vs Tensor\[3\]/);
    expect(() => defaultCollate([new Map()])).toThrow(/cannot batch a object/);
  });

  it("the getBatch fast path gives exactly what per-sample collation gives", () => {
    const x = tg.randn([7, 3]), y = tg.randint(0, 4, [7]);
    const ds = new TensorDataset(x, y);
    const fast = [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new tg.Generator().manualSeed(5) })];
    const slow = [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new tg.Generator().manualSeed(5), collate: (s) => defaultCollate(s) as Tensor[] })];
    expect(fast.map((b) => b.map((t) => t.toArray()))).toEqual(slow.map((b) => b.map((t) => t.toArray())));
  });

  it("shuffle: every sample once per epoch, a new order each epoch, reproducible from tg.manualSeed or a Generator", () => {
    const ds = new TensorDataset(tg.arange(20, undefined, undefined, { dtype: "int32" }));
    const epoch = (dl: DataLoader<Tensor[]>) => [...dl].flatMap((b) => b[0].toArray() as number[]);
    tg.manualSeed(11);
    const dl = new DataLoader(ds, { batchSize: 6, shuffle: true });
    const e1 = epoch(dl), e2 = epoch(dl);
    expect([...e1].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(e1).not.toEqual(e2);
    expect(e1).not.toEqual([...Array(20).keys()]);
    tg.manualSeed(11);
    expect([epoch(dl), epoch(dl)]).toEqual([e1, e2]);
    const withGen = (s: number) => epoch(new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new tg.Generator().manualSeed(s) }));
    expect(withGen(4)).toEqual(withGen(4));
    expect(withGen(4)).not.toEqual(withGen(5));
  });

  it("accepts any sampler object (iterable of indices with a length), e.g. a shard with setEpoch", () => {
    class EveryOther {
      epoch = 0;
      constructor(readonly n: number, readonly rank: number) {}
      get length() { return Math.ceil((this.n - this.rank) / 2); }
      setEpoch(e: number) { this.epoch = e; }
      *[Symbol.iterator]() { for (let i = this.rank; i < this.n; i += 2) yield i; }
    }
    const ds = new TensorDataset(tg.arange(7, undefined, undefined, { dtype: "int32" }));
    const dl = new DataLoader(ds, { batchSize: 2, sampler: new EveryOther(7, 1) });
    expect(dl.length).toBe(2);
    expect([...dl].flatMap((b) => b[0].toArray() as number[])).toEqual([1, 3, 5]);
    expect([...new SequentialSampler(ds)]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...new RandomSampler(ds, { generator: new tg.Generator().manualSeed(1) })].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => new DataLoader(ds, { sampler: new EveryOther(7, 0), shuffle: true })).toThrow(/mutually exclusive with shuffle/);
  });

  it("for await…of: awaits async datasets and lets timers run between batches", async () => {
    class Slow extends Dataset<[Tensor, number]> {
      readonly length = 6;
      async get(i: number): Promise<[Tensor, number]> {
        await new Promise((r) => setTimeout(r, 1));
        return [tg.tensor([i]), i];
      }
    }
    const dl = new DataLoader(new Slow(), { batchSize: 4 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const seen: number[] = [];
    for await (const [x, y] of dl) {
      seen.push(...(x.toArray() as number[][]).map((r) => r[0]));
      expect(y.dtype).toBe("int32");
    }
    clearInterval(timer);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks).toBeGreaterThan(0);
    expect(() => [...dl]).toThrow(/returned a Promise; iterate with `for await/);
  });

  it("rejects bad options, naming them", () => {
    const ds = new Toy(3);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow("DataLoader: batchSize must be a positive integer, got 0");
    expect(() => new DataLoader(ds, { batch_size: 2 } as object)).toThrow(/unknown option "batch_size"; did you mean "batchSize"/);
    expect(() => new DataLoader({} as never)).toThrow(/expected a dataset/);
    expect(() => new DataLoader(ds, { shuffle: 1 as unknown as boolean })).toThrow(/shuffle and dropLast must be booleans/);
  });

  it("a plain array is a dataset, as a Python list is to torch.utils.data", () => {
    const samples = [0, 1, 2, 3, 4].map((i) => [tg.tensor([i, 10 + i]), i % 2] as [Tensor, number]);
    const dl = new DataLoader(samples, { batchSize: 2 });
    expect(dl.length).toBe(3);
    const batches = [...dl] as [Tensor, Tensor][];
    expect(rows(batches[0][0])).toEqual([[0, 10], [1, 11]]);
    expect(batches[2][1].toArray()).toEqual([0]);
    const [a, b] = randomSplit(samples, [3, 2], { generator: new tg.Generator().manualSeed(0) });
    expect([a.length, b.length]).toEqual([3, 2]);
    const seen = [...a, ...b].map((s) => (s[0].toArray() as number[])[0]).sort();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(new Subset(samples, [4]).get(0)[1]).toBe(0);
  });
});
