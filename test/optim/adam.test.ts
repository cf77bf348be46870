// Adam and AdamW against steps computed by hand (float64, fixed gradients).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

function run(make: (p: tg.Tensor) => tg.optim.Optimizer<any>, grads: number[][]): number[][] {
  const p = tg.tensor([1, -2], { dtype: "float64", requiresGrad: true });
  const opt = make(p);
  return grads.map((g) => {
    p.grad = tg.tensor(g, { dtype: "float64" });
    opt.step();
    return Array.from(p.data());
  });
}
const close = (got: number[], want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));

describe("Adam by hand", () => {
  const g = [0.5, 1], eps = 1e-8, lr = 0.1;
  it("with a constant gradient each bias-corrected step is lr·g/(|g| + eps)", () => {
    // m̂ = g and v̂ = g² at every step when the gradient does not change.
    const [s1, s2] = run((p) => new tg.optim.Adam([p], { lr }), [g, g]);
    const d = g.map((x) => (lr * x) / (Math.abs(x) + eps));
    close(s1, [1 - d[0], -2 - d[1]]);
    close(s2, [1 - 2 * d[0], -2 - 2 * d[1]]);
  });
  it("L2 weight decay is added to the gradient", () => {
    const [s1] = run((p) => new tg.optim.Adam([p], { lr, weightDecay: 0.1 }), [g]);
    const ge = [0.5 + 0.1 * 1, 1 + 0.1 * -2];
    close(s1, [1 - (lr * ge[0]) / (Math.abs(ge[0]) + eps), -2 - (lr * ge[1]) / (Math.abs(ge[1]) + eps)]);
  });
  it("AdamW shrinks the weights by 1 − lr·wd before the Adam step", () => {
    const [s1] = run((p) => new tg.optim.AdamW([p], { lr, weightDecay: 0.5 }), [g]);
    close(s1, [1 * 0.95 - (lr * 0.5) / (0.5 + eps), -2 * 0.95 - (lr * 1) / (1 + eps)]);
  });
  it("AdamW's weight decay defaults to 1e-2", () => {
    const p = tg.tensor([1], { requiresGrad: true });
    expect(new tg.optim.AdamW([p]).paramGroups[0].weightDecay).toBe(1e-2);
    expect(new tg.optim.Adam([p]).paramGroups[0].weightDecay).toBe(0);
  });
  it("amsgrad keeps the running maximum of v", () => {
    const b1 = 0.9, b2 = 0.5;
    const [, s2] = run((p) => new tg.optim.Adam([p], { lr, betas: [b1, b2], amsgrad: true }), [[1, 1], [0.1, 0.1]]);
    // step 1: m = 0.1, v = vmax = 0.5; step 2: m = 0.1, v = 0.255 < vmax
    const step1 = (lr / (1 - b1)) * (0.1 / (Math.sqrt(0.5) / Math.sqrt(1 - b2) + eps));
    const step2 = (lr / (1 - b1 * b1)) * (0.1 / (Math.sqrt(0.5) / Math.sqrt(1 - b2 * b2) + eps));
    close(s2, [1 - step1 - step2, -2 - step1 - step2]);
  });
  it("maximize negates the gradient", () => {
    const [s1] = run((p) => new tg.optim.Adam([p], { lr, maximize: true }), [g]);
    close(s1, [1 + (lr * 0.5) / (0.5 + eps), -2 + lr / (1 + eps)]);
  });
  it("keeps step, expAvg and expAvgSq per parameter", () => {
    const p = tg.tensor([1, -2], { dtype: "float64", requiresGrad: true });
    const opt = new tg.optim.Adam([p]);
    p.grad = tg.tensor([0.5, 1], { dtype: "float64" });
    opt.step();
    const st = opt.state.get(p)!;
    expect(st.step).toBe(1);
    close(Array.from((st.expAvg as tg.Tensor).data()), [0.05, 0.1]);
    close(Array.from((st.expAvgSq as tg.Tensor).data()), [0.00025, 0.001]);
    expect(st.maxExpAvgSq).toBeUndefined();
  });
  it("rejects bad betas and eps", () => {
    const p = tg.tensor([1], { requiresGrad: true });
    expect(() => new tg.optim.Adam([p], { betas: [1, 0.999] })).toThrow("Adam: invalid beta1 1");
    expect(() => new tg.optim.AdamW([p], { betas: [0.9, -0.1] })).toThrow("AdamW: invalid beta2 -0.1");
    expect(() => new tg.optim.Adam([p], { eps: -1e-8 })).toThrow(RangeError);
    expect(() => new tg.optim.Adam([p], { lr: NaN })).toThrow("Adam: invalid learning rate NaN");
  });
});
