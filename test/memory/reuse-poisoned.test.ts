// Reused small storage must never show: every op's forward and backward give the same numbers when the
// free lists (lib/storage.ts) hold sentinel-filled arrays of the sizes involved as when they are empty
// (a kernel that left part of an uninitialised output unwritten would read them).
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";
import { OPS } from "../../lib/ops/define.js";

const F = tg.nn.functional as any;
// Fills the free lists for n elements of every dtype with sentinel arrays: 3 per dtype and size, so up
// to 7 sizes fit the lists' bound (64 arrays).
function poison(...ns: number[]) {
  for (const n of ns) for (const dtype of ["float32", "float64", "int32"] as const)
    { const ts = Array.from({ length: 3 }, () => Tensor.output([n], dtype)); ts.forEach((t) => { t.storage.fill(dtype === "int32" ? 0x5eadbeef : 1234.5); t.dispose(); }); }
}
it("poisoning reaches every listed size and dtype (up to 7 sizes)", () => {
  tg.emptyCache();
  const sizes = [42, 6, 7, 30, 90, 216, 256];  // float64 slab storage ends at 256 elements (2 KiB)
  poison(...sizes);
  for (const n of sizes) {
    expect(Tensor.output([n]).storage[n - 1]).toBe(1234.5);
    expect(Tensor.output([n], "float64").storage[0]).toBe(1234.5);
    expect(Tensor.output([n], "int32").storage[0]).toBe(0x5eadbeef);
  }
  tg.emptyCache();
});
const snap = (x: any): any => Array.isArray(x) ? x.map(snap) : x instanceof Tensor ? [x.shape, Array.from(x.data())] : x;
function seeded(shape: number[], s = 1) { tg.manualSeed(s); return tg.randn(shape); }

type Case = [string, () => any, number[]];
const cases: Case[] = [];
const A = () => seeded([6, 7]), B = () => seeded([7, 5], 2), V = () => seeded([30], 3);
const img = () => seeded([2, 3, 6, 6], 4);
const add = (name: string, f: () => any, sizes: number[]) => cases.push([name, f, sizes]);
for (const u of ["neg","abs","exp","sigmoid","tanh","relu","sin","cos","floor","ceil","round","sign","square","reciprocal","expm1"])
  add(u, () => (A() as any)[u](), [42]);
