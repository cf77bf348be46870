import { expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";

// Random graphs over small tensors; run once keeping everything, once disposing random intermediates
// before backward and used-up gradients between backward passes, churning the free lists in between
// (with hooks that keep or replace gradients, retainGrad, zero_() of .grad, autograd.grad, retainGraph).
// Leaf gradients and every gradient a hook kept must be equal.
function rng(seed: number) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); }
function churn(n: number) { const k: Tensor[] = []; for (const d of ["float32", "float64"] as const) for (let i = 0; i < 9; ++i) { const t = Tensor.output([n], d); t.storage.fill(555.5); k.push(t); } k.forEach((t) => t.dispose()); }
const F = tg.nn.functional as any;
const unary: ((x: Tensor) => Tensor)[] = [
  (x) => x.mul(1.5), (x) => x.tanh(), (x) => x.sigmoid(), (x) => x.exp().mul(0.1), (x) => x.relu(), (x) => x.reshape([-1]).reshape(x.shape),
  (x) => x.t().contiguous().t(), (x) => x.detach().requiresGrad_(false).add(x), (x) => tg.softmax(x, 1), (x) => x.mul(x),
  (x) => x.clone(), (x) => x.contiguous(), (x) => (x as any).float(), (x) => x.sub(x.mean(1, true)), (x) => x.abs(),
  (x) => tg.cat(tg.chunk(x, 2, 1), 1), (x) => (tg.max(x, 1, { keepdim: true } as any) as any)[0].expand(x.shape).add(x),
  (x) => (tg.sort(x, 1) as any)[0], (x) => x.square().sqrt(), (x) => x.narrow(1, 0, x.shape[1]).mul(2),
];
const binary: ((a: Tensor, b: Tensor) => Tensor)[] = [(a, b) => a.add(b), (a, b) => a.mul(b), (a, b) => a.sub(b.mul(0.5)), (a, b) => tg.matmul(a, b.t()).sum(1, true).expand(a.shape).add(a)];
function run(seed: number, dispose: boolean, hooks: boolean) {
  const r = rng(seed); tg.manualSeed(seed);
  const rows = 2 + Math.floor(r() * 10), cols = 3 + Math.floor(r() * 40);
  const leaves = [0, 1, 2].map(() => tg.randn([rows, cols], { requiresGrad: true }));
  const nodes: Tensor[] = [...leaves]; const kept: Tensor[] = [];  // gradients hooks saw, and autograd.grad's
  for (let i = 0; i < 12; ++i) {
    const pick = () => nodes[Math.floor(r() * nodes.length)];
    const y = r() < 0.6 ? unary[Math.floor(r() * unary.length)](pick()) : binary[Math.floor(r() * binary.length)](pick(), pick());
    if (hooks && r() < 0.2) y.registerHook((g: Tensor) => { kept.push(g); });
    if (hooks && r() < 0.1) { const m = r() * 2; y.registerHook((g: Tensor) => g.mul(m)); }
    if (hooks && r() < 0.2) y.retainGrad();
    nodes.push(y);
  }
  const loss = nodes.slice(3).reduce((a, t) => a.add(t.mul(0.01).sum()), tg.tensor(0));
  if (dispose) { for (const t of nodes.slice(3)) if (r() < 0.7) t.dispose(); churn(rows * cols); churn(rows); churn(cols); }
  else for (const _ of nodes.slice(3)) r();
  loss.backward({ retainGraph: true });
  if (dispose) { churn(rows * cols); churn(rows); }
  if (hooks) { const ga = leaves.map((l) => l.grad); for (const l of leaves) if (l.grad && r() < 0.5) l.grad.zero_(); if (dispose) churn(rows * cols); void ga; }
  const [g0] = tg.autograd.grad([loss], [leaves[0]], { retainGraph: true, allowUnused: true } as any) as (Tensor | null)[];
  if (dispose) { for (const l of leaves.slice(1)) if (l.grad && r() < 0.3) { const g = l.grad; l.grad = null; g.dispose(); } churn(rows * cols); }
  else for (const l of leaves.slice(1)) if (l.grad && r() < 0.3) l.grad = null;
  loss.backward();
  if (dispose) churn(rows * cols);
  kept.push(...(g0 ? [g0] : []));
  const out = [...leaves.map((l) => (l.grad ? Array.from(l.grad.data()) : null)), ...kept.map((k) => Array.from(k.data()))];
  return out;
}
it.each(Array.from({ length: 150 }, (_, i) => i))("random graph %i: disposing intermediates changes no gradient", (seed) => {
  tg.emptyCache();
  const hooks = seed % 2 === 1;
  const a = run(seed, false, hooks); tg.emptyCache();
  const b = run(seed, true, hooks);
  expect(b).toEqual(a);
});
