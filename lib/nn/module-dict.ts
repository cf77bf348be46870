// ModuleDict: submodules by name (stateDict keys "heads.cls.weight"), as torch.nn.ModuleDict.
// The modules are the dict's own properties, so a key must not be a name the class already
// uses (keys, get, forward, training, …), contain "." or be empty. As in every JS object,
// integer-like keys iterate first, in ascending order; other keys keep insertion order.
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkModule } from "./module-list.js";
import { refuseSurplus } from "../arity.js";

/**
 * Holds sub-modules by name (registered, so their parameters and state-dict keys appear under the name);
 * `get`, `set`, `delete`, `keys`, `values`, `entries`, `size`. Mirrors `torch.nn.ModuleDict`.
 * @throws Error for a name that is empty, contains ".", or shadows a Module property; TypeError for a non-Module.
 */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    refuseSurplus(ModuleDict, arguments.length);
    super();
    this.update(modules);
  }

  get length(): number {
    return this.keys().length;
  }

  /** The module under `key`. @throws Error naming the known keys when there is none. */
  get(key: string): Module {
    const m = this.has(key) ? (this as unknown as Record<string, Module>)[key] : undefined;
    if (!m) throw new Error(`ModuleDict.get: no module "${key}" (keys: ${this.keys().join(", ") || "none"})`);
    return m;
  }

  has(key: string): boolean {
    return Object.hasOwn(this, key) && (this as unknown as Record<string, unknown>)[key] instanceof Module;
  }

  /** Adds or replaces the module under `key`. @throws Error for a key that is empty, has ".", or names a property of ModuleDict. */
  set(key: string, m: Module): this {
    checkModule("ModuleDict.set", m);
    if (typeof key !== "string" || key === "" || key.includes("."))
      throw new Error(`ModuleDict.set: key must be a non-empty string without ".", got ${JSON.stringify(key)}`);
    if (key in this && !this.has(key)) throw new Error(`ModuleDict.set: "${key}" is already a property of ModuleDict; choose another key`);
    this.registerModule(key, m);
    return this;
  }

  /** Removes and returns the module under `key` (PyTorch's pop). */
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  clear(): void {
    for (const k of this.keys()) delete (this as unknown as Record<string, unknown>)[k];
  }

  update(modules: Record<string, Module> | Iterable<[string, Module]>): this {
    if (modules === null || typeof modules !== "object") throw new TypeError("ModuleDict.update: expected an object or an iterable of [key, module] pairs");
    const pairs = Symbol.iterator in modules ? (modules as Iterable<[string, Module]>) : Object.entries(modules);
    for (const [k, m] of pairs) this.set(k, m);
    return this;
  }

  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }
  values(): Module[] {
    return [...this.children()];
  }
  entries(): [string, Module][] {
    return [...this.namedChildren()];
  }
  /** Iterates the keys, as a Python dict does. */
  *[Symbol.iterator](): Generator<string> {
    yield* this.keys();
  }

  /** @throws Error always: a ModuleDict is a container; pick modules by key in your module's forward. */
  forward(..._inputs: Tensor[]): Tensor {
    throw new Error('ModuleDict has no forward(); call its modules by key in your module\'s forward (this.heads.get("cls").forward(x))');
  }
}
