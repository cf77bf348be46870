// The layer modules: PyTorch's parameters, buffers and state-dict keys, init, train/eval behaviour,
// extra_repr text, and the errors their constructors and forwards raise.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose } from "../ops/util.js";

const { nn } = tg;
const F = nn.functional;

describe("BatchNorm1d / BatchNorm2d", () => {
  it("has PyTorch's parameters, buffers, keys and init", () => {
    const bn = new nn.BatchNorm2d(3);
    expect(bn.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([["weight", [3]], ["bias", [3]]]);
    expect(bn.namedBuffers().map(([k, b]) => [k, b.shape, b.dtype])).toEqual([
      ["running_mean", [3], "float32"], ["running_var", [3], "float32"], ["num_batches_tracked", [], "int32"]]);
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
    expect(bn.weight!.toArray()).toEqual([1, 1, 1]);
    expect(bn.bias!.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningMean!.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1, 1]);
    expect(bn.buffers().length).toBe(3);
    expect(bn.extraRepr()).toBe("3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True");
    expect(new nn.BatchNorm1d(4, { momentum: null, affine: false }).extraRepr()).toBe("4, eps=1e-05, momentum=None, affine=False, track_running_stats=True");
  });

  it("training normalises with batch statistics and updates the buffers; eval uses them", () => {
    const bn = new nn.BatchNorm1d(2, { momentum: 0.5 });
    const x = tg.tensor([[1, 10], [3, 20], [5, 60]]);
    const y = bn.forward(x);
    // column 0: mean 3, biased var 8/3; column 1: mean 30, biased var 1400/3
    expectClose(y.select(1, 0), [-2, 0, 2].map((d) => d / Math.sqrt(8 / 3 + 1e-5)), 1e-5);
    expectClose(bn.runningMean!, [1.5, 15]);
    expectClose(bn.runningVar!, [0.5 + 0.5 * 4, 0.5 + 0.5 * 700], 1e-5);  // unbiased variances 4 and 700
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.eval();
    const before = bn.stateDict();
    const z = bn.forward(tg.tensor([[1.5, 15]]));
    expectClose(z, [[0, 0]], 1e-6);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bn.runningMean!.toArray()).toEqual(before.running_mean.toArray());
  });

  it("momentum null keeps a cumulative average", () => {
    const bn = new nn.BatchNorm1d(1, { momentum: null });
    for (const m of [2, 4, 9]) bn.forward(tg.tensor([[m - 1], [m + 1]]));
    expectClose(bn.runningMean!, [5], 1e-6);
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it("without running stats uses batch statistics in eval mode too", () => {
    const bn = new nn.BatchNorm2d(2, { trackRunningStats: false }).eval();
    expect(bn.runningMean).toBeNull();
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias"]);
    const y = bn.forward(tg.randn([4, 2, 3, 3]).add(5));
    expect(Math.abs(y.mean().item())).toBeLessThan(1e-5);
  });

  it("loadStateDict restores the running statistics (and a PyTorch-keyed checkpoint)", () => {
    const a = new nn.BatchNorm2d(2);
    a.forward(tg.randn([4, 2, 3, 3]).mul(3));
    const b = new nn.BatchNorm2d(2);
    b.loadStateDict(a.stateDict());
    expect(b.runningVar!.toArray()).toEqual(a.runningVar!.toArray());
    expect(b.numBatchesTracked!.item()).toBe(1);
    const seq = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
    expect(Object.keys(seq.stateDict())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]);
    expect(() => seq.loadStateDict({ ...seq.stateDict(), "1.running_mean": tg.zeros([3]) }))
      .toThrow(/size mismatch for 1.running_mean: checkpoint has shape \[3\], the model has \[2\]/);
  });

  it("model.eval() switches every BatchNorm and Dropout inside a model", () => {
    const m = new nn.Sequential(new nn.Linear(4, 4), new nn.BatchNorm1d(4), new nn.Dropout({ p: 0.9 }));
    m.eval();
    const x = tg.randn([3, 4]);
    expectClose(m.forward(x), m.forward(x).toArray() as number[][]);  // deterministic in eval
    expect([...m.modules()].every((k) => !k.training)).toBe(true);
  });

  it("rejects the wrong rank or channel count, and a single value per channel in training", () => {
    expect(() => new nn.BatchNorm2d(3).forward(tg.zeros([2, 3, 4]))).toThrow(/BatchNorm2d: expected 4-D \[N, C, H, W\] input, got shape \[2, 3, 4\]/);
    expect(() => new nn.BatchNorm2d(3).forward(tg.zeros([2, 4, 2, 2]))).toThrow(/BatchNorm2d: input of shape \[2, 4, 2, 2\] has 4 channels, the layer has 3/);
    expect(() => new nn.BatchNorm1d(3).forward(tg.zeros([1, 3]))).toThrow(/batchNorm: expected more than 1 value per channel when training, got input of shape \[1, 3\]/);
    expect(() => new nn.BatchNorm1d(0)).toThrow(/BatchNorm1d: numFeatures must be a positive integer, got 0/);
    expect(() => new nn.BatchNorm1d(3, { track_running_stats: false } as never)).toThrow(/did you mean "trackRunningStats"/);
  });
});

