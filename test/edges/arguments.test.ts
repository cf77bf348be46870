// Wrong-typed arguments an adversarial caller passes (null where a tensor is required, strings or
// fractions as dims, a non-boolean keepdim, disposed tensors): each gets an Error naming the op and
// the argument, never a JS TypeError from deep inside, a silent coercion or a kernel's bounds check.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { OPS } from "../../lib/ops/define.js";

const F = tg.nn.functional;

describe("null or a non-tensor where a tensor is required", () => {
  it("conv1d/conv2d/convTranspose2d/unfold/fold name the argument (only the bias may be null)", () => {
    const x = tg.ones([1, 1, 3, 3]), w = tg.ones([1, 1, 2, 2]);
    expect(() => F.conv2d(x, null as never)).toThrow(/^conv2d: weight must be a Tensor, got null/);
    expect(() => F.conv2d(null as never, w)).toThrow(/^conv2d: input must be a Tensor, got null/);
    expect(() => F.conv1d(null as never, tg.ones([1, 1, 2]))).toThrow(/^conv1d: input must be a Tensor, got null/);
    expect(() => F.convTranspose2d(x, null as never)).toThrow(/^convTranspose2d: weight must be a Tensor, got null/);
    expect(() => F.unfold(null as never, 2)).toThrow(/^unfold: input must be a Tensor, got null/);
    expect(() => F.fold(null as never, 2, 2)).toThrow(/^fold: input must be a Tensor, got null/);
    expect(F.conv2d(x, w, null).shape).toEqual([1, 1, 2, 2]);
  });
  it("F.linear names input, weight and bias; a null bias is absent", () => {
    const x = tg.ones([2, 3]), w = tg.ones([4, 3]);
    expect(() => F.linear(x, null as never)).toThrow(/^linear: weight must be a Tensor, got null/);
    expect(() => F.linear(undefined as never, w)).toThrow(/^linear: input must be a Tensor, got undefined/);
    expect(() => F.linear(x, w, "b" as never)).toThrow(/^linear: bias must be a Tensor, got string "b"/);
    expect(Array.from(F.linear(x, w, null).data())).toEqual(new Array(8).fill(3));
  });
  it("F.linear names itself for mixed or int32 dtypes on every path (a 3-D float64 input with a float32 weight named matmul)", () => {
    const w = tg.ones([2, 3]);
    expect(() => F.linear(tg.ones([4, 2, 3], { dtype: "float64" }), w)).toThrow(/^linear: expected float32 or float64 input and weight of one dtype, got input float64, weight float32/);
    expect(() => F.linear(tg.ones([2, 3], { dtype: "float64" }), w)).toThrow(/^linear: expected float32 or float64 input and weight of one dtype/);
    expect(() => F.linear(tg.ones([2, 3], { dtype: "int32" }), tg.ones([2, 3], { dtype: "int32" }))).toThrow(/^linear: .*got input int32, weight int32/);
  });
});

