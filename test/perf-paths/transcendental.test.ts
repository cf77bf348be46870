// exp, tanh and sigmoid on float32 against float64 references, on every kernel path this CPU has.
// The AVX2/AVX-512 paths use their own polynomial kernels for unit-stride runs (transcendental_simd.cc);
// the scalar path and strided runs use libm. Every element must be within 2 ulp (float32 ulps, also in
// the subnormal range) or 4e-7 relative of the exact value, with signs of zero, infinities and NaN as libm.
import { afterAll, describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { native, type Isa } from "../../lib/native.js";

const F32_MIN_NORMAL = 2 ** -126;

// The spacing of float32 values around |v| (2^-149 below the normal range).
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < F32_MIN_NORMAL) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (e - 23);
}

function sweep(): Float32Array {
  const special = [
    0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-40, -1e-40, 1e-30, -1e-30, 1e-8, -1e-8, 20, -20, 100, -100,
    0.625, -0.625, Math.fround(0.625) - 2 ** -24, 9, 9.02, 10, -10, 88.72, 88.73, 89, -87.4, -103.97, -104, -110,
  ];
  const values = [...special];
  for (let x = -110; x <= 110; x += 0.00731) values.push(x);  // not a multiple of the lane count either
  for (let k = -140; k <= 6; k += 0.25) values.push(2 ** k, -(2 ** k));
  return Float32Array.from(values);
}

type Ref = (x: number) => number;
const ops: [string, (t: tg.Tensor) => tg.Tensor, Ref][] = [
  ["exp", tg.exp, Math.exp],
  ["tanh", tg.tanh, Math.tanh],
  ["sigmoid", tg.sigmoid, (x) => (x > -80 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))],
];

interface Worst {
  ulp: number;
  rel: number;
  failures: string[];
}

function compare(xs: Float32Array, got: ArrayLike<number>, ref: Ref): Worst {
  const worst: Worst = { ulp: 0, rel: 0, failures: [] };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], y = got[i], r = ref(x);
    const fail = (why: string) => worst.failures.length < 5 && worst.failures.push(`x=${x}: got ${y}, want ${r} (${why})`);
    if (Number.isNaN(r)) {
      if (!Number.isNaN(y)) fail("NaN expected");
      continue;
    }
    const r32 = Math.fround(r);
    if (!Number.isFinite(r32) || r32 === 0) {
      if (!Object.is(y, r32)) fail("exact value expected");
      continue;
    }
    const ulps = Math.abs(y - r) / ulp32(r), rel = Math.abs(y - r) / Math.abs(r);
    worst.ulp = Math.max(worst.ulp, ulps);
    if (Math.abs(r) >= F32_MIN_NORMAL) worst.rel = Math.max(worst.rel, rel);
    if (!(ulps <= 2 || rel <= 4e-7)) fail(`${ulps.toFixed(2)} ulp, ${rel.toExponential(2)} relative`);
  }
  return worst;
}

const initial = tg.cpuIsa();
afterAll(() => {
  tg.setCpuIsa(initial);
});

describe.each(native.isas as Isa[])("exp, tanh, sigmoid on the %s path", (isa) => {
  const xs = sweep();
  for (const [name, f, ref] of ops) {
    it(`${name}: contiguous float32 within 2 ulp or 4e-7`, (ctx) => {
      if (tg.setCpuIsa(isa) !== isa) ctx.skip();
      const worst = compare(xs, f(tg.tensor(xs)).data(), ref);
      expect(worst.failures).toEqual([]);
    });
    it(`${name}: strided and offset views agree with the contiguous result`, (ctx) => {
      if (tg.setCpuIsa(isa) !== isa) ctx.skip();
      const n = xs.length - (xs.length % 2);
      const grid = tg.tensor(xs.subarray(0, n), { shape: [n / 2, 2] });
      const column = grid.transpose(0, 1);                         // rows with stride 2
      const tail = tg.tensor(xs).narrow(0, 3, xs.length - 3);      // unit stride from offset 3
      const worstCol = compare(column.contiguous().data() as Float32Array, f(column).data(), ref);
      const worstTail = compare(xs.subarray(3), f(tail).data(), ref);
      expect([...worstCol.failures, ...worstTail.failures]).toEqual([]);
    });
  }
});