describe("functional batchNorm checks", () => {
  const x = tg.zeros([2, 3, 2, 2]);
  it.each([
    ["eval without running stats", () => F.batchNorm(x, null, null), /batchNorm: eval mode \(training: false\) needs runningMean and runningVar/],
    ["weight of the wrong shape", () => F.batchNorm(x, null, null, tg.ones([4]), null, { training: true }), /batchNorm: weight has shape \[4\], expected \[3\] for input of shape \[2, 3, 2, 2\]/],
    ["mixed dtypes", () => F.batchNorm(x, tg.zeros([3], { dtype: "float64" }), tg.ones([3])), /batchNorm: runningMean is float64 but the input is float32/],
    ["1-D input", () => F.batchNorm(tg.zeros([3]), null, null, null, null, { training: true }), /batchNorm: input must be \[N, C, \.\.\.\] with at least 2 dims, got shape \[3\]/],
  ])("%s", (_, fn, msg) => expect(fn).toThrow(msg));
});

describe("LayerNorm, GroupNorm, LocalResponseNorm", () => {
  it("parameters, init and extra_repr", () => {
    const ln = new nn.LayerNorm([4, 5]);
    expect(ln.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([["weight", [4, 5]], ["bias", [4, 5]]]);
    expect(ln.extraRepr()).toBe("(4, 5), eps=1e-05, elementwise_affine=True");
    expect(new nn.LayerNorm(10, { elementwiseAffine: false }).parameters()).toEqual([]);
    expect(new nn.LayerNorm(10).extraRepr()).toBe("(10,), eps=1e-05, elementwise_affine=True");
    const gn = new nn.GroupNorm(2, 6, { eps: 1e-3 });
    expect(gn.extraRepr()).toBe("2, 6, eps=0.001, affine=True");
    expect(gn.weight!.shape).toEqual([6]);
    expect(() => new nn.GroupNorm(4, 6)).toThrow(/GroupNorm: numChannels 6 must be divisible by numGroups 4/);
    expect(new nn.LocalResponseNorm(2).extraRepr()).toBe("2, alpha=0.0001, beta=0.75, k=1.0");
  });
  it("normalise: LayerNorm rows have mean 0 and variance 1", () => {
    const y = new nn.LayerNorm(6).forward(tg.randn([3, 6]).mul(4).add(2));
    expectClose(y.mean(1), [0, 0, 0], 1e-6);
    expectClose(y.mul(y).mean(1), [1, 1, 1], 1e-4);
  });
  it("reject a normalizedShape that does not match, and groups that do not divide C", () => {
    expect(() => F.layerNorm(tg.zeros([2, 3, 5]), [4])).toThrow(/layerNorm: normalizedShape \[4\] does not match the last 1 dims of input \[2, 3, 5\]/);
    expect(() => F.layerNorm(tg.zeros([5]), [2, 5])).toThrow(/layerNorm: normalizedShape \[2, 5\] does not match the last 2 dims of input \[5\]/);
    expect(() => F.layerNorm(tg.zeros([2, 5]), 5, tg.ones([4]))).toThrow(/layerNorm: weight has shape \[4\], expected \[5\]/);
    expect(() => F.groupNorm(tg.zeros([2, 6, 3]), 4)).toThrow(/groupNorm: numGroups 4 must be a positive divisor of the channel count 6 of input \[2, 6, 3\]/);
    expect(() => F.localResponseNorm(tg.zeros([2, 6]), 2)).toThrow(/localResponseNorm: input must have at least 3 dims \[N, C, \.\.\.\], got shape \[2, 6\]/);
  });
});

describe("Dropout and Dropout2d", () => {
  it("drops with inverted scaling, reproducibly under tg.manualSeed, and only in training", () => {
    const d = new nn.Dropout({ p: 0.25 });
    tg.manualSeed(3);
    const a = d.forward(tg.ones([20000]));
    tg.manualSeed(3);
    const b = d.forward(tg.ones([20000]));
    expect(a.data()).toEqual(b.data());
    const kept = Array.from(a.data()).filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(kept.length / 20000 - 0.75)).toBeLessThan(0.02);
    d.eval();
    const x = tg.randn([5]);
    expect(d.forward(x)).toBe(x);
    expect(d.extraRepr()).toBe("p=0.25, inplace=False");
  });
  it("Dropout2d zeroes whole channels", () => {
    tg.manualSeed(5);
    const y = new nn.Dropout2d().forward(tg.ones([8, 16, 3, 3]));
    const per = y.reshape([128, 9]).toArray() as number[][];
    for (const ch of per) expect(new Set(ch).size).toBe(1);
    expect(new Set(per.map((c) => c[0]))).toEqual(new Set([0, 2]));
  });
  it("p = 1 gives zeros and zero gradients; bad p throws", () => {
    const x = tg.ones([4], { requiresGrad: true });
    const y = F.dropout(x, { p: 1 });
    expect(y.toArray()).toEqual([0, 0, 0, 0]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0, 0]);
    expect(() => F.dropout(x, { p: 1.5 })).toThrow(/dropout: p must be a probability in \[0, 1\], got 1.5/);
    expect(() => new nn.Dropout({ p: -0.1 })).toThrow(/Dropout: p must be a probability in \[0, 1\], got -0.1/);
    expect(() => F.dropout2d(tg.ones([4]))).toThrow(/dropout2d: input must be \[N, C, \.\.\.\] with at least 2 dims, got shape \[4\]/);
  });
});