describe("dims that are not integers", () => {
  it("a string dim is a TypeError saying so, not 'dim 0 is out of range' (the string printed as a number)", () => {
    const x = tg.ones([2, 3]);
    expect(() => x.var(["0"] as never)).toThrow(/^var: dim must be an integer, got string "0"/);
    expect(() => x.sum([1, "0"] as never)).toThrow(/^sum: dim must be an integer, got string "0"/);
    expect(() => x.sum([[1]] as never)).toThrow(/^sum: dim must be an integer, got an array/);
    expect(() => x.select("0" as never, 0)).toThrow(/dim must be an integer, got string "0"/);
    expect(() => x.sum(1.5)).toThrow(new TypeError("sum: dim must be an integer, got number 1.5"));
    expect(() => x.softmax("1" as never)).toThrow(/dim must be an integer, got string "1"/);
    expect(() => x.var(2)).toThrow(/^var: dim 2 is out of range for a tensor with 2 dims \(expected -2\.\.1\)/);
  });
  it("a new dim out of range (unsqueeze, stack) names the tensor's own dims, not one more", () => {
    // Before: "unsqueeze: dim -4 is out of range for a tensor with 3 dims" for a 2-D tensor.
    const x = tg.ones([2, 3]);
    expect(() => x.unsqueeze(-4)).toThrow(/^unsqueeze: dim -4 is out of range for a new dim of a tensor with 2 dims \(expected -3\.\.2\)/);
    expect(() => tg.stack([x, x], 3)).toThrow(/^stack: dim 3 is out of range for a new dim of a tensor with 2 dims \(expected -3\.\.2\)/);
  });
  it("dim given as PyTorch's keyword ({dim: 1}) is taken where the dim goes, with keepdim beside it for reductions", () => {
    const x = tg.tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum({ dim: 1 }).toArray()).toEqual(x.sum(1).toArray());
    expect(x.sum({ dim: [0, 1], keepdim: true }).toArray()).toEqual([[21]]);
    expect(x.mean({ dim: 0 }).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(x.max({ dim: 1, keepdim: true }).indices.toArray()).toEqual([[1], [2]]);
    expect(x.max({}).item()).toBe(6);
    expect(x.argmin({ dim: 0 }).toArray()).toEqual([0, 1, 0]);
    expect(x.softmax({ dim: 1 }).toArray()).toEqual(x.softmax(1).toArray());
    expect(F.logSoftmax(x, { dim: 0 }).toArray()).toEqual(F.logSoftmax(x, 0).toArray());
    expect(tg.cat([x, x], { dim: 1 }).shape).toEqual([2, 6]);
    expect(tg.cat([x, x], {}).shape).toEqual([4, 3]);
    expect(tg.stack([x, x], { dim: 2 }).shape).toEqual([2, 3, 2]);
    expect(x.cumsum({ dim: 1 }).toArray()).toEqual([[1, 6, 9], [4, 6, 12]]);
    expect(x.var({ dim: 1, correction: 0 }).toArray()).toEqual(x.var(1, { correction: 0 }).toArray());
    expect(x.logsumexp({ dim: 1, keepdim: true }).shape).toEqual([2, 1]);
    expect(x.gt(4).any({ dim: 1 }).toArray()).toEqual([1, 1]);
    expect(x.unsqueeze({ dim: 0 }).squeeze({ dim: 0 }).shape).toEqual([2, 3]);
    // Gradients flow as with a positional dim.
    const w = tg.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    w.max({ dim: 1 }).values.sum().backward();
    expect(w.grad!.toArray()).toEqual([[0, 1], [0, 1]]);
  });
  it("a keyword dim is checked like any option, and keepdim is not split between the two forms", () => {
    const x = tg.ones([2, 3]);
    expect(() => x.sum({ dm: 1 } as never)).toThrow(/^sum: unknown option "dm"; did you mean "dim"\? \(allowed: dim, keepdim\)/);
    expect(() => x.sum({ dim: 1 }, true)).toThrow(/^sum: give dim and keepdim together, positionally or in one options object \{dim, keepdim\}/);
    expect(() => tg.cat([x, x], { dim: 1, keepdim: true } as never)).toThrow(/^cat: unknown option "keepdim" \(allowed: dim\)/);
    expect(() => x.softmax({ dim: "1" } as never)).toThrow(/^softmax: dim must be an integer, got string "1"/);
    expect(() => x.var({ dim: 1 }, { correction: 0 })).toThrow(/^var: give dim positionally or inside the options object, not both/);
    // Positional-only dims (between tensors, or before other positionals) keep saying so.
    expect(() => x.gather({ dim: 1 } as never, tg.zeros([2, 1], { dtype: "int32" }))).toThrow(/dim is a positional argument, not an option/);
  });
});

