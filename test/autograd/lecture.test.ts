// The worked examples of the backprop lecture, and how the basic gates route gradients.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64 } from "../ops/util.js";

const scalar = (v: number) => tg.tensor(v, { requiresGrad: true, dtype: "float64" });

describe("lecture examples", () => {
  it("f(x, y, z) = (x + y)·z at (-2, 5, -4) is -12 with gradients (-4, -4, 3)", () => {
    const x = scalar(-2), y = scalar(5), z = scalar(-4);
    const f = x.add(y).mul(z);
    f.backward();
    expect(f.item()).toBe(-12);
    expect([x.grad!.item(), y.grad!.item(), z.grad!.item()]).toEqual([-4, -4, 3]);
  });
  it("sigmoid neuron: w = (2, -3, -3), x = (-1, -2) gives dw ≈ (-0.20, -0.39, 0.20), dx ≈ (0.39, -0.59)", () => {
    const w = f64([2, -3, -3], true), x = f64([-1, -2], true);
    const dot = w.slice(0, 0, 2).mul(x).sum().add(w.select(0, 2));
    const f = dot.sigmoid();
    expect(f.item()).toBeCloseTo(0.7311, 4);
    f.backward();
    expectClose(w.grad!, [-0.19661193324148185, -0.3932238664829637, 0.19661193324148185], 1e-12);
    expectClose(x.grad!, [0.3932238664829637, -0.5898357997244456], 1e-12);
    expect(Array.from(w.grad!.data(), (v) => Math.round(v * 100) / 100)).toEqual([-0.2, -0.39, 0.2]);
    expect(Array.from(x.grad!.data(), (v) => Math.round(v * 100) / 100)).toEqual([0.39, -0.59]);
  });
  it("the same neuron written with explicit exp/div gates gives the same gradients", () => {
    const w = f64([2, -3, -3], true), x = f64([-1, -2], true);
    const dot = w.slice(0, 0, 2).mul(x).sum().add(w.select(0, 2));
    tg.div(1, dot.neg().exp().add(1)).backward();
    expectClose(w.grad!, [-0.19661193324148185, -0.3932238664829637, 0.19661193324148185], 1e-12);
    expectClose(x.grad!, [0.3932238664829637, -0.5898357997244456], 1e-12);
  });
});

describe("gate behaviour", () => {
  it("add distributes the gradient unchanged to both inputs", () => {
    const a = scalar(3), b = scalar(-7);
    a.add(b).mul(5).backward();
    expect([a.grad!.item(), b.grad!.item()]).toEqual([5, 5]);
  });
  it("max routes the gradient to the larger input only", () => {
    const a = scalar(3), b = scalar(-7);
    tg.maximum(a, b).mul(5).backward();
    expect([a.grad!.item(), b.grad!.item()]).toEqual([5, 0]);
    const v = f64([1, 4, 2], true);
    v.max().mul(2).backward();
    expectClose(v.grad!, [0, 2, 0]);
  });
  it("mul switches: each input gets the gradient times the other input", () => {
    const a = scalar(3), b = scalar(-7);
    a.mul(b).mul(2).backward();
    expect([a.grad!.item(), b.grad!.item()]).toEqual([-14, 6]);
  });
});
