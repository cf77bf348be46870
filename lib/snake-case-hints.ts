// PyTorch users type PyTorch's spelling: `opt.zero_grad()`, `model.state_dict()`, `x.requires_grad`.
// Without help that reads "opt.zero_grad is not a function", or `undefined` for a property. Every
// camelCase member of Tensor, Module and Optimizer (methods and properties, attached wherever they
// are defined, and the instance fields listed below) gets a snake_case twin that throws naming the
// tensorgrad spelling. Assigning to a property's twin throws too: `p.requires_grad = false`, PyTorch's
// way to freeze a weight, would otherwise set a field nothing reads. Assigning to a method's twin makes
// an ordinary own property, so subclasses may still use such a name for a field of their own.
import { Tensor } from "./tensor.js";
import { Module } from "./nn/module.js";
import { Optimizer } from "./optim/optimizer.js";

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Every own and inherited member name of `proto`, with its descriptor (the nearest one wins).
function members(proto: object): Map<string, PropertyDescriptor> {
  const out = new Map<string, PropertyDescriptor>();
  for (let p = proto; p !== Object.prototype && p !== null; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p)) if (!out.has(name)) out.set(name, Object.getOwnPropertyDescriptor(p, name)!);
  return out;
}

/**
 * Adds throwing snake_case twins of `proto`'s camelCase members and of the instance `fields` (which are not on
 * the prototype); `owner` names an instance in messages (`opt`).
 */
export function addSnakeCaseHints(proto: object, owner: string, fields: string[] = []): void {
  const all = members(proto);
  for (const field of fields) all.set(field, { value: undefined });
  for (const [name, desc] of all) {
    const twin = snake(name);
    if (twin === name || twin.startsWith("_") || twin in proto) continue;
    const method = typeof desc.value === "function", spelled = method ? `${owner}.${name}()` : `${owner}.${name}`;
    const hint = `${owner}.${twin}: tensorgrad spells PyTorch's names in camelCase; use ${spelled}`;
    Object.defineProperty(proto, twin, {
      configurable: true,
      enumerable: false,
      get() {
        throw new TypeError(hint);
      },
      set(v: unknown) {
        if (!method) throw new TypeError(hint);
        Object.defineProperty(this, twin, { value: v, writable: true, enumerable: true, configurable: true });
      },
    });
  }
}

addSnakeCaseHints(Tensor.prototype, "x");
addSnakeCaseHints(Module.prototype, "model");
addSnakeCaseHints(Optimizer.prototype, "opt", ["paramGroups"]);