add("clamp", () => A().clamp(-0.5, 0.5), [42]);
add("cumsum", () => tg.cumsum(A(), 1), [42]);
add("cumsum0", () => tg.cumsum(A(), 0), [42]);
add("softmax", () => tg.softmax(A(), 1), [42]);
add("softmax0", () => tg.softmax(A(), 0), [42]);
add("logSoftmax", () => tg.logSoftmax(A(), 0), [42]);
add("sum1", () => A().sum(1), [6, 7]);
add("sum0", () => A().sum(0), [6, 7]);
add("mean0", () => tg.mean(A(), 0), [7]);
add("max1", () => { const r = tg.max(A(), 1) as any; return [r.values ?? r[0], r.indices ?? r[1]]; }, [6, 7]);
add("min0", () => { const r = tg.min(A(), 0) as any; return [r[0], r[1]]; }, [6, 7]);
add("argmax", () => tg.argmax(A(), 0), [7, 6]);
add("var", () => tg.var(A(), 0), [7]);
add("std", () => tg.std(A(), 1), [6]);
add("norm", () => tg.norm(A(), 2, { dim: 1 } as any), [6]);
add("logsumexp", () => tg.logsumexp(A(), 1), [6]);
add("sort", () => { const r = tg.sort(A(), 1) as any; return [r[0], r[1]]; }, [42]);
add("sort0", () => { const r = tg.sort(A(), 0, { descending: true } as any) as any; return [r[0], r[1]]; }, [42]);
add("topk", () => { const r = tg.topk(A(), 3, 1) as any; return [r[0], r[1]]; }, [18]);
add("argsort", () => tg.argsort(A(), 1), [42]);
add("transpose.contig", () => A().transpose(0, 1).contiguous(), [42]);
add("permute", () => seeded([3, 4, 5]).permute([2, 0, 1]).contiguous(), [60]);
add("cat", () => tg.cat([A(), A()], 1), [84]);
add("stack", () => tg.stack([A(), A()], 0), [84]);
add("repeat", () => tg.repeat(A(), [2, 3]), [252]);
add("expand", () => seeded([6, 1]).expand([6, 7]).contiguous(), [42]);
add("gather", () => tg.gather(A(), 1, tg.tensor([[0, 2, 1], [3, 1, 0], [0, 0, 0], [6, 5, 4], [1, 1, 1], [2, 3, 4]], { dtype: "int32" })), [18]);
add("indexSelect", () => tg.indexSelect(A(), 1, tg.tensor([0, 3, 3, 6], { dtype: "int32" })), [24]);
add("maskedFill", () => tg.maskedFill(A(), A().gt(0), 7), [42]);
add("matmul", () => tg.matmul(A(), B()), [30]);
add("mm", () => tg.mm(A(), B()), [30]);
add("matmul-vec", () => tg.matmul(A(), seeded([7])), [6]);
add("bmm", () => tg.bmm(seeded([2, 3, 4]), seeded([2, 4, 5], 5)), [30]);
add("outer", () => tg.outer(seeded([6]), seeded([7], 2)), [42]);
add("pad", () => F.pad(A(), [1, 2, 2, 1]), [90]);
add("pad-reflect", () => F.pad(img(), [1, 1, 1, 1], { mode: "reflect" }), [2*3*64]);
add("conv2d", () => F.conv2d(img(), seeded([4, 3, 3, 3], 6)), [2*4*16]);
add("conv2d-pad", () => F.conv2d(img(), seeded([4, 3, 3, 3], 6), null, { padding: 1, stride: 2 }), [2*4*9]);
add("conv1d", () => F.conv1d(seeded([2, 3, 10]), seeded([4, 3, 3], 6)), [64]);
add("maxPool2d", () => F.maxPool2d(img(), 2), [2*3*9]);
add("maxPool2d-pad", () => F.maxPool2d(img(), 3, { stride: 2, padding: 1 }), [2*3*9]);
add("avgPool2d", () => F.avgPool2d(img(), 2), [2*3*9]);
add("adaptiveAvg", () => F.adaptiveAvgPool2d(img(), 2), [2*3*4]);
add("layerNorm", () => F.layerNorm(A(), [7]), [42]);
add("batchNorm", () => F.batchNorm(A(), null, null, null, null, { training: true }), [42]);
add("groupNorm", () => F.groupNorm(img(), 3), [216]);
add("embedding", () => F.embedding(tg.tensor([1, 0, 3], { dtype: "int32" }), A()), [21]);
add("oneHot", () => F.oneHot(tg.tensor([1, 0, 3, 5], { dtype: "int32" }), 6), [24]);
add("crossEntropy", () => F.crossEntropy(A(), tg.tensor([1, 0, 3, 5, 6, 2], { dtype: "int32" }), { reduction: "none" }), [6]);
add("linear", () => F.linear(A(), seeded([5, 7], 7), seeded([5], 8)), [30]);
add("linear-relu", () => F.relu(F.linear(A(), seeded([5, 7], 7), seeded([5], 8))), [30]);
add("lrn", () => F.localResponseNorm(img(), 2), [216]);
add("mseNone", () => F.mseLoss(A(), A().mul(2), { reduction: "none" }), [42]);
add("where", () => A().where(A().gt(0), 0), [42]);
add("chunk", () => tg.chunk(A(), 3, 1).map((t: any) => t.contiguous()), [18, 12]);
add("zeros", () => tg.zeros([6, 7]), [42]);
add("zerosLike", () => tg.zerosLike(A()), [42]);
add("eye", () => tg.eye(7), [49]);
add("arange", () => tg.arange(0, 42), [42]);
add("float64", () => A().to("float64"), [42]);
add("int", () => A().mul(10).to("int32"), [42]);
add("unfold", () => F.unfold(img(), 2), [2*12*25]);
add("fold", () => F.fold(seeded([2, 12, 25]), [6, 6], 2), [2*3*36]);
add("dropout-eval", () => F.dropout(A(), { training: false }), [42]);

