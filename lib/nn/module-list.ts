// ModuleList: submodules in a list, named "0", "1", … (so stateDict keys read "layers.0.weight"
// as in PyTorch) and indexable as `list[0]`, `list.at(-1)`. It has no forward of its own: a
// model's forward iterates it. Sequential shares its indexing helpers.
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { refuseSurplus } from "../arity.js";

/** How many children named "0", "1", … a module has. */
export function indexedLength(m: Module): number {
  let n = 0;
  while ((m as unknown as Record<string, unknown>)[String(n)] instanceof Module) ++n;
  return n;
}

/** Child `i` of a list-like module; negative `i` counts from the end. @throws RangeError out of range. */
export function indexedAt(m: Module, i: number, op: string): Module {
  const n = indexedLength(m), k = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || k < 0 || k >= n) throw new RangeError(`${op}: index ${i} is out of range for ${n} modules`);
  return (m as unknown as Record<string, Module>)[String(k)];
}

/** Throws a TypeError naming `op` unless `m` is a Module. */
export function checkModule(op: string, m: unknown): asserts m is Module {
  if (!(m instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${m === null ? "null" : typeof m === "object" ? (m as object).constructor?.name ?? "object" : typeof m}`);
}

/** torch.nn.ModuleList: holds submodules so that parameters(), stateDict(), to() and printing see them. */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    refuseSurplus(ModuleList, arguments.length);
    super();
    this.extend(modules);
  }

  get length(): number {
    return indexedLength(this);
  }

  /** Module `i` (negative counts from the end). @throws RangeError when out of range. */
  at(i: number): Module {
    return indexedAt(this, i, "ModuleList.at");
  }

  /** Replaces module `i` (PyTorch's `list[i] = m`). */
  set(i: number, m: Module): this {
    checkModule("ModuleList.set", m);
    const n = this.length;
    indexedAt(this, i, "ModuleList.set");
    this.registerModule(String(i < 0 ? i + n : i), m);
    return this;
  }

  append(m: Module): this {
    checkModule("ModuleList.append", m);
    this.registerModule(String(this.length), m);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== "function")
      throw new TypeError("ModuleList.extend: expected an iterable of Modules");
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `m` before position `index` (PyTorch's insert; negative counts from the end). */
  insert(index: number, m: Module): this {
    checkModule("ModuleList.insert", m);
    const n = this.length;
    if (!Number.isInteger(index)) throw new RangeError(`ModuleList.insert: index must be an integer, got ${index}`);
    const at = Math.min(Math.max(index < 0 ? index + n : index, 0), n);
    const self = this as unknown as Record<string, Module>;
    for (let j = n; j > at; --j) self[String(j)] = self[String(j - 1)];
    self[String(at)] = m;
    return this;
  }

  *[Symbol.iterator](): Generator<Module> {
    yield* this.children();
  }

  /** @throws Error always: a ModuleList is a container; iterate it in your module's forward. */
  forward(..._inputs: Tensor[]): Tensor {
    throw new Error("ModuleList has no forward(); iterate over it in your module's forward (for (const layer of this.layers) x = layer.forward(x))");
  }
}
