// PyTorch's snake_case spellings on Tensor, Module and Optimizer throw naming the camelCase member
// (lib/snake-case-hints.ts), instead of "is not a function" or a silent undefined.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("PyTorch spellings", () => {
  const x = tg.randn([2, 3], { requiresGrad: true });
  const model = new tg.nn.Sequential(new tg.nn.Linear(3, 2));
  const opt = new tg.optim.SGD(model.parameters(), 0.1);
  it.each([
    ["x.requires_grad", () => x.requires_grad, "use x.requiresGrad$"],
    ["x.grad_fn", () => x.mul(2).grad_fn, "use x.gradFn$"],
    ["x.index_select(...)", () => x.index_select(0, tg.tensor([0], { dtype: "int32" })), "use x.indexSelect\\(\\)$"],
    ["x.masked_fill(...)", () => x.masked_fill(x.gt(0), 0), "use x.maskedFill\\(\\)$"],
    ["model.state_dict()", () => model.state_dict(), "use model.stateDict\\(\\)$"],
    ["model.named_parameters()", () => model.named_parameters(), "use model.namedParameters\\(\\)$"],
    ["model.load_state_dict(...)", () => model.load_state_dict({}), "use model.loadStateDict\\(\\)$"],
    ["opt.zero_grad()", () => opt.zero_grad(), "use opt.zeroGrad\\(\\)$"],
    ["opt.load_state_dict(...)", () => opt.load_state_dict({}), "use opt.loadStateDict\\(\\)$"],
  ] as [string, () => unknown, string][])("%s names the camelCase member", (spelled, read, want) => {
    const owner = spelled.split(".")[0], name = spelled.split(".")[1].replace(/\(.*$/, "");
    expect(read).toThrow(new RegExp(`^${owner}\\.${name}: tensorgrad spells PyTorch's names in camelCase; ${want}`));
  });
  it("a subclass may still use a snake_case field name", () => {
    class Net extends tg.nn.Module {
      state_dict = 5;
      forward(t: tg.Tensor) { return t; }
    }
    expect(new Net().state_dict).toBe(5);
    expect(new Net().stateDict()).toEqual({});
  });
});

describe("assigning a snake_case twin", () => {
  it("of a property throws (p.requires_grad = false would freeze nothing); of a method it makes a field", () => {
    const p = tg.ones([2], { requiresGrad: true });
    expect(() => { p.requires_grad = false; }).toThrow(/^x\.requires_grad: tensorgrad spells PyTorch's names in camelCase; use x\.requiresGrad$/);
    expect(p.requiresGrad).toBe(true);
    const opt = new tg.optim.SGD([p], { lr: 0.1 });
    expect(() => opt.param_groups).toThrow(/use opt\.paramGroups$/);
    class Net extends tg.nn.Module {
      forward(x: tg.Tensor) { return x; }
    }
    const net = new Net() as tg.nn.Module & { state_dict: unknown };
    net.state_dict = 7;
    expect(net.state_dict).toBe(7);
  });
});

declare module "../../lib/tensor.js" {
  interface Tensor { requires_grad: unknown; grad_fn: unknown; index_select(...a: unknown[]): unknown; masked_fill(...a: unknown[]): unknown }
}
declare module "../../lib/nn/module.js" {
  interface Module { state_dict(): unknown; named_parameters(): unknown; load_state_dict(sd: unknown): unknown }
}
declare module "../../lib/optim/optimizer.js" {
  interface Optimizer { zero_grad(): unknown; load_state_dict(sd: unknown): unknown; param_groups: unknown }
}