// Creation, casts, reductions to int, padding and pooling modes, grouped/transposed convolutions: the output size poisoned.
const T = tg as any;
for (const [name, f] of [
  ["full", () => tg.full([6, 7], 2.5)], ["full64", () => tg.full([6, 7], 2.5, { dtype: "float64" } as any)], ["fullInt", () => tg.full([6, 7], 3, { dtype: "int32" } as any)],
  ["ones", () => T.ones([6, 7])], ["onesLike", () => T.onesLike(tg.zeros([6, 7]))], ["fullLike", () => T.fullLike ? T.fullLike(tg.zeros([6, 7]), 3) : tg.full([6, 7], 3)],
  ["rand", () => { tg.manualSeed(1); return tg.rand([6, 7]); }], ["randn", () => { tg.manualSeed(1); return tg.randn([6, 7]); }],
  ["randint", () => { tg.manualSeed(1); return T.randint(0, 10, [6, 7]); }], ["randperm", () => { tg.manualSeed(1); return T.randperm(42); }],
  ["linspace", () => tg.linspace(0, 1, 42)], ["arange", () => tg.arange(0, 42, 1)], ["eye", () => T.eye(6, 7)],
  ["tensor", () => tg.tensor(Array.from({ length: 42 }, (_, i) => i))], ["tensor2d", () => tg.tensor([[1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7]])],
  ["tensorTyped", () => tg.tensor(new Float64Array(42).fill(1.5))],
  ["randLike", () => { tg.manualSeed(1); return T.randnLike ? T.randnLike(tg.zeros([6, 7])) : tg.randn([6, 7]); }],
  ["dropoutTrain", () => { tg.manualSeed(1); return tg.nn.functional.dropout(tg.ones([6, 7]), { p: 0.5, training: true } as any); }],
  ["oneHot", () => (tg.nn.functional as any).oneHot(tg.tensor([0, 6, 3, 2, 1, 0], { dtype: "int32" }), 7)],
  ["argmax-dim", () => tg.argmax(tg.arange(0, 42).reshape([6, 7]).float(), 1)], ["any", () => T.any(tg.arange(0, 42).reshape([6, 7]).gt(20), 1)],
  ["equal-where", () => tg.arange(0, 42).float().where(tg.arange(0, 42).gt(3), 0)],
  ["repeat", () => tg.repeat(tg.arange(0, 6).float(), [7])], ["stack", () => tg.stack([tg.ones([21]), tg.zeros([21])])],
  ["cumsum-int", () => tg.cumsum(tg.ones([42], { dtype: "int32" } as any), 0)], ["isnan", () => tg.isnan(tg.ones([42]))],
  ["int-cast", () => tg.ones([42]).to("int32")], ["sum-int", () => tg.ones([6, 7], { dtype: "int32" } as any).sum(0)],
  ["mean-keep", () => tg.ones([6, 7]).mean(1, true)], ["var-unbiased", () => tg.var(tg.arange(0, 42).reshape([6, 7]).float(), 0)],
  ["norm-dims", () => tg.norm(tg.ones([6, 7]), 2, { dim: [0, 1] } as any)], ["pad-const", () => (tg.nn.functional as any).pad(tg.ones([6, 5]), [1, 1], { value: 2 })],
  ["pad-replicate", () => (tg.nn.functional as any).pad(tg.arange(0, 30).reshape([1, 1, 6, 5]).float(), [1, 1, 1, 1], { mode: "replicate" })],
  ["maxpool-ceil", () => (tg.nn.functional as any).maxPool2d(tg.arange(0, 42).reshape([1, 1, 6, 7]).float(), 2, { ceilMode: true })],
  ["avgpool-ceil", () => (tg.nn.functional as any).avgPool2d(tg.arange(0, 42).reshape([1, 1, 6, 7]).float(), 2, { ceilMode: true, padding: 1 })],
  ["convT", () => (tg.nn.functional as any).convTranspose2d(tg.ones([1, 2, 3, 3]), tg.ones([2, 3, 2, 2]), null, { stride: 2 })],
  ["conv-groups", () => (tg.nn.functional as any).conv2d(tg.ones([1, 4, 5, 5]), tg.ones([4, 2, 3, 3]), null, { groups: 2, padding: 2, dilation: 2 })],
  ["matmul-batch-bcast", () => tg.matmul(tg.ones([2, 1, 3, 4]), tg.ones([3, 4, 5]))],
  ["topk-smallest", () => (tg.topk(tg.arange(0, 42).float(), 5, 0, { largest: false } as any) as any)[1]],
] as [string, () => Tensor][]) add(name, f, []);

