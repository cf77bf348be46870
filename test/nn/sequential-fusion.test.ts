// Sequential runs Linear→ReLU as one fused op; values and gradients must equal the two modules run
// one after the other.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("Sequential fuses Linear followed by ReLU", () => {
  it("gives the same output and gradients as running each module", () => {
    tg.manualSeed(7);
    const model = new tg.nn.Sequential(new tg.nn.Linear(5, 6), new tg.nn.ReLU(), new tg.nn.Linear(6, 3));
    const x = tg.randn([4, 5], { requiresGrad: true });
    const fused = model.forward(x);
    expect((model.at(0) as tg.nn.Linear).forward(x).toString()).toMatch(/grad_fn=<LinearBackward0>/);
    const first = new tg.nn.Sequential(model.at(0), model.at(1)).forward(x);
    expect(first.toString()).toMatch(/grad_fn=<LinearReluBackward0>/);  // the fused op ran
    fused.sum().backward();
    const fusedGrads = [x, ...model.parameters()].map((t) => t.grad!.toArray());

    for (const t of [x, ...model.parameters()]) t.grad = null;
    let h = x;
    for (const m of model) h = m.forward(h);  // module by module, no fusion
    expect(h.toArray()).toEqual(fused.toArray());
    h.sum().backward();
    const grads = [x, ...model.parameters()].map((t) => t.grad!.toArray());
    expect(grads).toEqual(fusedGrads);
  });
  it("passes gradCheck in float64", () => {
    tg.manualSeed(8);
    const model = new tg.nn.Sequential(new tg.nn.Linear(3, 4, { dtype: "float64" }), new tg.nn.ReLU());
    const [w, b] = model.parameters();
    // The functional path (fused linear, then ReLU) with weight and bias as checked inputs too.
    const f = (x: tg.Tensor, wv: tg.Tensor, bv: tg.Tensor) => tg.nn.functional.relu(tg.nn.functional.linear(x, wv, bv));
    expect(tg.gradCheck((x) => model.forward(x), [tg.randn([5, 3], { dtype: "float64" })])).toBe(true);
    expect(tg.gradCheck(f, [tg.randn([5, 3], { dtype: "float64" }), w.detach().clone(), b.detach().clone()])).toBe(true);
  });
});
