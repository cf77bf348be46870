// Shared by the edge tests: comparison with PyTorch values that keeps NaN, ±inf and -0 apart.
import { expect } from "vitest";
import * as tg from "../../lib/index.js";

export type Nested = number | readonly Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? (v as Nested[]).flatMap(flat) : [v as number]);

// Equal as PyTorch prints them: NaN to NaN, ±inf exactly, zeros with their sign (unless
// `signedZeros` is false), others to rtol.
export function expectSame(got: tg.Tensor | number, want: Nested, what: string, rtol = 1e-12, signedZeros = true): void {
  const g = typeof got === "number" ? [got] : Array.from(got.data()), w = flat(want);
  expect(g.length, `${what}: element count`).toBe(w.length);
  g.forEach((v, i) => {
    const e = w[i];
    const ok = Number.isNaN(e) ? Number.isNaN(v) : e === 0 || !Number.isFinite(e) ? Object.is(v, e) || (!signedZeros && v === e) : Math.abs(v - e) <= rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}, element ${i}: got ${Object.is(v, -0) ? "-0" : v}, PyTorch gives ${Object.is(e, -0) ? "-0" : e}; all: [${g.join(", ")}]`);
  });
}

