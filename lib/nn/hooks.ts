// Forward hooks and forward pre-hooks (PyTorch's register_forward_hook / _pre_hook). A module
// with hooks gets its own `forward` (non-enumerable, so traversal never sees it) that runs the
// pre-hooks, the class's forward and the hooks; hooks therefore run however the module is
// called: `m.forward(x)`, `m.call(x)`, or from a container. Removing the last hook restores the
// class's forward.
import type { Tensor } from "../tensor.js";
import type { Module } from "./module.js";
import { refuseSurplus } from "../arity.js";

/** Runs before forward with its inputs; may return replacement inputs (one tensor or an array). */
export type ForwardPreHook<M = Module> = (module: M, inputs: unknown[]) => unknown[] | Tensor | void;
/** Runs after forward with its inputs and output; may return a replacement output. */
export type ForwardHook<M = Module> = (module: M, inputs: unknown[], output: Tensor) => Tensor | void;

interface Hooks {
  pre: Map<number, ForwardPreHook<any>>;
  post: Map<number, ForwardHook<any>>;
}

const registry = new WeakMap<Module, Hooks>();
let nextId = 0;

/** What registerForwardHook returns: `remove()` unregisters the hook (idempotent), as PyTorch's RemovableHandle. */
export class RemovableHandle {
  constructor(private readonly onRemove: () => void) {
    refuseSurplus(RemovableHandle, arguments.length);
  }
  remove(): void {
    this.onRemove();
  }
}

/** Adds a hook of `kind` to `m`. @throws TypeError when `hook` is not a function. */
export function addForwardHook(m: Module, kind: "pre" | "post", hook: ForwardPreHook<any> | ForwardHook<any>): RemovableHandle {
  if (typeof hook !== "function")
    throw new TypeError(`${kind === "pre" ? "registerForwardPreHook" : "registerForwardHook"}: hook must be a function, got ${typeof hook}`);
  let h = registry.get(m);
  if (!h) registry.set(m, (h = { pre: new Map(), post: new Map() }));
  if (h.pre.size + h.post.size === 0) wrapForward(m, h);
  const id = nextId++;
  (h[kind] as Map<number, unknown>).set(id, hook);
  const hooks = h;
  return new RemovableHandle(() => {
    hooks[kind].delete(id);
    if (hooks.pre.size + hooks.post.size === 0) delete (m as { forward?: unknown }).forward;
  });
}

function wrapForward(m: Module, h: Hooks): void {
  const forward = Object.getPrototypeOf(m).forward as (...a: unknown[]) => Tensor;
  const hooked = function (this: Module, ...args: unknown[]): Tensor {
    let inputs = args;
    for (const pre of [...h.pre.values()]) {
      const r = pre(this, inputs);
      if (r !== undefined) inputs = Array.isArray(r) ? r : [r];
    }
    let out = forward.apply(this, inputs);
    for (const post of [...h.post.values()]) {
      const r = post(this, inputs, out);
      if (r !== undefined) out = r;
    }
    return out;
  };
  Object.defineProperty(m, "forward", { value: hooked, enumerable: false, configurable: true, writable: true });
}