describe("Flatten, Unflatten, Embedding", () => {
  it("Flatten and Unflatten reshape as PyTorch", () => {
    const x = tg.zeros([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten({ startDim: 0, endDim: 1 }).forward(x).shape).toEqual([6, 4, 5]);
    expect(new nn.Flatten().extraRepr()).toBe("start_dim=1, end_dim=-1");
    const u = new nn.Unflatten(1, [3, -1]);
    expect(u.forward(tg.zeros([2, 12])).shape).toEqual([2, 3, 4]);
    expect(new nn.Unflatten(1, [2, 5]).extraRepr()).toBe("dim=1, unflattened_size=(2, 5)");
    expect(() => new nn.Unflatten(1, [5, 5]).forward(tg.zeros([2, 12]))).toThrow(/Unflatten: sizes \[5, 5\] do not split dim 1 of size 12 \(input \[2, 12\]\)/);
  });
  it("Embedding: N(0, 1) init with the padding row zeroed, lookups, and bad indices", () => {
    tg.manualSeed(1);
    const e = new nn.Embedding(1000, 8, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(999);
    expect(e.extraRepr()).toBe("1000, 8, padding_idx=999");
    expect(e.weight.select(0, 999).toArray()).toEqual(new Array(8).fill(0));
    const w = e.weight.data();
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    const idx = tg.tensor([[3, 999], [3, 0]], { dtype: "int32" });
    const y = e.forward(idx);
    expect(y.shape).toEqual([2, 2, 8]);
    expectClose(y.select(0, 0).select(0, 0), e.weight.select(0, 3).toArray() as number[]);
    y.sum().backward();
    expectClose(e.weight.grad!.select(0, 3), new Array(8).fill(2));
    expectClose(e.weight.grad!.select(0, 999), new Array(8).fill(0));
    expect(() => e.forward(tg.tensor([1, 1000], { dtype: "int32" })))
      .toThrow(/embedding: index 1000 at position 1 is out of range for an embedding table of 1000 rows \(weight \[1000, 8\]\)/);
    expect(() => e.forward(tg.tensor([-1], { dtype: "int32" }))).toThrow(/embedding: index -1 at position 0 is out of range/);
    expect(() => e.forward(tg.tensor([1.5]))).toThrow(/embedding: indices must be an int32 tensor, got float32/);
    expect(e.forward(tg.zeros([0], { dtype: "int32" })).shape).toEqual([0, 8]);
  });
  it("Embedding saves its indices for backward: changing them in place throws, disposing them waits for backward", () => {
    const e = new nn.Embedding(4, 1);
    const idx = tg.tensor([0, 0, 0], { dtype: "int32" });
    const out = e.forward(idx);
    idx.fill_(2);
    expect(() => out.sum().backward()).toThrow(/saved by EmbeddingBackward0 \(as index\) was modified in place/);
    const many = tg.zeros([100], { dtype: "int32" });
    const y = e.forward(many);
    many.dispose();
    const reuse = tg.full([100], 3, { dtype: "int32" });  // would take the disposed array if it had been freed
    y.sum().backward();
    expect(e.weight.grad!.toArray()).toEqual([[100], [0], [0], [0]]);
    expect(reuse.sum().item()).toBe(300);
  });
  it("Embedding.fromPretrained copies and freezes", () => {
    const e = nn.Embedding.fromPretrained(tg.tensor([[1, 2], [3, 4]]));
    expect(e.weight.requiresGrad).toBe(false);
    expect(e.forward(tg.tensor([1], { dtype: "int32" })).toArray()).toEqual([[3, 4]]);
    expect(nn.Embedding.fromPretrained(tg.tensor([[1, 2]]), { freeze: false }).weight.requiresGrad).toBe(true);
  });
});

describe("loss modules and tg.metrics.accuracy", () => {
  it("the contrastive loss modules forward to the functional losses", () => {
    const a = tg.randn([4, 3]), b = tg.randn([4, 3]), y = tg.tensor([1, -1, 1, -1]);
    expect(new nn.CosineEmbeddingLoss({ margin: 0.2 }).forward(a, b, y).item()).toBeCloseTo(F.cosineEmbeddingLoss(a, b, y, { margin: 0.2 }).item(), 6);
    expect(new nn.MarginRankingLoss().forward(a.select(1, 0), b.select(1, 0), y).item())
      .toBeCloseTo(F.marginRankingLoss(a.select(1, 0), b.select(1, 0), y).item(), 6);
    expect(new nn.HingeEmbeddingLoss({ reduction: "sum" }).forward(a, y.reshape([4, 1])).item())
      .toBeCloseTo(F.hingeEmbeddingLoss(a, y.reshape([4, 1]), { reduction: "sum" }).item(), 5);
    expect(() => F.cosineEmbeddingLoss(a, b.reshape([3, 4]), y)).toThrow(/cosineEmbeddingLoss: input1 and input2 must both be \[N, D\] or \[D\] of one shape, got \[4, 3\] and \[3, 4\]/);
    expect(() => F.marginRankingLoss(a, b, y)).toThrow(/marginRankingLoss: input1, input2 and target must have the same number of dims/);
  });
  it("accuracy: top-1 as argmax (first max on ties, NaN is largest), top-k, empty batch", () => {
    const logits = tg.tensor([[1, 2, 3], [3, 2, 1], [1, 3, 2], [5, 5, 0], [0, NaN, 1]]);
    const t = tg.tensor([2, 1, 2, 1, 1], { dtype: "int32" });
    expect(tg.metrics.accuracy(logits, t)).toBeCloseTo(2 / 5, 12);  // rows 0 and 4
    expect(tg.metrics.accuracy(logits, t, { topk: [1, 2, 3] })).toEqual([2 / 5, 5 / 5, 1]);
    expect(tg.metrics.accuracy(logits, tg.tensor([2, 0, 1, 0, 2], { dtype: "int32" }))).toBe(4 / 5);  // row 4: NaN outranks class 2
    expect(tg.metrics.accuracy(tg.zeros([0, 3]), tg.zeros([0], { dtype: "int32" }))).toBeNaN();
    expect(() => tg.metrics.accuracy(logits, t, { topk: 4 })).toThrow(/accuracy: topk must be integers in \[1, 3\], got 4/);
    expect(() => tg.metrics.accuracy(logits, tg.tensor([0, 1, 2, 3, 0], { dtype: "int32" }))).toThrow(/accuracy: target 3 at position 3 is out of range for 3 classes/);
  });
});

describe("empty batches pass through every layer op", () => {
  const e = () => tg.zeros([0, 4, 3, 3], { requiresGrad: true });
  it.each([
    ["maxPool2d", (x: tg.Tensor) => F.maxPool2d(x, 2), [0, 4, 1, 1]],
    ["avgPool2d", (x: tg.Tensor) => F.avgPool2d(x, 2, { padding: 1 }), [0, 4, 2, 2]],
    ["adaptiveAvgPool2d", (x: tg.Tensor) => F.adaptiveAvgPool2d(x, 2), [0, 4, 2, 2]],
    ["adaptiveMaxPool2d", (x: tg.Tensor) => F.adaptiveMaxPool2d(x, 2), [0, 4, 2, 2]],
    ["batchNorm (training)", (x: tg.Tensor) => F.batchNorm(x, tg.zeros([4]), tg.ones([4]), null, null, { training: true }), [0, 4, 3, 3]],
    ["layerNorm", (x: tg.Tensor) => F.layerNorm(x, [4, 3, 3]), [0, 4, 3, 3]],
    ["groupNorm", (x: tg.Tensor) => F.groupNorm(x, 2), [0, 4, 3, 3]],
    ["localResponseNorm", (x: tg.Tensor) => F.localResponseNorm(x, 3), [0, 4, 3, 3]],
    ["dropout", (x: tg.Tensor) => F.dropout(x), [0, 4, 3, 3]],
    ["dropout2d", (x: tg.Tensor) => F.dropout2d(x), [0, 4, 3, 3]],
    ["pad", (x: tg.Tensor) => F.pad(x, [1, 1, 1, 1], { mode: "reflect" }), [0, 4, 5, 5]],
  ])("%s", (_, fn, shape) => {
    const x = e();
    const y = fn(x);
    expect(y.shape).toEqual(shape);
    y.sum().backward();
    expect(x.grad?.shape ?? [0, 4, 3, 3]).toEqual([0, 4, 3, 3]);
  });
  it.each([
    ["batchNorm (training)", (x: tg.Tensor, w: tg.Tensor, b: tg.Tensor) => F.batchNorm(x, tg.zeros([4]), tg.ones([4]), w, b, { training: true })],
    ["batchNorm (eval)", (x: tg.Tensor, w: tg.Tensor, b: tg.Tensor) => F.batchNorm(x, tg.zeros([4]), tg.ones([4]), w, b)],
    ["groupNorm", (x: tg.Tensor, w: tg.Tensor, b: tg.Tensor) => F.groupNorm(x, 2, w, b)],
  ])("%s gives weight and bias zero gradients (not none) from an empty batch, as PyTorch", (_, fn) => {
    // batchNorm returned x · 1, which left weight.grad and bias.grad null: an optimizer then skipped them.
    const x = tg.zeros([0, 4, 3, 3], { requiresGrad: true });
    const w = tg.ones([4], { requiresGrad: true }), b = tg.zeros([4], { requiresGrad: true });
    fn(x, w, b).sum().backward();
    expect([w.grad?.toArray(), b.grad?.toArray(), x.grad?.shape]).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 4, 3, 3]]);
  });
  it("BatchNorm2d leaves its running statistics alone for an empty batch", () => {
    const bn = new nn.BatchNorm2d(4);
    bn.forward(tg.zeros([0, 4, 3, 3]));
    expect(bn.runningMean!.toArray()).toEqual([0, 0, 0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1, 1, 1]);
  });
});