// backward: grads of inputs (sizes poisoned = input sizes)
const back = (name: string, mk: () => Tensor[], f: (...x: Tensor[]) => Tensor) =>
  add("grad:" + name, () => { const xs = mk().map((x) => x.requiresGrad_()); f(...xs).mul(seeded(f(...xs.map((x) => x.detach())).shape, 9)).sum().backward(); return xs.map((x) => x.grad!); },
    [...new Set(mk().map((x) => x.numel()))]);
back("narrow", () => [A()], (x) => x.narrow(1, 2, 3));
back("select", () => [A()], (x) => x.select(0, 2));
back("slice", () => [A()], (x) => (x as any).slice(1, 1, 5));
back("index", () => [A()], (x) => tg.indexSelect(x, 1, tg.tensor([0, 3, 3], { dtype: "int32" })));
back("gather", () => [A()], (x) => tg.gather(x, 1, tg.tensor([[0, 2, 1], [3, 1, 0], [0, 0, 0], [6, 5, 4], [1, 1, 1], [2, 3, 4]], { dtype: "int32" })));
back("max1", () => [A()], (x) => (tg.max(x, 1) as any)[0]);
back("maxall", () => [A()], (x) => tg.max(x) as any);
back("topk", () => [A()], (x) => (tg.topk(x, 2, 1) as any)[0]);
back("sort", () => [A()], (x) => (tg.sort(x, 0) as any)[0]);
back("maxPool", () => [img()], (x) => F.maxPool2d(x, 2));
back("maxPool3s2", () => [img()], (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }));
back("avgPool", () => [img()], (x) => F.avgPool2d(x, 3, { stride: 2 }));
back("adaptive", () => [img()], (x) => F.adaptiveMaxPool2d ? F.adaptiveMaxPool2d(x, 2) : F.adaptiveAvgPool2d(x, 2));
back("pad", () => [A()], (x) => F.pad(x, [1, 2, 2, 1]));
back("padrefl", () => [img()], (x) => F.pad(x, [1, 1, 1, 1], { mode: "reflect" }));
back("conv", () => [img(), seeded([4, 3, 3, 3], 6)], (x, w) => F.conv2d(x, w, null, { stride: 2, padding: 1 }));
back("conv-dil", () => [img(), seeded([4, 3, 3, 3], 6)], (x, w) => F.conv2d(x, w, null, { dilation: 2 }));
back("conv1d", () => [seeded([2, 3, 10]), seeded([4, 3, 3], 6)], (x, w) => F.conv1d(x, w, null, { stride: 3 }));
back("embedding", () => [A()], (w) => F.embedding(tg.tensor([1, 1, 3], { dtype: "int32" }), w));
back("cat", () => [A(), B().t()], (a, b) => tg.cat([a, b], 0));
back("chunk", () => [A()], (x) => tg.chunk(x, 3, 1)[1]);
back("split", () => [A()], (x) => tg.split(x, [2, 5], { dim: 1 } as any)[0]);
back("expand", () => [seeded([6, 1])], (x) => x.expand([6, 7]));
back("repeat", () => [A()], (x) => tg.repeat(x, [2, 1]));
back("matmul", () => [A(), B()], (a, b) => tg.matmul(a, b));
back("matvec", () => [A(), seeded([7])], (a, b) => tg.matmul(a, b));
back("linear", () => [A(), seeded([5, 7], 7), seeded([5], 8)], (x, w, b) => F.relu(F.linear(x, w, b)));
back("layerNorm", () => [A()], (x) => F.layerNorm(x, [7]));
back("groupNorm", () => [img()], (x) => F.groupNorm(x, 3));
back("batchNorm", () => [A()], (x) => F.batchNorm(x, null, null, null, null, { training: true }));
back("softmax", () => [A()], (x) => tg.softmax(x, 0));
back("ce", () => [A()], (x) => F.crossEntropy(x, tg.tensor([1, 0, 3, 5, 6, 2], { dtype: "int32" }), { reduction: "none" }));
back("cumsum", () => [A()], (x) => tg.cumsum(x, 1));
back("norm", () => [A()], (x) => tg.norm(x, 2, { dim: 1 } as any));
back("where", () => [A()], (x) => x.where(x.gt(0), 0));
back("unfold", () => [img()], (x) => F.unfold(x, 3, { stride: 2 }));
back("permute", () => [seeded([3, 4, 5])], (x) => x.permute([2, 0, 1]));
back("transpose-matmul", () => [A(), seeded([5, 7], 7)], (a, b) => tg.matmul(a, b.t()));
back("clamp", () => [A()], (x) => x.clamp(-0.5, 0.5));
back("prod-like", () => [A()], (x) => x.mul(x).sum(1));

