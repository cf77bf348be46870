// Backward, optimizers, modules and checkpoints with small tensors whose memory goes back to the free
// list and is taken by new tensors filled with a sentinel: disposing an intermediate (a view's base, a
// saved output, max/sort indices, a pending saved tensor), a gradient, or a state dict's tensors never
// changes a result or another live tensor.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";
import { arr, churn } from "./churn.js";

const cases: [string, () => unknown][] = [];
const c = (n: string, f: () => unknown) => cases.push([n, f]);

c("in-place through view of disposed base", () => {
  const x = tg.ones([8, 5], { requiresGrad: true });
  const y = x.mul(2); const v = y.narrow(0, 0, 2); y.dispose(); churn(40);
  v.mul_(3); churn(40); churn(10); v.sum().backward();
  const want = new Array(40).fill(0); for (let i = 0; i < 10; ++i) want[i] = 6;
  expect(arr(x.grad!)).toEqual(want);
});
c("in-place through base, view stale, base disposed", () => {
  const x = tg.ones([8, 5], { requiresGrad: true });
  const y = x.mul(2); const v = y.narrow(0, 0, 2); y.mul_(3); y.dispose(); churn(40); churn(10);
  v.sum().backward();
  const want = new Array(40).fill(0); for (let i = 0; i < 10; ++i) want[i] = 6;
  expect(arr(x.grad!)).toEqual(want);
});
c("exp_ value disposed; backward reads result", () => {
  const x = tg.full([8, 5], 0.5, { requiresGrad: true }); const y = x.mul(1); y.mul_(tg.full([8, 5], Math.exp(0.5))); churn(40);
  const z = y.mul(1); y.dispose(); churn(40); z.sum().backward();
  expect(arr(x.grad!).every((v) => Math.abs(v - Math.exp(0.5)) < 1e-5)).toBe(true);
});
c("sigmoid output disposed before backward, then churned", () => {
  const x = tg.zeros([8, 5], { requiresGrad: true }); const s = x.sigmoid(); const l = s.sum(); s.dispose(); churn(40); l.backward();
  expect(arr(x.grad!)).toEqual(new Array(40).fill(0.25));
});
c("softmax output disposed", () => {
  const x = tg.zeros([8, 5], { requiresGrad: true }); const s = tg.softmax(x, 1); const w = tg.arange(0, 40).reshape([8, 5]).float();
  const l = s.mul(w).sum(); s.dispose(); churn(40); l.backward();
  const ref = tg.zeros([8, 5], { requiresGrad: true }); tg.softmax(ref, 1).mul(w).sum().backward();
  expect(arr(x.grad!)).toEqual(arr(ref.grad!));
});
c("relu-linear output disposed", () => {
  tg.manualSeed(1); const x = tg.randn([8, 5], { requiresGrad: true }), w = tg.randn([6, 5], { requiresGrad: true }), b = tg.randn([6], { requiresGrad: true });
  const F = tg.nn.functional as any;
  const y = F.relu(F.linear(x, w, b)); const l = y.mul(y).sum(); const y2 = F.linear(x, w, b, ); void y2;
  const ref = arr(y); y.dispose(); churn(48); churn(30); l.backward();
  const x2 = x.detach().clone().requiresGrad_(); const yr = F.relu(F.linear(x2, w.detach(), b.detach())); yr.mul(yr).sum().backward();
  expect(arr(x.grad!)).toEqual(arr(x2.grad!)); void ref;
});
c("max indices disposed before backward", () => {
  tg.manualSeed(2); const x = tg.randn([8, 5], { requiresGrad: true }); const r = tg.max(x, 1) as any; const l = r[0].sum();
  const want = tg.zeros([8, 5]); const idx = arr(r[1]); idx.forEach((j, i) => want.storage[i * 5 + j] = 1);
  r[1].dispose(); r[0].dispose(); churn(8); l.backward(); expect(arr(x.grad!)).toEqual(arr(want));
});
c("topk/sort indices disposed", () => {
  tg.manualSeed(2); const x = tg.randn([8, 5], { requiresGrad: true }); const r = tg.sort(x, 1) as any; const l = r[0].mul(tg.arange(0, 5).float()).sum();
  const idx = arr(r[1]); r[1].dispose(); r[0].dispose(); churn(40);
  l.backward(); const want = new Array(40).fill(0); idx.forEach((j, k) => want[Math.floor(k / 5) * 5 + j] = k % 5);
  expect(arr(x.grad!)).toEqual(want);
});
c("maxPool indices", () => {
  tg.manualSeed(3); const F = tg.nn.functional as any; const x = tg.randn([1, 2, 6, 6], { requiresGrad: true }); const y = F.maxPool2d(x, 2); const l = y.sum(); y.dispose(); churn(18); churn(72);
  l.backward(); expect(arr(x.grad!).reduce((a, b) => a + b, 0)).toBe(18);
});
c("batchnorm running stats stay", () => {
  const bn = new tg.nn.BatchNorm1d(5); const x = tg.randn([8, 5]); bn.forward(x); const rm = arr((bn as any).running_mean ?? (bn as any).runningMean);
  const sd = bn.stateDict() as any; for (const k in sd) sd[k].dispose(); churn(5); churn(1);
  expect(arr((bn as any).running_mean ?? (bn as any).runningMean)).toEqual(rm);
});
c("parameter from tensor then tensor disposed", () => {
  const t = tg.randn([8, 5]); const w = arr(t); const p = new tg.nn.Parameter(t); t.dispose(); churn(40); expect(arr(p)).toEqual(w);
});
c("loadStateDict then source disposed", () => {
  const m = new tg.nn.Linear(5, 8); const src = { weight: tg.randn([8, 5]), bias: tg.randn([8]) }; const w = arr(src.weight);
  m.loadStateDict(src as any); src.weight.dispose(); src.bias.dispose(); churn(40); churn(8); expect(arr(m.weight)).toEqual(w);
});
c("optimizer loadStateDict then source disposed", () => {
  const p = new tg.nn.Parameter(tg.randn([8, 5])); const opt = new tg.optim.Adam([p], { lr: 0.1 });
  p.mul(p).sum().backward(); opt.step(); const sd = opt.stateDict(); const s = JSON.stringify(sd);
  const opt2 = new tg.optim.Adam([p], { lr: 0.1 }); opt2.loadStateDict(sd);
  for (const st of Object.values(sd.state)) for (const v of Object.values(st as any)) if (v instanceof Tensor) v.dispose();
  churn(40); expect(JSON.stringify(opt2.stateDict())).toBe(s);
});
c("SGD momentum: grads disposed by user every step", () => {
  const run = (disp: boolean) => { tg.manualSeed(5); const p = new tg.nn.Parameter(tg.randn([8, 5])); const opt = new tg.optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 5; ++i) { opt.zeroGrad(); const l = p.mul(p).sum(); l.backward(); opt.step(); if (disp) { const g = p.grad!; p.grad = null; g.dispose(); churn(40); } }
    return arr(p); };
  expect(run(true)).toEqual(run(false));
});
c("zeroGrad({ setToNone: false }) then dispose then backward", () => {
  const run = (disp: boolean) => { tg.manualSeed(5); const p = new tg.nn.Parameter(tg.randn([8, 5])); const opt = new tg.optim.Adam([p], { lr: 0.1 });
    for (let i = 0; i < 5; ++i) { opt.zeroGrad({ setToNone: false }); const h = p.mul(2); const l = h.mul(h).sum(); if (disp) h.dispose(); l.backward(); opt.step(); if (disp) churn(40); }
    return arr(p); };
  expect(run(true)).toEqual(run(false));
});
c("grad of grad via user Function keeps grads", () => {
  class Dbl extends (tg.autograd as any).Function { static forward(ctx: any, x: Tensor) { return x.mul(2); } static backward(ctx: any, g: Tensor) { ctx.kept = g; (globalThis as any).keptG = g; return [g.mul(2)]; } }
  const x = tg.randn([8, 5], { requiresGrad: true }); const y = (Dbl as any).apply(x.mul(1)); y.mul(3).sum().backward();
  const g = (globalThis as any).keptG as Tensor; const w = arr(g); churn(40); x.grad!.dispose(); churn(40);
  expect(arr(g)).toEqual(w);
});
c("user Function returns its input grad as-is", () => {
  class Id extends (tg.autograd as any).Function { static forward(ctx: any, x: Tensor) { return x.mul(1); } static backward(ctx: any, g: Tensor) { return [g]; } }
  const a = tg.randn([8, 5], { requiresGrad: true }); const b = tg.randn([8, 5], { requiresGrad: true });
  const y = (Id as any).apply(a.add(b)); y.mul(3).sum().backward(); a.grad!.dispose(); churn(40);
  expect(arr(b.grad!)).toEqual(new Array(40).fill(3));
});
c("user Function saves an input that user disposes", () => {
  class Sq extends (tg.autograd as any).Function { static forward(ctx: any, x: Tensor) { ctx.saveForBackward(x); return x.mul(x); } static backward(ctx: any, g: Tensor) { const [x] = ctx.savedTensors; return [g.mul(x).mul(2)]; } }
  const a = tg.full([8, 5], 3, { requiresGrad: true }); const h = a.mul(1); const y = (Sq as any).apply(h); const l = y.sum(); h.dispose(); churn(40); l.backward();
  expect(arr(a.grad!)).toEqual(new Array(40).fill(6));
});
c("user Function ctx field tensor (not saveForBackward)", () => {
  class Sq extends (tg.autograd as any).Function { static forward(ctx: any, x: Tensor) { ctx.x = x; return x.mul(x); } static backward(ctx: any, g: Tensor) { return [g.mul(ctx.x).mul(2)]; } }
  const a = tg.full([8, 5], 3, { requiresGrad: true }); const h = a.mul(1); const y = (Sq as any).apply(h); const l = y.sum(); h.dispose(); churn(40);
  try { l.backward(); } catch (e) { expect(String(e)).toMatch(/dispos/); return; }
  expect(arr(a.grad!)).toEqual(new Array(40).fill(6));
});
c("gradient passed to backward reused after dispose", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const go = tg.full([8, 5], 2);
  const y = a.mul(1); y.backward(go); go.dispose(); churn(40); expect(arr(a.grad!)).toEqual(new Array(40).fill(2));
});
c("clip_grad on adopted grads", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }), b = tg.randn([8, 5], { requiresGrad: true });
  a.add(b).mul(10).sum().backward(); (tg.nn.utils as any).clipGradNorm_([a, b], 1.0);
  expect(arr(a.grad!)).toEqual(arr(b.grad!)); a.grad!.dispose(); churn(40); expect(b.grad!.sum().item()).not.toBeCloseTo(999.25 * 40);
});
c("hook sees grad, returns view of it", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const h = a.mul(2);
  let seen!: Tensor; h.registerHook((g: Tensor) => { seen = g; return g.reshape([8, 5]); });
  h.mul(3).sum().backward(); const w = arr(seen); churn(40); a.mul(5).exp().sum().backward(); churn(40); expect(arr(seen)).toEqual(w);
});
c("DataLoader shuffle batches after dispose churn", () => {
  const X = tg.arange(0, 100).reshape([20, 5]).float(); const ds = new tg.data.TensorDataset(X);
  const dl = new tg.data.DataLoader(ds, { batchSize: 8, shuffle: true } as any); const bs: Tensor[] = [];
  for (const [b] of dl as any) { bs.push(b); } const w = bs.map(arr); bs[0].dispose(); churn(40); churn(20); expect(bs.slice(1).map(arr)).toEqual(w.slice(1));
  expect(arr(X)).toEqual(Array.from({ length: 100 }, (_, i) => i));
});
c("cat backward narrow views disposed", () => {
  const a = tg.randn([4, 5], { requiresGrad: true }), b = tg.randn([4, 5], { requiresGrad: true });
  tg.cat([a, b], 0).mul(tg.arange(0, 40).reshape([8, 5]).float()).sum().backward();
  const ga = arr(a.grad!), gb = arr(b.grad!); a.grad!.dispose(); churn(20); churn(40); expect(arr(b.grad!)).toEqual(gb); void ga;
});
c("split pieces leaf grads", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const [p, q] = tg.chunk(a, 2, 0);
  p.mul(2).sum().add(q.mul(3).sum()).backward(); const g = arr(a.grad!);
  expect(g).toEqual([...new Array(20).fill(2), ...new Array(20).fill(3)]);
});
c("autograd.grad retained target leaf grad independence", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const h = a.mul(2); const l = h.mul(3).sum();
  const [gh, ga] = tg.autograd.grad([l], [h, a], { retainGraph: true } as any) as Tensor[];
  l.backward(); gh.dispose(); churn(40); expect(arr(ga)).toEqual(new Array(40).fill(6)); expect(arr(a.grad!)).toEqual(new Array(40).fill(6));
});
c("retainGraph: saved tensors kept across two backward with churn and dispose", () => {
  const a = tg.full([8, 5], 2, { requiresGrad: true }); const h = a.mul(1); const l = h.mul(h).sum(); h.dispose();
  l.backward({ retainGraph: true }); churn(40); l.backward(); expect(arr(a.grad!)).toEqual(new Array(40).fill(8));
});
c("float64 and int32 churn: where/any/equal", () => {
  const x = tg.randn([8, 5]).to("float64"); const m = x.gt(0); const y = x.where(m, 0); const w = arr(y); x.dispose(); m.dispose(); churn(40); expect(arr(y)).toEqual(w);
});

