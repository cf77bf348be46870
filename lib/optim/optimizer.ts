// The Optimizer base, shaped like torch.optim.Optimizer: parameter groups that each carry their
// own hyper-parameters (changeable between steps, e.g. by a scheduler), lazily created
// per-parameter state, zeroGrad, and a state dict with numeric parameter ids.
import { gradOf, Tensor } from "../tensor.js";
import { enableGrad, withoutGrad } from "../autograd/grad-mode.js";
import { bumpVersion } from "../autograd/version.js";
import { setToNoneOf, zeroGrads, type ZeroGradOptions } from "../autograd/zero-grad.js";
import { fmt } from "../shape.js";
import { options } from "../options.js";
import { checkLive, disposedError, disposedGradError } from "../ops/check.js";
import { dense } from "../ops/kernels.js";
import { refuseSurplus } from "../arity.js";

export type ParamGroup<O> = O & { params: Tensor[]; [extra: string]: unknown };
// What constructors accept: plain parameters, or groups whose options override the defaults.
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor>; [extra: string]: unknown };
export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

export type StateValue = Tensor | number;
export type ParamState = Record<string, StateValue>;
export interface OptimizerStateDict {
  // Keyed by the parameter's index, counting through the groups in order.
  state: Record<number, ParamState>;
  paramGroups: ({ params: number[] } & Record<string, unknown>)[];
}