describe("Module buffers", () => {
  class WithBuffers extends nn.Module {
    declare steps: tg.Tensor;
    declare cache: tg.Tensor;
    lin = new nn.Linear(2, 2);
    constructor() {
      super();
      this.registerBuffer("steps", tg.zeros([], { dtype: "int32" }));
      this.registerBuffer("cache", tg.zeros([2]), { persistent: false });
    }
    forward(x: tg.Tensor) { return this.lin.forward(x); }
  }
  it("registerBuffer: camelCase property, PyTorch key; non-persistent buffers are listed but not saved", () => {
    const m = new WithBuffers();
    expect(m.namedBuffers().map(([k]) => k)).toEqual(["steps", "cache"]);
    expect(Object.keys(m.stateDict())).toEqual(["steps", "lin.weight", "lin.bias"]);
    m.registerBuffer("running_total", tg.ones([1]));
    expect((m as unknown as { runningTotal: tg.Tensor }).runningTotal.toArray()).toEqual([1]);
    expect(Object.keys(m.stateDict())).toContain("running_total");
    expect(m.parameters().length).toBe(2);
  });
  it("loadStateDict loads buffers and reassigning a buffer property keeps it a buffer", () => {
    const a = new WithBuffers(), b = new WithBuffers();
    a.steps = tg.full([], 7, { dtype: "int32" });
    b.loadStateDict(a.stateDict());
    expect(b.steps.item()).toBe(7);
  });
  it("rejects a clash with a parameter or a non-tensor", () => {
    const m = new WithBuffers();
    expect(() => m.registerBuffer("lin", tg.zeros([1]))).toThrow(/registerBuffer: "lin" already holds a submodule/);
    expect(() => m.registerBuffer("x", 3 as never)).toThrow(/registerBuffer: x must be a Tensor or null/);
    expect(() => m.registerBuffer("a.b", tg.zeros([1]))).toThrow(/registerBuffer: the name must be a non-empty string without "."/);
  });
});

