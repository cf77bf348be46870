// The methods of tensorgrad's exported classes (modules, optimizers, schedulers, data, I/O) refuse more
// arguments than they declare, as functions and Tensor methods do (lib/arity.ts): `model.forward(x, y)` on a
// one-input layer used to drop `y` without a word. Imported by lib/index.ts once every class is defined.
// A user's own subclass methods are theirs and are not wrapped.
import { parameterNames, surplusArguments } from "./arity.js";
import * as nn from "./nn/index.js";
import * as optim from "./optim/index.js";
import * as data from "./data/index.js";
import * as io from "./io/index.js";
import * as utils from "./utils/index.js";
import * as metrics from "./metrics/index.js";
import { Generator } from "./generator.js";

type Method = (...args: unknown[]) => unknown;

// The method, refusing surplus arguments (an async one rejects). `apply(this, arguments)`: optimised code
// forwards the arguments without allocating.
function bounded(name: string, f: Method, names: string[]): Method {
  const async = f.constructor.name === "AsyncFunction", max = names.length;
  const method = function (this: unknown) {
    if (arguments.length > max) {
      const owner = (this as object | undefined)?.constructor?.name ?? "";  // the instance's class: SGD.step
      const error = surplusArguments(`${owner}.${name}`, names, arguments.length);
      if (async) return Promise.reject(error);
      throw error;
    }
    return f.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(method, "name", { value: name });
  return method;
}

const classes = [nn, nn.init, nn.utils, optim, optim.lrScheduler, data, io, utils, metrics, { Generator }]
  .flatMap((ns) => Object.entries(ns as Record<string, unknown>))
  .filter(([name, v]) => typeof v === "function" && /^[A-Z]/.test(name) && (v as Method).prototype);
for (const cls of new Set(classes.map(([, v]) => v))) {
  const proto = (cls as Method).prototype as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(proto)) {
    const desc = Object.getOwnPropertyDescriptor(proto, key)!;
    if (key === "constructor" || typeof desc.value !== "function") continue;
    const names = parameterNames(desc.value as Method);
    if (names) Object.defineProperty(proto, key, { ...desc, value: bounded(key, desc.value as Method, names) });
  }
}
