// Using a disposed tensor: every member of Tensor.prototype, wherever it was attached (the class body,
// op definitions, transfer.ts, the autograd methods, …), except the metadata reads below, throws
// "<member>: the tensor (shape [2, 2], float32) was disposed; use it before calling dispose()" before
// it does anything, so the message names what the user called rather than an op it is built from or a
// kernel's bounds check on the empty storage. Imported by lib/index.ts once every member is attached
// (and before the snake_case hints, which stay as they are). A tensor that dispose() only marked
// (a recorded node still holds it for backward) is not refused: backward reads it. The same wrapper
// refuses a call with more arguments than the member declares (lib/arity.ts), as op methods do.
import { Tensor } from "./tensor.js";
import { disposedError } from "./ops/check.js";
import { CHECKS_DISPOSED } from "./ops/define.js";
import { parameterNames, refusingSurplus, surplusArguments } from "./arity.js";

// What still works on a disposed tensor, as TF.js keeps `.shape` readable: its metadata (shape, dtype,
// size, autograd flags, printing as "tensor(<disposed>)"), isDisposed, and dispose() again.
// releaseGraphUse is the tape's bookkeeping, never called on a disposed tensor.
const METADATA = new Set<string | symbol>([
  "constructor", "ndim", "numel", "nelement", "dim", "ndimension", "size", "isContiguous", "device",
  "requiresGrad", "gradFn", "grad", "isLeaf", "isDisposed", "dispose", "releaseGraphUse",
  "toString", Symbol.for("nodejs.util.inspect.custom"),
]);

// A method that first refuses a disposed tensor, then more arguments than it declares (`names`; null:
// any number); an async method rejects instead of throwing.
// `apply(this, arguments)`: optimised code forwards the arguments without allocating.
function refusing(name: string, f: (...args: unknown[]) => unknown, names: string[] | null): (...args: unknown[]) => unknown {
  const async = f.constructor.name === "AsyncFunction", max = names?.length ?? Infinity;
  const method = function (this: Tensor) {
    const error = this.disposeState === "disposed" ? disposedError(this, name)
      : arguments.length > max ? surplusArguments(`x.${name}`, names!, arguments.length) : undefined;
    if (error) {
      if (async) return Promise.reject(error);
      throw error;
    }
    return f.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(method, "name", { value: name });
  return method;
}

for (const key of Reflect.ownKeys(Tensor.prototype)) {
  if (METADATA.has(key)) {
    const desc = Object.getOwnPropertyDescriptor(Tensor.prototype, key)!;
    const names = typeof key === "string" && key !== "constructor" && typeof desc.value === "function" ? parameterNames(desc.value) : null;
    if (names) Object.defineProperty(Tensor.prototype, key, { ...desc, value: refusingSurplus(desc.value, names, () => `x.${String(key)}`) });
    continue;
  }
  const desc = Object.getOwnPropertyDescriptor(Tensor.prototype, key)!;
  const name = String(key);
  if (typeof desc.value === "function") {
    if (!CHECKS_DISPOSED.has(desc.value)) Object.defineProperty(Tensor.prototype, key, { ...desc, value: refusing(name, desc.value, typeof key === "string" ? parameterNames(desc.value) : null) });
  } else if (desc.get) {
    const get = desc.get;
    Object.defineProperty(Tensor.prototype, key, {
      ...desc,
      get(this: Tensor) {
        if (this.disposeState === "disposed") throw disposedError(this, name);
        return get.call(this);
      },
    });
  }
}
