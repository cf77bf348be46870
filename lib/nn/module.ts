// Module: the base of every layer and model. Parameters and submodules are found by walking the
// module's own properties in the order JS keeps them, which is assignment order (PyTorch's key
// order) for names that are not integers; integer-like names ("0", "1", …) come first, ascending,
// which is exactly what Sequential needs. A property counts as
//   - a parameter when it holds a Parameter (`this.weight = new Parameter(t)` or registerParameter),
//   - a buffer when it holds a Tensor registered with registerBuffer (saved in stateDict unless
//     registered with {persistent: false}, never trained); its state-dict key is the registered name
//     and its property that name in camelCase, so registerBuffer("running_mean", t) gives
//     `this.runningMean` saved as "running_mean" (PyTorch's key),
//   - a submodule when it holds a Module.
// Call a model with `model.forward(x)` or `model.call(x)` (PyTorch's `model(x)`).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad-mode.js";
import { noArguments, options, toArguments } from "../options.js";
import { LIBRARY_CLASSES } from "../arity.js";
import { fmt, sameShape } from "../shape.js";
import { checkLive } from "../ops/check.js";
import { Parameter } from "./parameter.js";
import { setToNoneOf, zeroGrads, type ZeroGradOptions } from "../autograd/zero-grad.js";
import { checkDType, isCpuDevice, noDevice, type DType } from "../dtype.js";
import type { ToOptions } from "../ops/copy.js";
import { moduleRepr } from "./repr.js";
import { addForwardHook, type ForwardHook, type ForwardPreHook, type RemovableHandle } from "./hooks.js";

export type StateDict = Record<string, Tensor>;

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Base of every layer. A subclass assigns Parameters, sub-modules and buffers as properties (registered
 * automatically in assignment order) and implements `forward`. Gives `parameters()`/`namedParameters()`,
 * `buffers()`, `children()`/`modules()`, `train()`/`eval()`, `zeroGrad()`, `stateDict()`/`loadStateDict()`
 * with PyTorch's keys (`0.weight`, `running_mean`), `apply`, `to`, forward hooks and a PyTorch-style
 * `toString()`. Mirrors `torch.nn.Module`.
 */
export abstract class Module {
  training = true;
  // Buffers by property name: the registered name (the state-dict key) and whether stateDict saves it.
  readonly #buffers = new Map<string, { key: string; persistent: boolean }>();

  /**
   * A layer with no settings of its own (ReLU, Tanh, Identity, …) inherits this constructor, so what is passed
   * to it would otherwise be dropped unseen: `new ReLU(true)` (PyTorch's `inplace`) or `new ReLU(0.2)` (meant for
   * LeakyReLU) is refused. Layers with settings define their own constructors.
   * @throws TypeError when given any argument.
   */
  constructor(...args: unknown[]) {
    noArguments(new.target.name || "Module", args, LIBRARY_CLASSES.has(new.target)
      ? "tensorgrad's layers have no `inplace` option: they always return a new tensor"
      : "a module of your own keeps its settings in a constructor of its own, which calls super() with none");
  }

  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * For Sequential: a function computing this module and then `next` in one step, or null (the default:
   * Sequential then runs them one after the other). A layer overrides it when it can absorb what follows
   * into its own kernel, with values and gradients equal to the two modules run apart (Linear and Conv2d absorb a
   * following ReLU into their kernels). Not part of PyTorch's API.
   */
  fuseWith(next: Module | undefined): ((x: Tensor) => Tensor) | null {
    return null;
  }

  // PyTorch's `module(x)`: runs forward.
  call(...inputs: Parameters<this["forward"]>): Tensor {
    return this.forward(...(inputs as Tensor[]));
  }

