// SGD updates a whole parameter group in one native call (sgdSteps). Its results must equal the
// per-parameter update (sgdStep, one call each, as before) bit for bit, across groups with different
// options, momentum buffers created at different steps, parameters without a gradient and both dtypes.
import { afterEach, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native } from "../../lib/native.js";

const { SGD } = tg.optim;
const threads = tg.getNumThreads();
afterEach(() => tg.setNumThreads(threads));
type Opts = { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number; maximize?: boolean };

// The per-parameter reference: PyTorch's single-tensor SGD loop, one sgdStep call per parameter.
function referenceStep(params: tg.Tensor[], bufs: Map<tg.Tensor, tg.Tensor>, o: Opts): void {
  const h = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...o };
  for (const p of params) {
    if (p.grad === null) continue;
    const first = !bufs.has(p);
    if (h.momentum !== 0 && first) bufs.set(p, tg.zeros(p.shape, { dtype: p.dtype as "float32" }));
    const buf = h.momentum !== 0 ? bufs.get(p)!.storage : null;
    native.sgdStep(p.storage, p.grad.contiguous().storage, buf, h.lr, h.momentum, h.dampening, h.weightDecay, h.nesterov, first, h.maximize);
  }
}

function makeParams(seed: number, dtype: "float32" | "float64"): tg.Tensor[] {
  tg.manualSeed(seed);
  return [[300, 70], [70], [5, 300], [5], [1]].map((s) => tg.randn(s, { dtype, requiresGrad: true }));
}

// Fresh gradients each step; parameter 3 gets none in step 0 (its momentum buffer starts at step 1)
// and parameter 4 none in step 2.
function setGrads(params: tg.Tensor[], step: number): void {
  tg.manualSeed(100 + step);
  params.forEach((p, i) => {
    p.grad = (i === 3 && step === 0) || (i === 4 && step === 2) ? null : tg.randn(p.shape, { dtype: p.dtype as "float32" });
  });
}

const groups: [string, Opts, Opts][] = [
  ["plain", { lr: 0.1 }, { lr: 0.01 }],
  ["momentum + dampening + weight decay", { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }, { lr: 0.2, momentum: 0.5 }],
  ["Nesterov + maximize", { lr: 0.05, momentum: 0.9, nesterov: true, maximize: true }, { lr: 0.1, momentum: 0.8, nesterov: true }],
];

describe("SGD: one native call per group equals one call per parameter", () => {
  for (const dtype of ["float32", "float64"] as const)
    for (const [name, a, b] of groups)
      it(`${name}, two groups, ${dtype}`, () => {
        const mine = makeParams(1, dtype), ref = makeParams(1, dtype);
        const opt = new SGD([{ params: mine.slice(0, 2), ...a }, { params: mine.slice(2), ...b }], { lr: 1 });
        const bufs = new Map<tg.Tensor, tg.Tensor>();
        for (let step = 0; step < 4; ++step) {
          setGrads(mine, step), setGrads(ref, step);
          opt.step();
          referenceStep(ref.slice(0, 2), bufs, a), referenceStep(ref.slice(2), bufs, b);
          mine.forEach((p, i) => expect(p.toArray()).toEqual(ref[i].toArray()));
        }
        // The momentum buffers in the state dict are the reference's too.
        if (a.momentum) mine.forEach((p, i) => expect((opt.state.get(p)!.momentumBuffer as tg.Tensor).toArray()).toEqual(bufs.get(ref[i])!.toArray()));
      });

  it("a strided gradient is made dense first, as before", () => {
    const p = tg.randn([3, 4], { requiresGrad: true }), q = p.detach().clone().requiresGrad_();
    const g = tg.randn([4, 3]);
    p.grad = g.t(), q.grad = g.t();
    new SGD([p], 0.1).step();
    referenceStep([q], new Map(), { lr: 0.1 });
    expect(p.toArray()).toEqual(q.toArray());
  });
});