describe("sizes beyond int32", () => {
  it("a pad, stride, kernel or dilation above 2^31 - 1 is a RangeError naming it, never wrapped by the int32 kernels", () => {
    // Before: pad [2^32, -2^32] returned x unchanged (2^32 wrapped to 0; the answer is all zeros), maxPool2d's
    // stride 2^31 failed in the binding with "pooling geometry entry 7 is out of range", conv2d took 2^32 + 1 as 1.
    const x = tg.tensor([[1, 2, 3, 4]]), img = tg.ones([1, 1, 4, 4]);
    expect(() => F.pad(x, [2 ** 32, -(2 ** 32)])).toThrow(/^pad: pad amounts must lie within ±\(2\^31 - 1\) = ±2147483647, got \[4294967296, -4294967296\]/);
    expect(Array.from(F.pad(x, [2 ** 31 - 1, -(2 ** 31 - 1)]).data())).toEqual([0, 0, 0, 0]);
    expect(() => F.maxPool2d(img, 2, { stride: 2 ** 31 })).toThrow(/^maxPool2d: stride must be at most 2\^31 - 1 = 2147483647, got 2147483648/);
    expect(() => F.avgPool2d(img, [2 ** 32 + 1, 1])).toThrow(/^avgPool2d: kernelSize must be at most 2\^31 - 1/);
    expect(() => F.conv2d(img, tg.ones([1, 1, 2, 2]), null, { stride: [1, 2 ** 32 + 1] })).toThrow(/^conv2d: stride must be at most 2\^31 - 1 = 2147483647, got 4294967297/);
    expect(F.maxPool2d(img, 2, { stride: 2 ** 31 - 1 }).shape).toEqual([1, 1, 1, 1]);
  });
});

describe("keepdim", () => {
  it("{keepdim: false} keeps nothing (it was truthy, so kept the dim); {keepdim: true} and a boolean work", () => {
    const x = tg.tensor([[1, 2], [3, 5]]);
    for (const [name, f] of [
      ["sum", (k: never) => x.sum(1, k)], ["mean", (k: never) => x.mean(1, k)], ["max", (k: never) => x.max(1, k).values],
      ["min", (k: never) => x.min(1, k).indices], ["argmax", (k: never) => x.argmax(1, k)], ["argmin", (k: never) => x.argmin(1, k)],
      ["logsumexp", (k: never) => x.logsumexp(1, k)],
    ] as const) {
      expect(f({ keepdim: false } as never).shape, name).toEqual([2]);
      expect(f({ keepdim: true } as never).shape, name).toEqual([2, 1]);
      expect(f(true as never).shape, name).toEqual([2, 1]);
      expect(f(undefined as never).shape, name).toEqual([2]);
      expect(() => f("yes" as never), name).toThrow(new RegExp(`^${name}: keepdim must be a boolean`));
      expect(() => f({ keepDim: true } as never), name).toThrow(new RegExp(`^${name}: unknown option "keepDim"; did you mean "keepdim"`));
    }
  });
  it("sum and mean take null for all dims, as var does", () => {
    expect(tg.tensor([[1, 2], [3, 5]]).sum(null, true).shape).toEqual([1, 1]);
    expect(tg.tensor([[1, 2], [3, 5]]).mean(null).item()).toBe(2.75);
  });
});