  // ---- registration ----
  registerParameter(name: string, t: Tensor | null): void {
    (this as Record<string, unknown>)[name] = t === null || t instanceof Parameter ? t : new Parameter(t);
  }
  /**
   * Registers a tensor that is part of the module's state but not trained (PyTorch's register_buffer),
   * e.g. BatchNorm's running statistics. `name` is the state-dict key; the property is its camelCase
   * form (`"running_mean"` → `this.runningMean`). Non-persistent buffers are listed by buffers() but
   * not saved by stateDict(). Reassigning the property keeps it a buffer.
   * @throws TypeError when t is neither a Tensor nor null, or name is empty or clashes with a parameter
   *   or submodule.
   */
  registerBuffer(name: string, t: Tensor | null, opts: { persistent?: boolean } = {}): void {
    const { persistent = true } = options("registerBuffer", opts, ["persistent"]);
    if (typeof name !== "string" || name === "" || name.includes("."))
      throw new TypeError(`registerBuffer: the name must be a non-empty string without ".", got ${JSON.stringify(name)}`);
    if (t !== null && !(t instanceof Tensor)) throw new TypeError(`registerBuffer: ${name} must be a Tensor or null`);
    if (t !== null) checkLive(t, "registerBuffer", name);
    const prop = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const old = (this as Record<string, unknown>)[prop];
    if (old instanceof Parameter || old instanceof Module)
      throw new TypeError(`registerBuffer: "${prop}" already holds a ${old instanceof Parameter ? "parameter" : "submodule"}`);
    this.#buffers.set(prop, { key: name, persistent });
    (this as Record<string, unknown>)[prop] = t;
  }
  registerModule(name: string, m: Module | null): void {
    if (m !== null && !(m instanceof Module)) throw new TypeError(`registerModule: ${name} is not a Module`);
    (this as Record<string, unknown>)[name] = m;
  }