describe("sgdSteps checks every argument before it changes any parameter", () => {
  const f = (...v: number[]) => Float32Array.from(v);
  it("throws on mismatched lists, nulls, wrong lengths and a missing momentum buffer, updating nothing", () => {
    const p0 = f(1, 2), p1 = f(3, 4);
    const call = (ps: (Float32Array | null)[], gs: (Float32Array | Float64Array | null)[], bufs: (Float32Array | null)[], first: Int32Array, mu = 0) =>
      () => native.sgdSteps(ps, gs, bufs, first, 0.1, mu, 0, 0, false, false);
    expect(call([p0, p1], [f(1, 1)], [null, null], Int32Array.of(1, 1))).toThrow(/sgdSteps: expected as many gradients/);
    expect(call([p0, null], [f(1, 1), f(1, 1)], [null, null], Int32Array.of(1, 1))).toThrow(/sgdSteps: parameter 1 or its gradient is null/);
    expect(call([p0, p1], [f(1, 1), f(1)], [null, null], Int32Array.of(1, 1))).toThrow(/its gradient has 1/);
    expect(call([p0, p1], [f(1, 1), new Float64Array(2)], [null, null], Int32Array.of(1, 1))).toThrow(/dtypes differ/);
    expect(call([p0, p1], [f(1, 1), f(1, 1)], [f(0, 0), null], Int32Array.of(1, 1), 0.9)).toThrow(/parameter 1 needs a momentum buffer/);
    expect(call([p0, p1], [f(1, 1), f(1, 1)], [f(0, 0), f(0)], Int32Array.of(1, 1), 0.9)).toThrow(/optimizer state has the wrong length/);
    expect(Array.from(p0)).toEqual([1, 2]);
    expect(Array.from(p1)).toEqual([3, 4]);
  });
});

// The vectorized kernel against PyTorch's per-element formula evaluated in float32 (Math.fround after
// every operation, in the kernel's order): d = ±g + wd·p; b = first ? d : μ·b + (1−τ)·d; p −= lr·(nesterov ? d + μ·b : b).
describe("sgd kernel equals the float32 scalar formula bit for bit", () => {
  const r = Math.fround;
  for (const [first, nesterov, maximize] of [[true, false, false], [false, false, true], [false, true, false], [true, true, true]])
    it(`first ${first}, nesterov ${nesterov}, maximize ${maximize}`, () => {
      tg.manualSeed(5);
      const n = 40013;  // several 16 Ki-element chunks and a ragged tail
      const p = tg.randn([n]).storage as Float32Array, g = tg.randn([n]).storage as Float32Array, buf = tg.randn([n]).storage as Float32Array;
      const [lr, mu, tau, wd] = [0.05, 0.9, nesterov ? 0 : 0.25, 0.01];
      const [lrT, muT, dampT, wdT] = [r(lr), r(mu), r(1 - tau), r(wd)];
      const ep = Float32Array.from(p), eb = Float32Array.from(buf);
      for (let i = 0; i < n; ++i) {
        const d = r((maximize ? -g[i] : g[i]) + r(wdT * ep[i]));
        const b = first ? d : r(r(muT * eb[i]) + r(dampT * d));
        eb[i] = b;
        ep[i] = r(ep[i] - r(lrT * (nesterov ? r(d + r(muT * b)) : b)));
      }
      for (const t of [1, 2]) {
        tg.setNumThreads(t);
        const pp = Float32Array.from(p), bb = Float32Array.from(buf);
        native.sgdSteps([pp], [g], [bb], Int32Array.of(first ? 1 : 0), lr, mu, tau, wd, nesterov, maximize);
        expect(Buffer.from(pp.buffer).equals(Buffer.from(ep.buffer))).toBe(true);
        expect(Buffer.from(bb.buffer).equals(Buffer.from(eb.buffer))).toBe(true);
      }
    });
});