c("leaf.backward(userGrad) copies it", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const go = tg.full([8, 5], 2);
  a.backward(go); go.fill_(7); expect(arr(a.grad!)).toEqual(new Array(40).fill(2));
  const r = a.reshape([40]); const go2 = tg.full([40], 1); r.backward(go2); go2.fill_(9); expect(arr(a.grad!)).toEqual(new Array(40).fill(3));
});
c("autograd.grad of a leaf w.r.t. itself copies gradOutputs", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const go = tg.full([8, 5], 2);
  const [g] = tg.autograd.grad([a], [a], { gradOutputs: [go] } as any) as Tensor[]; go.fill_(5); expect(arr(g)).toEqual(new Array(40).fill(2));
});
c("save/load small tensors, dispose one", async () => {
  const { mkdtempSync } = await import("node:fs"); const { join } = await import("node:path"); const { tmpdir } = await import("node:os");
  const f = join(mkdtempSync(join(tmpdir(), "b3-")), "m.safetensors");
  const m = new tg.nn.Linear(5, 8); tg.save(m.stateDict(), f); const sd = tg.load(f) as any;
  const w = arr(sd.bias); sd.weight.dispose(); churn(40); churn(8); expect(arr(sd.bias)).toEqual(w);
  const sd2 = tg.load(f) as any; sd2.bias.dispose(); churn(8); expect(arr(sd.bias)).toEqual(w);
});
it.each(cases)("%s", async (_n, f) => { tg.emptyCache(); await f(); });