describe("printing", () => {
  it("String(model) matches PyTorch's repr of the same layers", async () => {
    const { MODEL_REPR } = await import("./reference.js");
    const model = new nn.Sequential(new nn.BatchNorm2d(6), new nn.MaxPool2d(2), new nn.MaxPool2d([3, 2], { stride: 1, padding: [1, 0], ceilMode: true }),
      new nn.AvgPool2d(3, { stride: 2, padding: 1 }), new nn.AdaptiveAvgPool2d([5, 7]), new nn.AdaptiveMaxPool2d(1),
      new nn.BatchNorm1d(4, { momentum: null, affine: false }), new nn.LayerNorm([4, 5]), new nn.GroupNorm(2, 6, { eps: 1e-3 }),
      new nn.LocalResponseNorm(2), new nn.Dropout({ p: 0.25 }), new nn.Dropout2d(), new nn.Flatten(), new nn.Unflatten(1, [2, 5]),
      new nn.Embedding(10, 3, { paddingIdx: 0 }), new nn.CosineEmbeddingLoss(), new nn.MarginRankingLoss(), new nn.HingeEmbeddingLoss());
    expect(String(model)).toBe(MODEL_REPR);
  });
});

describe("graph node names", () => {
  it("are PyTorch's", () => {
    const x = tg.randn([2, 4, 4, 4], { requiresGrad: true });
    const names = [F.maxPool2d(x, 2), F.avgPool2d(x, 2), F.adaptiveAvgPool2d(x, 1), F.batchNorm(x, null, null, null, null, { training: true }),
      F.layerNorm(x, 4), F.groupNorm(x, 2), F.dropout(x), F.embedding(tg.tensor([1], { dtype: "int32" }), x.reshape([32, 4])),
      F.pad(x, [1, 1], { mode: "reflect" })].map((y) => y.gradFn!.name);
    expect(names).toEqual(["MaxPool2DWithIndicesBackward0", "AvgPool2DBackward0", "AdaptiveAvgPool2DBackward0", "NativeBatchNormBackward0",
      "NativeLayerNormBackward0", "NativeGroupNormBackward0", "NativeDropoutBackward0", "EmbeddingBackward0", "ReflectionPadBackward0"]);
  });
});