/**
 * Base of every optimizer: parameter groups (each with its own hyper-parameters), per-parameter state,
 * `zeroGrad()`, `step()`, `stateDict()`/`loadStateDict()` in PyTorch's layout (state keyed by parameter
 * index through the groups). Mirrors `torch.optim.Optimizer`.
 * @throws TypeError when params is not an iterable of Tensors or of groups `{params, ...options}`; Error for
 *   an unknown option key, a parameter in two groups, or a non-leaf or int32 parameter.
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, ParamState>();
  readonly defaults: O;
  /** Calls of step() so far (PyTorch's `_step_count`); schedulers read it to warn about a wrong call order. */
  stepCount = 0;

  // `defaults` lists every hyper-parameter with its default; `opts` (the constructor's options
  // object) may set any of them and nothing else: an unknown key (weight_decay) throws.
  constructor(
    readonly name: string,
    params: ParamsInput<O>,
    defaults: O,
    opts?: Partial<O>,
  ) {
    refuseSurplus(Optimizer, arguments.length, opts, name);
    this.defaults = { ...defaults, ...options(name, opts as O | undefined, Object.keys(defaults) as (keyof O & string)[]) };
    if (params instanceof Tensor || params === null || typeof params !== "object" || !(Symbol.iterator in params))
      throw new TypeError(`${name}: params must be an array of Tensors or of parameter groups ({params, ...options})` +
        (typeof params === "function" || (params as { parameters?: unknown })?.parameters ? "; pass model.parameters()" : ""));
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput<O>>);
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  // Checks one group's hyper-parameters; throws naming the optimizer and the value.
  protected abstract validate(group: ParamGroup<O>): void;
  // Updates one parameter in place from its dense gradient (same dtype and size) and state. An
  // optimizer that updates a whole group in one native call overrides updateGroup instead.
  protected update(_p: Tensor, _grad: Tensor, _state: ParamState, _group: ParamGroup<O>): void {
    throw new TypeError(`${this.name}: an optimizer must override update or updateGroup`);
  }

  // Updates a group's parameters that have gradients (their dense gradients and states alongside).
  protected updateGroup(params: Tensor[], grads: Tensor[], states: ParamState[], group: ParamGroup<O>): void {
    for (let i = 0; i < params.length; ++i) this.update(params[i], grads[i], states[i], group);
  }

  addParamGroup(input: ParamGroupInput<O>): void {
    if (input === null || typeof input !== "object" || !input.params || input.params instanceof Tensor)
      throw new TypeError(`${this.name}: a parameter group must be an object {params: Tensor[], ...options}`);
    // A group may also carry initialLr (set by a scheduler), as in PyTorch's state dicts.
    const { params: _, ...hyper } = input;
    options(`${this.name} parameter group`, hyper, [...Object.keys(this.defaults), "initialLr"] as (keyof typeof hyper & string)[]);
    const params = Array.from(input.params);
    params.forEach((p, i) => this.checkParam(p, i));
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => seen.has(p)) || new Set(params).size !== params.length)
      throw new Error(`${this.name}: some parameters appear in more than one parameter group (or twice in one)`);
    const group = { ...copyOptions(this.defaults), ...copyOptions(input), params } as ParamGroup<O>;
    for (const [k, v] of Object.entries(group))
      if (v === undefined)
        throw new Error(`${this.name}: parameter group didn't specify a value of required option ${k} (give it as new ${this.name}(params, ${k}) or in each group)`);
    this.validate(group);
    this.paramGroups.push(group);
  }

  /**
   * Drops every parameter's `.grad` (PyTorch's default `set_to_none`), or zeroes each in place with
   * `{setToNone: false}`. Mirrors `torch.optim.Optimizer.zero_grad`.
   * @throws TypeError for a bare boolean (`zeroGrad(false)`: pass `{setToNone: false}`) or an unknown option.
   */
  zeroGrad(opts?: ZeroGradOptions): void {
    const setToNone = setToNoneOf(`${this.name}.zeroGrad`, opts);
    for (let k = 0; k < this.paramGroups.length; ++k) zeroGrads(this.paramGroups[k].params, setToNone);
  }

  // One update of every parameter that has a gradient. `closure` re-evaluates the loss (with
  // grad enabled) and its value is returned, as in PyTorch.
  step<L = undefined>(closure?: () => L): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    this.stepCount += 1;
    withoutGrad(() => this.updateAll());
    return loss;
  }

  // step() for every group, in indexed loops: this runs once per training step, so unoptimised for
  // the first few hundred steps, where each callback and for…of iteration is a call.
  private updateAll(): void {
    for (let k = 0; k < this.paramGroups.length; ++k) {
      const group = this.paramGroups[k];
      this.validate(group);
      const params: Tensor[] = [], grads: Tensor[] = [], states: ParamState[] = [];
      for (let i = 0; i < group.params.length; ++i) {
        // A disposed parameter has no .grad: skipping it would stop training it without a word.
        if (group.params[i].isDisposed) throw disposedError(group.params[i], `${this.name}.step`, `parameter ${i}${k > 0 ? ` of group ${k}` : ""}`);
        if (gradOf(group.params[i]) !== null) params.push(group.params[i]);
      }
      for (let i = 0; i < params.length; ++i) grads.push(this.denseGrad(params[i]));
      for (let i = 0; i < params.length; ++i) states.push(this.stateOf(params[i]));
      this.updateGroup(params, grads, states, group);
      for (let i = 0; i < params.length; ++i) bumpVersion(params[i].storage);
    }
  }

  stateDict(): OptimizerStateDict {
    const ids = this.paramIds();
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const id = ids.get(p);
      if (id !== undefined) state[id] = copyState(st, null);
    }
    const paramGroups = this.paramGroups.map((g) => ({ ...copyOptions(g), params: g.params.map((p) => ids.get(p)!) }));
    return { state, paramGroups };
  }

  // Takes hyper-parameters and state from `sd` (copies), keeping this optimizer's parameters.
  loadStateDict(sd: OptimizerStateDict): void {
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== "object")
      throw new TypeError(`${this.name}.loadStateDict: expected {state, paramGroups}`);
    if (sd.paramGroups.length !== this.paramGroups.length)
      throw new Error(`${this.name}.loadStateDict: the state dict has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    sd.paramGroups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length)
        throw new Error(`${this.name}.loadStateDict: group ${i} has ${g.params.length} parameters in the state dict but ${this.paramGroups[i].params.length} here`);
    });
    const byId = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, i) => g.params.forEach((id, j) => byId.set(id, this.paramGroups[i].params[j])));
    const state = new Map<Tensor, ParamState>();
    for (const [key, st] of Object.entries(sd.state)) {
      const p = byId.get(Number(key));
      if (!p) throw new Error(`${this.name}.loadStateDict: state for parameter id ${key}, which no group lists`);
      state.set(p, copyState(st, p));
    }
    sd.paramGroups.forEach((g, i) => {
      const group = { ...copyOptions(g), params: this.paramGroups[i].params } as ParamGroup<O>;
      this.validate(group);
      this.paramGroups[i] = group;
    });
    this.state.clear();
    for (const [p, st] of state) this.state.set(p, st);
  }

  private stateOf(p: Tensor): ParamState {
    let st = this.state.get(p);
    if (!st) this.state.set(p, (st = {}));
    return st;
  }

  // A state tensor shaped like `p`, created on first use filled with `init`.
  protected buffer(st: ParamState, key: string, p: Tensor, init = 0): Tensor {
    const b = st[key];
    if (b instanceof Tensor) return b;
    const t = Tensor.empty(p.shape, p.dtype);
    if (init !== 0) t.fill_(init);
    return (st[key] = t);
  }

  // Increments and returns the per-parameter step count (1 on the first update).
  protected nextStep(st: ParamState): number {
    return (st.step = ((st.step as number | undefined) ?? 0) + 1);
  }

  private paramIds(): Map<Tensor, number> {
    const ids = new Map<Tensor, number>();
    for (const g of this.paramGroups) for (const p of g.params) ids.set(p, ids.size);
    return ids;
  }

  // Native updates read flat buffers, so parameters must own dense storage.
  private checkParam(p: unknown, i: number): asserts p is Tensor {
    if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: parameter ${i} is not a Tensor`);
    checkLive(p, this.name, `parameter ${i}`);
    if (p.dtype === "int32") throw new TypeError(`${this.name}: parameter ${i} is int32; only float tensors can be optimized`);
    if (!p.requiresGrad) throw new Error(`${this.name}: parameter ${i} of shape ${fmt(p.shape)} does not require grad`);
    if (!p.isLeaf) throw new Error(`${this.name}: can't optimize a non-leaf Tensor (parameter ${i} of shape ${fmt(p.shape)})`);
    if (!p.isContiguous() || p.offset !== 0 || p.storage.length !== p.numel())
      throw new Error(`${this.name}: parameter ${i} of shape ${fmt(p.shape)} is a strided view; optimize a dense tensor (x.contiguous(true).detach().requiresGrad_())`);
  }

  private denseGrad(p: Tensor): Tensor {
    const g = gradOf(p)!;
    if (g.disposeState === "disposed") throw disposedGradError(this.name, p);
    return dense(g, p.dtype);
  }
}

// Hyper-parameters without `params`; arrays (betas) copied so groups never share them.
function copyOptions(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== "params") out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

// Copies a parameter's state; with `p`, tensors are cast to p's dtype and checked against its size.
function copyState(st: ParamState, p: Tensor | null): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(st)) {
    if (!(v instanceof Tensor)) {
      out[k] = v;
      continue;
    }
    if (p && v.numel() !== p.numel())
      throw new Error(`loadStateDict: state "${k}" of shape ${fmt(v.shape)} does not fit a parameter of shape ${fmt(p.shape)}`);
    const c = Tensor.empty(p ? p.shape : v.shape, p ? p.dtype : v.dtype);
    c.storage.set(v.data());
    out[k] = c;
  }
  return out;
}
