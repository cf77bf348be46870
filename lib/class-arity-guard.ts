// The methods (static ones too) of tensorgrad's exported classes refuse more arguments than they declare, as
// functions and Tensor methods do (lib/arity.ts): `model.forward(x, y)` on a one-input layer used to drop `y`
// without a word. Imported by lib/index.ts once every class is defined. A user's own subclass methods are
// theirs and are not wrapped.
import { LIBRARY_CLASSES, parameterNames, refusingSurplus } from "./arity.js";
import { Tensor } from "./tensor.js";
import * as nn from "./nn/index.js";
import * as optim from "./optim/index.js";
import * as data from "./data/index.js";
import * as io from "./io/index.js";
import * as utils from "./utils/index.js";
import * as metrics from "./metrics/index.js";
import * as autograd from "./autograd/index.js";
import * as distributed from "./distributed/index.js";
import { Generator } from "./generator.js";

type Method = (...args: unknown[]) => unknown;

// Every exported class: the capitalised functions of these namespaces and of the namespaces inside them.
function classesIn(ns: object, out = new Set<Method>(), seen = new Set<object>()): Set<Method> {
  if (seen.has(ns)) return out;
  seen.add(ns);
  for (const [name, v] of Object.entries(ns)) {
    if (typeof v === "function" && /^[A-Z]/.test(name) && v.prototype && v !== Tensor) out.add(v as Method);
    else if (v && typeof v === "object" && Object.prototype.toString.call(v) === "[object Module]") classesIn(v, out, seen);
  }
  return out;
}

// The error names the class the method belongs to: the instance's own (SGD.step), unless that class overrides
// the method (a subclass's forward(x, scale) calling super.forward(x, scale) hears from Linear.forward).
function wrapMembers(owner: Record<string, unknown>, className: string, isStatic: boolean): void {
  for (const key of Object.getOwnPropertyNames(owner)) {
    const desc = Object.getOwnPropertyDescriptor(owner, key)!;
    if (key === "constructor" || typeof desc.value !== "function" || (isStatic && /^(length|name|prototype)$/.test(key))) continue;
    const names = parameterNames(desc.value as Method);
    if (!names) continue;
    const label = isStatic ? () => `${className}.${key}` : (self: unknown) => {
      const cls = (self as { constructor?: { name: string; prototype: Record<string, unknown> } } | undefined)?.constructor;
      return `${cls && cls.prototype[key] === wrapped ? cls.name : className}.${key}`;
    };
    const wrapped = refusingSurplus(desc.value as Method, names, label);
    Object.defineProperty(owner, key, { ...desc, value: wrapped });
  }
}

for (const cls of classesIn({ nn, optim, data, io, utils, metrics, autograd, distributed, Generator })) {
  LIBRARY_CLASSES.add(cls);
  wrapMembers(cls.prototype as Record<string, unknown>, cls.name, false);
  wrapMembers(cls as unknown as Record<string, unknown>, cls.name, true);
}