describe("disposed tensors", () => {
  it("every tg op given a disposed tensor in any tensor argument says so, naming itself (was: a kernel's 'operand 0 reaches element 5 of an array of length 0', no error from to/double, or an op it is built from: tg.square said mul, tg.outer unsqueeze)", () => {
    let checked = 0;
    for (const [name, op] of OPS) {
      if (!op.sample || !op.exported) continue;  // method-only ops: test/tensor/disposed-access.test.ts
      const tensorArgs = op.sample().flatMap((v, i) => (v instanceof tg.Tensor ? [i] : []));
      for (const i of tensorArgs) {
        const a = op.sample();
        (a[i] as tg.Tensor).dispose();
        expect(() => op.fn(...a), `${name}, argument ${i}`).toThrow(new RegExp(`^${name}: [\\w[\\] ]+ \\(shape \\[[\\d, ]*\\], (float32|float64|int32)\\) was disposed; use it before calling dispose\\(\\)`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });
  it("an in-place op names its disposed operand; conv2d its disposed input", () => {
    const x = tg.tensor([1, 2]), y = tg.tensor([1, 2]);
    y.dispose();
    expect(() => x.add_(y)).toThrow(/^add_: other \(shape \[2\], float32\) was disposed/);
    const img = tg.ones([1, 1, 3, 3]);
    img.dispose();
    expect(() => F.conv2d(img, tg.ones([1, 1, 2, 2]))).toThrow(/^conv2d: input \(shape \[1, 1, 3, 3\], float32\) was disposed/);
  });
  it("APIs outside the ops that take a tensor name themselves and the argument (was: new Parameter(t) a handle over the empty storage, gradCheck the native bounds message, an optimizer 'is a strided view', loadStateDict 'copy_', clipGradNorm_ 'mul')", async () => {
    const gone = (shape = [2, 3]) => {
      const t = tg.randn(shape);
      t.dispose();
      return t;
    };
    const withDisposedGrad = () => {
      const p = tg.randn([2], { requiresGrad: true });
      p.sum().backward();
      p.grad!.dispose();
      return p;
    };
    const cases: [RegExp, () => unknown][] = [
      [/^Parameter: data \(shape \[2, 3\]/, () => new tg.nn.Parameter(gone())],
      [/^gradCheck: inputs\[0\] \(shape/, () => tg.gradCheck((a: tg.Tensor) => a.sum(), [gone()])],
      [/^TensorDataset: tensor 1 \(shape/, () => new tg.data.TensorDataset(tg.randn([2, 3]), gone())],
      [/^loadStateDict: value for weight \(shape/, () => new tg.nn.Linear(3, 2).loadStateDict({ weight: gone([2, 3]), bias: tg.zeros([2]) })],
      [/^registerBuffer: stats \(shape/, () => new tg.nn.Linear(3, 2).registerBuffer("stats", gone())],
      [/^xavierUniform_: the tensor \(shape/, () => tg.nn.init.xavierUniform_(gone())],
      [/^jacobian: inputs? 0 \(shape/, () => tg.autograd.functional.jacobian((a: tg.Tensor) => a.exp(), gone())],
      [/^SGD: parameter 0 \(shape/, () => new tg.optim.SGD([gone()], { lr: 0.1 })],
      [/^clipGradNorm_: the gradient of a parameter of shape \[2\] was disposed; set \.grad = null/, () => tg.nn.utils.clipGradNorm_([withDisposedGrad()], 1)],
      [/^clipGradValue_: the gradient of a parameter of shape \[2\] was disposed/, () => tg.nn.utils.clipGradValue_([withDisposedGrad()], 1)],
      [/^save: tensor "w" \(shape \[0\], float32\) was disposed/, () => tg.save({ w: gone([0]) }, "/nonexistent/never-written.safetensors")],
      [/^worker\.run: a tensor in the message \(shape/, () => tg.worker.run("/nonexistent/task.js", { workerData: { x: [gone()] } })],
    ];
    for (const [message, f] of cases) {
      let err: unknown = null;
      try {
        await f();
      } catch (e) {
        err = e;
      }
      expect(err, String(message)).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/was disposed/);
    }
  });
});

describe("randint", () => {
  it("takes torch.randint(high, size) with low 0 (was: 'high must be an integer within int32, got 3' for randint(5, [3]))", () => {
    tg.manualSeed(1);
    const t = tg.randint(5, [4000]);
    expect(t.shape).toEqual([4000]);
    expect(t.dtype).toBe("int32");
    expect([t.min().item(), t.max().item()]).toEqual([0, 4]);
    expect(tg.randint(5, [3], { dtype: "float64" }).dtype).toBe("float64");
    tg.manualSeed(7);
    const a = tg.randint(9, [50]);
    tg.manualSeed(7);
    expect(Array.from(tg.randint(0, 9, [50]).data())).toEqual(Array.from(a.data()));
  });
  it("a string bound is named as a string (was: 'got 0' for \"0\")", () => {
    expect(() => tg.randint("0" as never, 3, [2])).toThrow(/^randint: low must be an integer within int32, got string "0"/);
    expect(() => tg.randint(0, null as never, [2])).toThrow(/^randint: high must be an integer within int32, got null/);
  });
});
