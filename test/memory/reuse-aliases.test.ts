// The ownership rule with small storage, which now goes back to a free list when its last handle is
// disposed: after disposing a tensor and then allocating many tensors of the same size filled with a
// sentinel (which take any array the free list held), every alias, view, saved tensor, kept gradient,
// optimizer state, data-loader batch and data() copy still reads its own values.
import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";
import { arr, churn } from "./churn.js";


type Case = [string, () => void];
const cases: Case[] = [];
const c = (n: string, f: () => void) => cases.push([n, f]);

// alias kinds: make alias, dispose original, churn, alias must hold original values
const aliases: [string, (x: Tensor) => Tensor | Tensor[]][] = [
  ["detach", (x) => x.detach()], ["reshape", (x) => x.reshape([-1])], ["view", (x) => x.view([5, 8])],
  ["contiguous", (x) => x.contiguous()], ["float", (x) => (x as any).float()], ["to32", (x) => x.to("float32")],
  ["expand", (x) => x.unsqueeze(0).expand([2, 8, 5])], ["t", (x) => x.t()], ["narrow", (x) => x.narrow(0, 1, 3)],
  ["select", (x) => x.select(1, 2)], ["squeeze", (x) => x.unsqueeze(1).squeeze(1)], ["flatten", (x) => x.flatten()],
  ["chunk", (x) => tg.chunk(x, 2, 0)], ["split", (x) => tg.split(x, 3, { dim: 0 } as any)], ["permute", (x) => x.permute([1, 0])],
  ["transpose", (x) => x.transpose(0, 1)], ["slice", (x) => (x as any).slice(0, 2, 6)]
];
for (const [name, mk] of aliases) {
  for (const grad of [false, true]) c(`alias ${name} grad=${grad}`, () => {
    const x = tg.randn([8, 5], { requiresGrad: grad });
    let al = mk(x); const list = Array.isArray(al) ? al : [al];
    const want = list.map(arr);
    x.dispose();
    const k = churn(40);
    expect(list.map(arr)).toEqual(want);
    k.forEach((t) => t.dispose());
    // the alias disposed too: now freed; then a new tensor must not change a still-live sibling
    if (list.length > 1) { list[0].dispose(); churn(40); expect(list.slice(1).map(arr)).toEqual(want.slice(1)); }
  });
}
c("max pair values/indices after disposing one", () => {
  const x = tg.randn([8, 5]);
  const r = tg.max(x, 1) as any; const v = r[0], i = r[1]; const wv = arr(v), wi = arr(i);
  r.values.dispose(); churn(8);
  expect(arr(i)).toEqual(wi);
  const r2 = tg.max(x, 1) as any; r2.indices.dispose(); churn(8); expect(arr(r2.values)).toEqual(wv);
});
c("double dispose does not double-free", () => {
  const x = tg.randn([8, 5]); const v = x.reshape([40]); const w = arr(v);
  x.dispose(); x.dispose(); x.dispose();
  churn(40); expect(arr(v)).toEqual(w);
});
c("dispose in noGrad", () => {
  const x = tg.randn([8, 5]); let v!: Tensor;
  tg.noGrad(() => { v = x.view([40]); x.dispose(); });
  churn(40); expect(v.sum().item()).not.toBe(999.25 * 40);
});
c("caller's typed array", () => {
  const a = new Float32Array(40).fill(3); const x = new Tensor(a, [8, 5]); x.dispose();
  const k = churn(40); expect(k.every((t) => t.storage !== a)).toBe(true); expect(Array.from(a)).toEqual(new Array(40).fill(3));
});
c("data()/tolist() copies", () => {
  const x = tg.randn([8, 5]); const d = x.data(), l = JSON.stringify(x.tolist()); x.dispose(); churn(40);
  expect(JSON.stringify(Array.from(d))).not.toContain("999.25"); expect(l).not.toContain("999.25");
});
c("saved for backward", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const x = tg.randn([8, 5]);
  const y = w.mul(x); const want = arr(x); x.dispose(); const loss = y.sum(); churn(40);
  loss.backward(); expect(arr(w.grad!)).toEqual(want);
});
c("grad kept by hook", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const kept: Tensor[] = [];
  const h = w.mul(2); h.registerHook((g: Tensor) => { kept.push(g); });
  h.mul(h).sum().backward(); const want = arr(kept[0]); churn(40); tg.randn([8, 5]).mul(3).exp();
  const w2 = tg.randn([8, 5], { requiresGrad: true }); w2.mul(3).exp().sum().backward(); churn(40);
  expect(arr(kept[0])).toEqual(want);
});
c("hook returns tensor user keeps", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const mine = tg.full([8, 5], 2);
  const h = w.mul(2); h.registerHook(() => mine);
  h.mul(3).sum().backward(); churn(40);
  const w2 = tg.randn([8, 5], { requiresGrad: true }); w2.mul(3).exp().sum().backward(); churn(40);
  expect(arr(mine)).toEqual(new Array(40).fill(2));
  expect(arr(w.grad!)).toEqual(new Array(40).fill(4));
});
c("hook on leaf returns user tensor; leaf grad not aliasing", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const mine = tg.full([8, 5], 2);
  w.registerHook(() => mine);
  w.mul(3).sum().backward(); w.mul(3).sum().backward();
  expect(arr(mine)).toEqual(new Array(40).fill(2));
  expect(arr(w.grad!)).toEqual(new Array(40).fill(4));
});
c("autograd.grad results survive", () => {
  const w = tg.randn([8, 5], { requiresGrad: true });
  const [g] = tg.autograd.grad([w.mul(w).sum()], [w]) as Tensor[]; const want = arr(g);
  const w2 = tg.randn([8, 5], { requiresGrad: true }); w2.mul(3).exp().sum().backward(); churn(40);
  expect(arr(g)).toEqual(want);
});
c("autograd.grad of two inputs passing through add", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }), b = tg.randn([8, 5], { requiresGrad: true });
  const [ga, gb] = tg.autograd.grad([a.add(b).mul(2).sum()], [a, b]) as Tensor[];
  ga.dispose(); churn(40); expect(arr(gb)).toEqual(new Array(40).fill(2));
});
c("autograd.grad with gradOutputs user tensor", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const go = tg.full([8, 5], 1.5);
  const y = a.add(1);
  const [ga] = (tg.autograd.grad as any)([y], [a], { gradOutputs: [go] }) as Tensor[];
  go.dispose(); churn(40); expect(arr(ga)).toEqual(new Array(40).fill(1.5));
});
c("backward with user gradient keeps it", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const go = tg.full([8, 5], 1.5);
  a.add(1).backward(go); a.add(1).backward(go);
  expect(arr(go)).toEqual(new Array(40).fill(1.5));
  a.grad!.dispose(); churn(40); expect(arr(go)).toEqual(new Array(40).fill(1.5));
});
c("retainGrad", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const h = a.mul(2); h.retainGrad();
  h.mul(3).sum().backward(); const hg = h.grad!; const want = arr(hg);
  a.grad = null; churn(40); expect(arr(hg)).toEqual(want);
  h.mul(3).sum().backward(); expect(arr(hg)).toEqual(want); // the old grad object unchanged? (PyTorch accumulates into h.grad though)
});
c("retainGrad on a view of leaf", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }); const h = a.reshape([40]); h.retainGrad();
  h.sum().backward(); const want = arr(h.grad!);
  a.grad!.dispose(); churn(40); expect(arr(h.grad!)).toEqual(want);
});
c("leaf grads do not alias each other (add)", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }), b = tg.randn([8, 5], { requiresGrad: true });
  a.add(b).sum().backward(); a.grad!.dispose(); churn(40);
  expect(arr(b.grad!)).toEqual(new Array(40).fill(1));
});
c("leaf grads via reshape pass-through", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }), b = tg.randn([40], { requiresGrad: true });
  a.reshape([40]).add(b).sum().backward(); a.grad!.dispose(); churn(40);
  expect(arr(b.grad!)).toEqual(new Array(40).fill(1));
});
c("dispose grad then backward", () => {
  const a = tg.randn([8, 5], { requiresGrad: true });
  a.mul(2).sum().backward(); a.grad = null; a.mul(2).sum().backward(); expect(arr(a.grad!)).toEqual(new Array(40).fill(2));
});
c("zeroGrad({ setToNone: false }) with shared grads", () => {
  const a = tg.randn([8, 5], { requiresGrad: true }), b = tg.randn([8, 5], { requiresGrad: true });
  a.mul(2).sum().backward(); b.grad = a.grad!.detach() as any;
  const opt = new tg.optim.SGD([a, b] as any, { lr: 0.1 }); opt.zeroGrad({ setToNone: false });
  b.mul(3).sum().backward(); expect(arr(a.grad!)).toEqual(new Array(40).fill(0));
});
c("optimizer state survives", () => {
  const p = new tg.nn.Parameter(tg.randn([8, 5])); const opt = new tg.optim.Adam([p], { lr: 0.1 });
  p.mul(p).sum().backward(); opt.step(); const st = JSON.stringify(opt.stateDict());
  p.grad!.dispose(); p.grad = null; churn(40); churn(40);
  expect(JSON.stringify(opt.stateDict())).toBe(st);
});
c("stateDict tensors", () => {
  const m = new tg.nn.Linear(8, 5); const sd = m.stateDict() as any; const w = arr(sd.weight);
  sd.weight.dispose(); churn(40); expect(arr(m.weight)).toEqual(w);
});
c("in-place on recycled storage", () => {
  const a = tg.randn([8, 5], { requiresGrad: true });
  const x = tg.randn([8, 5]); x.dispose();
  const y = tg.randn([8, 5]); const z = a.mul(y); (y as any).add_(1);
  expect(() => z.sum().backward()).toThrow();
});
c("version from recycled storage does not trip a saved tensor", () => {
  const a = tg.randn([8, 5], { requiresGrad: true });
  const y = tg.randn([8, 5]); (y as any).add_(1); (y as any).add_(1); y.dispose();
  const y2 = tg.randn([8, 5]); const z = a.mul(y2); z.sum().backward(); expect(arr(a.grad!)).toEqual(arr(y2));
});
c("dataloader batches", () => {
  const ds = new tg.data.TensorDataset(tg.randn([20, 5]), tg.arange(0, 20));
  const dl = new tg.data.DataLoader(ds, { batchSize: 8 });
  const bs: Tensor[][] = []; for (const b of dl as any) bs.push(b);
  const want = bs.map((b) => b.map(arr)); bs[0][0].dispose(); bs[0][1].dispose(); churn(40); churn(8);
  expect(bs.slice(1).map((b) => b.map(arr))).toEqual(want.slice(1));
});
c("dataset items", () => {
  const X = tg.randn([20, 5]); const ds = new tg.data.TensorDataset(X);
  const [item] = (ds as any).get(3); const w = arr(X); item.dispose(); churn(5); expect(arr(X)).toEqual(w);
});
c("clone independence", () => {
  const x = tg.randn([8, 5]); const y = x.clone(); y.dispose(); const k = churn(40); expect(k.every((t) => t.storage !== x.storage)).toBe(true);
});
c("matmul out aliases", () => {
  const a = tg.randn([8, 5]), b = tg.randn([5, 5]); const out = tg.zeros([8, 5]); const r = tg.matmul(a, b, { out } as any);
  expect(r).toBe(out); const r2 = tg.matmul(a, b); const w = arr(r2); const v = r2.view([40]); r2.dispose(); churn(40); expect(arr(v)).toEqual(w);
});
c("transfer / worker", () => {
  const x = tg.randn([8, 5]); const t = x.toTransferable(); const y = tg.fromTransferable(t); const w = arr(y); x.dispose(); churn(40); expect(arr(y)).toEqual(w);
});
c("loss saved input dispose pred", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const tgt = tg.randn([8, 5]);
  const pred = w.mul(1); const loss = tg.nn.functional.mseLoss(pred, tgt); pred.dispose(); tgt.dispose(); churn(40);
  loss.backward(); expect(w.grad!.isnan().any().item()).toBe(0);
});
c("retainGraph twice with dispose", () => {
  const w = tg.randn([8, 5], { requiresGrad: true }); const x = tg.randn([8, 5]); const wx = arr(x);
  const loss = w.mul(x).sum(); x.dispose();
  loss.backward({ retainGraph: true }); churn(40); loss.backward(); expect(arr(w.grad!)).toEqual(wx.map((v) => Math.fround(v * 2)));
});
c("grad used twice by user Function", () => {
  const a = tg.randn([8, 5], { requiresGrad: true });
  const y = a.mul(2); const z1 = y.exp(), z2 = y.sin(); const yg = tg.autograd.grad([z1.sum().add(z2.sum())], [y], { retainGraph: true } as any) as Tensor[];
  const w = arr(yg[0]); z1.sum().add(z2.sum()).backward(); churn(40); expect(arr(yg[0])).toEqual(w);
});

it.each(cases)("%s", (_n, f) => { tg.emptyCache(); f(); });