it.each(cases)("%s is the same after its sizes were poisoned", (_name, f, sizes) => {
  tg.emptyCache();
  const first = f(), clean = snap(first);
  const outputs = (Array.isArray(first) ? first : [first]).filter((t) => t instanceof Tensor) as Tensor[];
  tg.emptyCache();
  poison(...(sizes.length ? sizes : [...new Set(outputs.map((t) => t.numel()))]));
  const dirty = snap(f());
  expect(dirty).toEqual(clean);
});

const registry = [...OPS.values()].filter((o) => o.sample);
it.each(registry.map((o) => [o.name, o] as const))("registry op %s: forward and backward unchanged after poisoning", (_n, op) => {
  const runOnce = () => {
    const args = op.sample!();
    const xs = args.filter((a): a is Tensor => a instanceof Tensor && a.dtype !== "int32" && a.isLeaf);
    if (op.differentiable) xs.forEach((x) => x.requiresGrad_());
    const out = op.fn(...args);
    const outs = (Array.isArray(out) ? out : [out]).filter((t) => t instanceof Tensor) as Tensor[];
    const res = outs.map((t) => [t.shape, Array.from(t.data())]);
    const diff = outs.filter((t) => t.requiresGrad);
    if (diff.length) diff.reduce((a: Tensor | null, t) => (a ? a.add(t.sum()) : t.sum()), null)!.backward();
    return { res, grads: xs.map((x) => (x.grad ? Array.from(x.grad.data()) : null)), sizes: [...outs, ...args].filter((a) => a instanceof Tensor).map((a) => (a as Tensor).numel()) };
  };
  tg.emptyCache();
  const clean = runOnce();
  tg.emptyCache();
  poison(...[...new Set(clean.sizes.filter((n) => n > 2))].slice(0, 7));
  const dirty = runOnce();
  expect(dirty.res).toEqual(clean.res);
  expect(dirty.grads).toEqual(clean.grads);
});
