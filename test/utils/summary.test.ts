// tg.summary: layers in call order with output shapes and parameter counts, totals and sizes.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const { nn } = tg;

describe("summary", () => {
  it("tabulates an MLP: rows in call order, shapes, own parameter counts, totals, sizes", () => {
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
    model.at(2).requiresGrad_(false);
    const s = tg.summary(model, [64, 2], { print: false });
    expect(s.rows.map((r) => [r.name, r.type, r.depth, r.outputShape, r.params])).toEqual([
      ["", "Sequential", 0, [[64, 3]], 0],
      ["0", "Linear", 1, [[64, 16]], 48],
      ["1", "ReLU", 1, [[64, 16]], 0],
      ["2", "Linear", 1, [[64, 3]], 51],
    ]);
    expect([s.totalParams, s.trainableParams]).toEqual([99, 48]);
    expect(s.inputBytes).toBe(64 * 2 * 4);
    expect(s.activationBytes).toBe((64 * 16 * 2 + 64 * 3) * 4);  // leaves only: the container's output is its last child's
    expect(s.paramBytes).toBe(99 * 4);
    const text = String(s);
    expect(text).toContain("  0 (Linear)  [64, 16]           48");
    expect(text).toContain("Total params: 99\nTrainable params: 48\nNon-trainable params: 51");
  });
  it("leaves the model as it was: training mode, no hooks (the fused path runs again)", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    tg.summary(model, tg.ones([1, 2]), { print: false });
    expect(model.training).toBe(true);
    expect([...model.modules()].every((m) => !Object.keys(m).includes("forward"))).toBe(true);
    const x = tg.ones([1, 2], { requiresGrad: true });
    expect(model.forward(x).gradFn!.name).toBe("LinearReluBackward");
  });
  it("a module called twice gets two rows; several inputs; int inputs", () => {
    class Twice extends nn.Module {
      lin = new nn.Linear(3, 3);
      forward(a: tg.Tensor, b: tg.Tensor) { return this.lin.forward(this.lin.forward(a).add(b)); }
    }
    const s = tg.summary(new Twice(), [[2, 3], [2, 3]], { print: false });
    expect(s.rows.map((r) => r.name)).toEqual(["", "lin", "lin"]);
    expect(s.rows[1].params).toBe(12);
    expect(s.totalParams).toBe(12);
  });
  it("checks its arguments", () => {
    expect(() => tg.summary({} as never, [1, 2])).toThrow("summary: model must be a tg.nn.Module");
    expect(() => tg.summary(new nn.ReLU(), "x" as never)).toThrow(/summary: inputShape must be a shape such as \[1, 784\]/);
    expect(() => tg.summary(new nn.ReLU(), [1], { verbose: 1 } as never)).toThrow(/unknown option "verbose"/);
  });
});