  // ---- traversal ----
  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) yield [k, v];
  }
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }
  // This module and every descendant, depth first, prefixed names ("" for this one).
  *namedModules(prefix = ""): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k);
  }
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }
  // Own parameters first, then each child's, as PyTorch; a tensor shared by two modules once.
  namedParameters(prefix = ""): [string, Parameter][] {
    const out: [string, Parameter][] = [], seen = new Set<Tensor>();
    for (const [mp, m] of this.namedModules(prefix))
      for (const [k, v] of Object.entries(m))
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          out.push([mp ? `${mp}.${k}` : k, v]);
        }
    return out;
  }
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }
  /** Every buffer of this module and its descendants, keyed as in stateDict (`"0.running_mean"`), persistent or not. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [mp, m] of this.namedModules(prefix)) for (const [k, v] of m.#ownBuffers(false)) out.push([mp ? `${mp}.${k}` : k, v]);
    return out;
  }
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }
  // [key, tensor] of the buffers set to a tensor (only the persistent ones when asked).
  *#ownBuffers(persistentOnly: boolean): Generator<[string, Tensor]> {
    for (const [prop, { key, persistent }] of this.#buffers) {
      const v = (this as Record<string, unknown>)[prop];
      if (v instanceof Tensor && (persistent || !persistentOnly)) yield [key, v];
    }
  }
  // Everything stateDict saves, by key: each module's parameters, then its buffers, then its
  // children's (a parameter shared by two modules appears under both names, as in PyTorch).
  #stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [mp, m] of this.namedModules()) {
      const key = (k: string) => (mp ? `${mp}.${k}` : k);
      for (const [k, v] of Object.entries(m)) if (v instanceof Parameter) out.push([key(k), v]);
      for (const [k, v] of m.#ownBuffers(true)) out.push([key(k), v]);
    }
    return out;
  }

  // ---- modes and gradients ----
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  /**
   * Drops every parameter's `.grad` (PyTorch's default `set_to_none`), or zeroes each in place with
   * `{setToNone: false}`. Mirrors `torch.nn.Module.zero_grad`.
   * @throws TypeError for a bare boolean (`zeroGrad(false)`: pass `{setToNone: false}`) or an unknown option.
   */
  zeroGrad(opts?: ZeroGradOptions): void {
    zeroGrads(this.parameters(), setToNoneOf("Module.zeroGrad", opts));
  }

  /** Calls `fn` on every submodule (children first, depth first) and then on this one; returns this (PyTorch's apply, e.g. for custom init). */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== "function") throw new TypeError(`apply: expected a function (module) => void, got ${typeof fn}`);
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Sets requiresGrad on every parameter (freeze with false); returns this. */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== "boolean") throw new TypeError(`requiresGrad_: expected true or false, got ${typeof requiresGrad}`);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** PyTorch's `Module.cpu()`: this module, unchanged (the CPU is tensorgrad's only device). Returns this. */
  cpu(): this {
    return this;
  }

  /**
   * PyTorch's `Module.cuda()`, refused: tensorgrad runs on the CPU only.
   * @throws Error always (naming the call to drop).
   */
  cuda(): never {
    throw noDevice("cuda", "Module.cuda", ".cuda()");
  }

  /**
   * Converts every float parameter and float buffer to `dtype` ("float32" | "float64"); int32
   * buffers are kept, as PyTorch keeps integer buffers. Parameters of another dtype are replaced by
   * new Parameter objects (tied weights stay tied; gradients are converted too), so build the
   * optimizer after calling to(). `to("cpu")` changes nothing and `to("cpu", dtype)` is `to(dtype)`, as PyTorch's
   * `to(device, dtype)`, and `to({device, dtype})` is the keyword form. Returns this.
   * @throws TypeError for "int32" or an unknown dtype (PyTorch: "nn.Module.to only accepts floating point dtypes").
   */
  to(dtypeArg: DType | "cpu" | ToOptions, dtypeAfter?: DType): this {
    const [device, thenDtype] = toArguments("Module.to", dtypeArg, dtypeAfter);
    if (isCpuDevice(device, "Module.to")) return thenDtype === undefined ? this : this.to(thenDtype);
    const dtype = checkDType(device, "Module.to");
    if (dtype === "int32") throw new TypeError('Module.to: only accepts floating point dtypes ("float32" or "float64"), got "int32"');
    const done = new Map<Tensor, Tensor>();
    const convert = (t: Tensor): Tensor => {
      if (t.dtype === "int32" || t.dtype === dtype) return t;
      let c = done.get(t);
      if (!c) {
        c = noGrad(() => t.detach().to(dtype));
        if (t instanceof Parameter) {
          const p = new Parameter(c, t.requiresGrad);
          p.grad = t.grad ? noGrad(() => t.grad!.to(dtype)) : null;
          c = p;
        }
        done.set(t, c);
      }
      return c;
    };
    for (const m of this.modules()) {
      const own = m as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(own)) if (v instanceof Tensor && (v instanceof Parameter || m.#buffers.has(k))) own[k] = convert(v);
    }
    return this;
  }
  /** to("float64"). */
  double(): this {
    return this.to("float64");
  }
  /** to("float32"). */
  float(): this {
    return this.to("float32");
  }

  // ---- hooks ----
  /**
   * Registers `hook(module, inputs)` to run before every forward of this module; it may return
   * replacement inputs (a tensor or an array). Runs however forward is reached (`forward`, `call`,
   * a container). PyTorch's register_forward_pre_hook.
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return addForwardHook(this, "pre", hook);
  }
  /**
   * Registers `hook(module, inputs, output)` to run after every forward of this module; it may
   * return a replacement output. PyTorch's register_forward_hook. `handle.remove()` unregisters.
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return addForwardHook(this, "post", hook);
  }

  // ---- printing ----
  /** Extra text inside this module's parentheses when printed (PyTorch's extra_repr); "" by default. Layers override it. */
  extraRepr(): string {
    return "";
  }
  /** The module tree as PyTorch prints it: `Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n)`. */
  toString(): string {
    return moduleRepr(this);
  }
  // console.log / util.inspect print the tree, not every weight.
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // ---- state ----
  /**
   * The parameters and persistent buffers by PyTorch's keys and order (`0.weight`, `running_mean`), as detached
   * copies. Mirrors `torch.nn.Module.state_dict`.
   * @throws Error naming the key of a parameter or buffer that was disposed.
   */
  stateDict(): StateDict {
    const copy = (k: string, v: Tensor) => (checkLive(v, "stateDict", `"${k}"`), v.detach().clone());
    return noGrad(() => Object.fromEntries(this.#stateEntries().map(([k, v]) => [k, copy(k, v)])));
  }

  // Copies values into the existing tensors (converting dtype). strict: every key must match.
  loadStateDict(sd: StateDict, opts: { strict?: boolean } = {}): LoadResult {
    const { strict = true } = options("loadStateDict", opts, ["strict"]);
    const own = new Map<string, Tensor>(this.#stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length))
      throw new Error(
        `loadStateDict: keys do not match.` +
          (missingKeys.length ? ` Missing: ${missingKeys.join(", ")}.` : "") +
          (unexpectedKeys.length ? ` Unexpected: ${unexpectedKeys.join(", ")}.` : ""),
      );
    for (const [k, dst] of own) {
      const src = sd[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) throw new TypeError(`loadStateDict: value for ${k} is not a Tensor`);
      checkLive(src, "loadStateDict", `value for ${k}`);
      if (!sameShape(src.shape, dst.shape))
        throw new Error(`loadStateDict: size mismatch for ${k}: checkpoint has shape ${fmt(src.shape)}, the model has ${fmt(dst.shape)}`);
    }
    noGrad(() => {
      for (const [k, dst] of own) if (sd[k] !== undefined) dst.copy_(sd[k]);
    });
    return { missingKeys, unexpectedKeys };
  }
}
