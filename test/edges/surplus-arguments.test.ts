// JavaScript drops arguments a function does not declare; PyTorch refuses them ("takes from 1 to 3
// positional arguments but 4 were given"). Every public function and Tensor method refuses them too, with a
// TypeError naming its parameters (lib/arity.ts): `tg.cat(ts, 1, {dim: 0})` used to concatenate along 1 and
// `x.sum(1, true, "float64")` to drop the dtype, without a word.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { parameterNames } from "../../lib/arity.js";

// Every public function: those of `tg` and of every namespace inside it (tg.nn.functional, tg.autograd.functional,
// …); classes (capitalised) are checked below.
type AnyFn = (...args: unknown[]) => unknown;
function functionsIn(ns: object, prefix: string, out: [string, AnyFn][] = []): [string, AnyFn][] {
  for (const [name, v] of Object.entries(ns)) {
    if (typeof v === "function" && !/^[A-Z]/.test(name)) out.push([`${prefix}.${name}`, v as AnyFn]);
    else if (v && typeof v === "object" && Object.prototype.toString.call(v) === "[object Module]") functionsIn(v, `${prefix}.${name}`, out);
  }
  return out;
}
const functions = functionsIn(tg, "tg");
// A rest parameter takes any number by design (tg.zeros(2, 3, 4)); those functions check what they get.
const bounded = functions.filter(([, f]) => parameterNames(f) !== null);
const REFUSED = /: takes (at most \d+ arguments? \(.*\)|no arguments), got \d+/;

// What a call with `n` arguments, all undefined, did: the error's message, or "" when it did not throw.
async function call(f: AnyFn, thisArg: unknown, n: number): Promise<string> {
  try {
    await f.apply(thisArg, Array(n).fill(undefined));
    return "";
  } catch (e) {
    return e instanceof TypeError ? e.message : `not a TypeError: ${(e as Error).message}`;
  }
}

// Every exported class but Tensor (whose methods are checked above): the capitalised functions of the namespaces.
function exportedClasses(ns: object = tg, out = new Set<AnyFn>()): Set<AnyFn> {
  for (const [name, v] of Object.entries(ns)) {
    if (typeof v === "function" && /^[A-Z]/.test(name) && v !== tg.Tensor) out.add(v as AnyFn);
    else if (v && typeof v === "object" && Object.prototype.toString.call(v) === "[object Module]") exportedClasses(v, out);
  }
  return out;
}

