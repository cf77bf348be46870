// tg.autograd.functional.jacobian and vjp against hand values and PyTorch 1.13's numbers
// (functional-reference.json, made by gen-functional-reference.py).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import * as tg from "../../lib/index.js";
import { expectClose, f64 } from "../ops/util.js";

const ref = JSON.parse(readFileSync(new URL("./functional-reference.json", import.meta.url), "utf8"));
const f = (a: tg.Tensor, b: tg.Tensor) => [a.mul(b).tanh().sum(1), a.exp().matmul(b.t())];

describe("autograd.functional", () => {
  it("jacobian of a Linear layer is its weight", () => {
    tg.manualSeed(1);
    const lin = new tg.nn.Linear(3, 2, { dtype: "float64" });
    const J = tg.autograd.functional.jacobian((x) => lin.forward(x), f64([0.5, -1, 2])) as tg.Tensor;
    expect(J.toArray()).toEqual(lin.weight.toArray());
    expect(lin.weight.grad).toBeNull();
  });
  it("jacobian of elementwise sigmoid is diag(σ(1 − σ))", () => {
    const x = f64([-1, 0, 2]);
    const J = tg.autograd.functional.jacobian((v) => v.sigmoid(), x) as tg.Tensor;
    const s = [-1, 0, 2].map((v) => 1 / (1 + Math.exp(-v)));
    expectClose(J, s.map((si, i) => s.map((_, j) => (i === j ? si * (1 - si) : 0))), 1e-12);
    expect(x.requiresGrad).toBe(false);
  });
  it("jacobian with several inputs and outputs matches PyTorch", () => {
    const J = tg.autograd.functional.jacobian(f, [f64(ref.x), f64(ref.w)], { vectorize: true }) as tg.Tensor[][];
    J.forEach((row, i) => row.forEach((t, k) => expectClose(t, ref.J[i][k], 1e-12)));
    expect(J[1][0].shape).toEqual([2, 2, 2, 3]);
  });
  it("vjp matches PyTorch and returns the outputs", () => {
    const [out, g] = tg.autograd.functional.vjp(f, [f64(ref.x), f64(ref.w)], ref.v.map((v: number[]) => f64(v))) as [tg.Tensor[], tg.Tensor[]];
    expect(out.length).toBe(2);
    g.forEach((t, k) => expectClose(t, ref.vjp[k], 1e-12));
  });
  it("vjp of a scalar function needs no v; an output not depending on an input gives zeros", () => {
    const [y, g] = tg.autograd.functional.vjp((a) => a.mul(a).sum(), f64([1, 2])) as [tg.Tensor, tg.Tensor];
    expect(y.item()).toBe(5);
    expect(g.toArray()).toEqual([2, 4]);
    const [, z] = tg.autograd.functional.vjp((a, b) => a.mul(2).sum(), [f64([1]), f64([3])]) as [tg.Tensor, tg.Tensor[]];
    expect(z[1].toArray()).toEqual([0]);
    expect(() => tg.autograd.functional.vjp((a) => a.mul(2), f64([1, 2]))).toThrow(/vjp: the output has shape \[2\]; pass v/);
  });
  it("unknown options are refused", () => {
    expect(() => tg.autograd.functional.jacobian((a) => a, f64([1]), { vectorise: true } as never)).toThrow(/did you mean "vectorize"/);
  });
});
