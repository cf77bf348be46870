// nonzero: int32 [k, ndim] indices in row-major order, and the asTuple form, against PyTorch 1.13
// (test/ops/gen-reference.py), with NaN, −0, ±inf, 0-d, empty and strided inputs.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { f64, i32 } from "./util.js";
import * as ref from "./reference.js";

const N = ref.nonzero;
type Case = (typeof N)["2-d"];

function expectNonzero(x: tg.Tensor, want: Case): void {
  const y = x.nonzero();
  expect(y.dtype).toBe("int32");
  expect(y.shape).toEqual(want.shape);
  expect(y.toArray()).toEqual(want.y);
  const cols = tg.nonzero(x, { asTuple: true });
  expect(cols.map((c) => c.toArray())).toEqual(want.tuple);
  cols.forEach((c) => expect(c.dtype).toBe("int32"));
}

describe("nonzero matches PyTorch", () => {
  it("2-d, with NaN counted as nonzero", () => expectNonzero(f64([[0, 1, 0], [2, 0, NaN]]), N["2-d"]));
  it("1-d edges: NaN, ±inf and a denormal count, −0 does not", () =>
    expectNonzero(f64([NaN, -0, 0, Infinity, -Infinity, 1e-300, -1]), N.edges));
  it("3-d int32", () => expectNonzero(i32([[[0, 3], [0, 0]], [[-1, 0], [0, 5]], [[0, 0], [7, 0]]]), N["3-d int"]));
  it("a transposed (strided) input is read in its own row-major order", () =>
    expectNonzero(f64([[0, 1, 2], [3, 0, 4]]).t(), N.transposed));
  it("0-d: [1, 0] or [0, 0]; asTuple treats it as 1-d", () => {
    expectNonzero(tg.tensor(5), N["0-d"]);
    expectNonzero(tg.tensor(0), N["0-d zero"]);
  });
  it("empty and all-zero inputs give no rows", () => {
    expectNonzero(tg.zeros(0, 3), N.empty);
    expectNonzero(tg.zeros(2, 3), N["all zero"]);
  });
  it("float32 and a narrowed view", () => {
    const x = tg.tensor([[0, 1.5, 0, -2], [0, 0, 3, 0]]);
    expect(x.nonzero().toArray()).toEqual([[0, 1], [0, 3], [1, 2]]);
    expect(x.narrow(1, 1, 2).nonzero().toArray()).toEqual([[0, 0], [1, 1]]);
  });
  it("asTuple gives index tensors usable with indexSelect", () => {
    const x = tg.tensor([3, 0, 5, 0, 7]);
    const [i] = x.nonzero({ asTuple: true });
    expect(x.indexSelect(0, i).toArray()).toEqual([3, 5, 7]);
  });
  it("is not recorded by autograd", () => {
    const x = tg.tensor([1, 0, 2], { requiresGrad: true });
    const y = x.nonzero();
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
  it("bad arguments name the op and the argument", () => {
    expect(() => tg.nonzero([1, 0] as never)).toThrow(/nonzero: expected a Tensor, got/);
    expect(() => tg.ones(2).nonzero({ as_tuple: true } as never)).toThrow(/nonzero: unknown option "as_tuple"; did you mean "asTuple"/);
    expect(() => tg.ones(2).nonzero({ asTuple: 1 } as never)).toThrow(/nonzero: asTuple must be a boolean, got number/);
  });
});