describe("surplus arguments", () => {
  it("finds the public functions (sanity); those with a rest parameter check what they get", async () => {
    expect(functions.length).toBeGreaterThan(120);
    const rest = functions.filter(([, f]) => parameterNames(f) === null);
    expect(rest.map(([n]) => n).sort()).toEqual(["tg.arange", "tg.cpuIsa", "tg.empty", "tg.emptyCache", "tg.eye", "tg.full",
      "tg.getNumThreads", "tg.memoryStats", "tg.ones", "tg.rand", "tg.randint", "tg.randn", "tg.zeros"]);
    // The four that take nothing refuse anything (lib/options.ts noArguments).
    for (const [, f] of rest.filter(([n]) => /cpuIsa|emptyCache|getNumThreads|memoryStats/.test(n))) expect(await call(f, undefined, 1)).toMatch(/takes no arguments/);
  });

  it.each(bounded)("%s refuses one argument more than it declares", async (_name, f) => {
    expect(await call(f, undefined, parameterNames(f)!.length + 1)).toMatch(REFUSED);
  });

  it("every other Tensor method refuses surplus arguments (or takes sizes as a rest parameter)", async () => {
    const x = tg.ones([2, 3]), proto = tg.Tensor.prototype as unknown as Record<string, AnyFn>;
    // The members a disposed tensor still answers (lib/disposed-guard.ts) are not wrapped.
    const unwrapped = ["constructor", "releaseGraphUse"];
    const open: string[] = [];
    for (const k of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, k)!;
      if (typeof d.value !== "function" || unwrapped.includes(k)) continue;
      const msg = await call(d.value, x, 12);
      if (!REFUSED.test(msg)) open.push(`${k}: ${msg || "no error"}`);
    }
    expect(open.filter((s) => !/^(view|reshape|permute|expand|repeat):/.test(s))).toEqual([]);
  });

  it("every method of the exported classes (modules, optimizers, schedulers, data, I/O) refuses surplus arguments", async () => {
    const classes = exportedClasses();
    expect(classes.size).toBeGreaterThan(70);
    const open: string[] = [], rest: string[] = [];
    for (const cls of classes) {
      const proto = cls.prototype as Record<string, unknown>;
      for (const [owner, self, statics] of [[proto, Object.create(proto), false], [cls, cls, true]] as const) {
        for (const key of Object.getOwnPropertyNames(owner)) {
          const d = Object.getOwnPropertyDescriptor(owner, key)!;
          if (key === "constructor" || typeof d.value !== "function" || (statics && /^(length|name|prototype)$/.test(key))) continue;
          // A rest parameter (left unwrapped) takes any number, and checks what it gets.
          if (parameterNames(d.value as AnyFn) === null) rest.push(`${cls.name}.${key}`);
          else if (!REFUSED.test(await call(d.value as AnyFn, self, 12))) open.push(`${cls.name}.${key}`);
        }
      }
    }
    expect(open).toEqual([]);
    // Forwarding to a module or a Function's user-defined statics, the containers (which throw whatever they
    // get), and lists of tensors.
    expect(rest.sort()).toEqual(["DistributedDataParallel.forward", "Function.apply", "Function.backward", "Function.forward",
      "FunctionCtx.markDirty", "FunctionCtx.markNonDifferentiable", "FunctionCtx.saveForBackward", "Module.call",
      "ModuleDict.forward", "ModuleList.forward", "Sequential.forward"]);
    expect(() => new tg.nn.Sequential(new tg.nn.ReLU()).forward(tg.ones([1]), tg.ones([1]) as never)).toThrow(/takes one input/);
  });

  it("every exported class's constructor refuses surplus arguments (or takes a list as a rest parameter)", () => {
    const classes = exportedClasses() as Set<unknown> as Set<new (...a: unknown[]) => unknown>;
    const open: string[] = [], rest: string[] = [];
    for (const cls of classes) {
      const names = parameterNames(cls);
      if (names === null) { rest.push(cls.name); continue; }
      let msg = "";
      try { new cls(...Array(names.length + 1).fill(undefined)); } catch (e) { msg = (e as Error).message; }
      if (!/: takes (at most \d+ arguments? \(.*\)|no arguments), got/.test(msg)) open.push(`${cls.name}(${names.join(", ")}): ${msg || "no error"}`);
    }
    expect(open).toEqual([]);
    // Sequential and TensorDataset take a list; the layers without settings take Module's constructor, which
    // refuses anything (lib/nn/module.ts).
    expect(rest.sort()).toEqual(["GELU", "Identity", "Module", "ReLU", "Sequential", "Sigmoid", "Tanh", "TensorDataset"]);
    for (const layer of [tg.nn.ReLU, tg.nn.GELU, tg.nn.Identity, tg.nn.Sigmoid, tg.nn.Tanh]) expect(() => new layer(true as never)).toThrow(/takes no arguments/);
  });

  it("names the parameters, as PyTorch does, and points keyword habits at the options object", () => {
    const t = tg.ones([2, 3]);
    expect(() => (t.sum as AnyFn)(1, true, "float64")).toThrow(/^x\.sum: takes at most 2 arguments \(dim, keepdim\), got 3$/);
    expect(() => (tg.cat as AnyFn)([t, t], 1, { dim: 0 })).toThrow(/^cat: takes at most 2 arguments \(tensors, dimOrOptions\), got 3$/);
    expect(() => (t.exp as AnyFn)(2)).toThrow(/^x\.exp: takes no arguments, got 1$/);
    expect(() => (tg.nn.functional.conv2d as AnyFn)(tg.ones([1, 1, 4, 4]), tg.ones([1, 1, 3, 3]), null, {}, 1))
      .toThrow(/^conv2d: takes at most 4 arguments \(x, weight, bias, opts\), got 5; PyTorch's other defaulted arguments go by name in the options object$/);
    expect(() => (t.where as AnyFn)(t.gt(0), 1, 2)).toThrow(/^x\.where: takes at most 2 arguments \(condition, other\), got 3$/);
    expect(() => (t.where as AnyFn)(t.gt(0), 1, 2, 3, 4)).toThrow(/^x\.where: takes at most 2 arguments \(condition, other\), got 5$/);
    const layer = new tg.nn.Linear(2, 3), opt = new tg.optim.SGD(layer.parameters(), { lr: 0.1 });
    expect(() => (layer.forward as AnyFn).call(layer, tg.ones([1, 2]), tg.ones([1, 2]))).toThrow(/^Linear\.forward: takes at most 1 argument \(x\), got 2$/);
    expect(() => (opt.step as AnyFn).call(opt, undefined, 1)).toThrow(/^SGD\.step: takes at most 1 argument \(closure\), got 2$/);
    // A subclass that overrides forward hears from the method that refused: Linear's.
    class Scaled extends tg.nn.Linear { forward(x: tg.Tensor, s?: number): tg.Tensor { return (super.forward as AnyFn)(x, s) as tg.Tensor; } }
    expect(() => new Scaled(3, 2).forward(t, 2)).toThrow(/^Linear\.forward: takes at most 1 argument \(x\), got 2$/);
    expect(() => (t.size as AnyFn)(0, 1)).toThrow(/^x\.size: takes at most 1 argument \(dim\), got 2$/);
    expect(() => (tg.nn.Embedding.fromPretrained as AnyFn)(tg.ones([2, 2]), {}, 5)).toThrow(/^Embedding\.fromPretrained: takes at most 2 arguments/);
    expect(() => (t.contiguous as AnyFn)("contiguous_format")).toThrow(/contiguous: ownStorage must be a boolean/);
    // A positional value where the options go keeps the options check's message, which names the keys.
    expect(() => (tg.nn.init.uniform_ as AnyFn)(tg.zeros([2]), -1, 1)).toThrow(/uniform_: expected an options object \{a, b\}/);
    // JSON.stringify passes toJSON its key.
    expect(JSON.stringify({ t: tg.tensor([1]) })).toBe('{"t":{"dtype":"float32","shape":[1],"data":[1]}}');
  });

  it("takes every declared argument, an explicit undefined included", () => {
    const t = tg.tensor([[1, 2], [3, 4]]);
    expect((tg.sum as AnyFn)(t, 1, true)).toBeInstanceOf(tg.Tensor);
    expect((tg.nn.functional.mseLoss as AnyFn)(t, t, undefined)).toBeInstanceOf(tg.Tensor);
    expect((tg.nn.functional.conv2d as AnyFn)(tg.ones([1, 1, 4, 4]), tg.ones([1, 1, 3, 3]), undefined, undefined)).toBeInstanceOf(tg.Tensor);
    expect((t.max as AnyFn)(1, undefined)).toHaveProperty("values");
  });
});

describe("parameterNames (lib/arity.ts) reads a function's parameters from its source", () => {
  it.each([
    ["defaults with commas, brackets and strings", function f(a: unknown, b = [1, 2], c = { x: "(,)" }, d = f(1, 2)) { return [a, b, c, d]; }, ["a", "b", "c", "d"]],
    ["a destructured options object", function g(x: unknown, { dim = 0, keepdim = false } = {}) { return [x, dim, keepdim]; }, ["x", "options"]],
    ["an arrow with one bare parameter", ((x: unknown) => x), ["x"]],
    ["no parameters", () => 0, []],
    ["an async function", async function h(a: unknown, b = ")") { return [a, b]; }, ["a", "b"]],
    ["a method", { m(a: unknown, b?: unknown) { return [a, b]; } }.m, ["a", "b"]],
    ["a template literal default", function k(a = `x,${1}`) { return a; }, ["a"]],
  ])("%s", (_what, fn, names) => {
    expect(parameterNames(fn as (...a: never[]) => unknown)).toEqual(names);
  });
  it("gives null for a rest parameter", () => {
    expect(parameterNames(function r(a: unknown, ...more: unknown[]) { return [a, more]; })).toBeNull();
  });
});
