import { expect } from "vitest";
import type { Tensor } from "../../lib/index.js";

type Nested = number | Nested[];

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

// Element-wise closeness of a tensor to expected (possibly nested) values.
const shapeOf = (v: Nested): number[] => (Array.isArray(v) ? [v.length, ...(v.length ? shapeOf(v[0]) : [])] : []);

export function expectClose(t: Tensor, expected: Nested, tol = 1e-6): void {
  expect(t.shape).toEqual(shapeOf(expected));
  const got = flat(t.toArray()), want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]))));
}
