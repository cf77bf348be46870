// Whether ops record onto the tape. noGrad() turns recording off for a block (inference,
// optimizer updates, and every backward formula).
//
// The mode follows the async context, not just the call stack: noGrad(async () => { await x;
// return model.forward(y); }) records nothing after the await either, and a request handled
// concurrently outside noGrad still records. Each noGrad/enableGrad block runs in an
// AsyncLocalStorage scope holding its mode; outside every scope the process-wide default applies
// (setGradEnabled there changes it).
//
// The library's own synchronous sections (the backward pass, optimizer updates) turn recording off
// with `withoutGrad`, a plain variable rather than an async scope: nothing can run inside them but
// what they call, so the variable is exact there, and it costs no AsyncLocalStorage scope (whose
// setup, in unoptimised code, was a tenth of a cold training step). noGrad/enableGrad blocks
// opened inside such a section take over for their own extent, as they would inside any scope.
import { AsyncLocalStorage } from "node:async_hooks";
import { refuseSurplus } from "../arity.js";

interface Mode {
  enabled: boolean;
}

const scope = new AsyncLocalStorage<Mode>();
let globalEnabled = true;
// The mode of the innermost withoutGrad section running now; null outside every one.
let local: boolean | null = null;

/**
 * Whether ops record on the tape now: false inside `noGrad`/`setGradEnabled(false)`, following the
 * async context (an `await` inside `noGrad` stays in it). Mirrors `torch.is_grad_enabled`.
 */
export function isGradEnabled(): boolean {
  refuseSurplus(isGradEnabled, arguments.length);
  if (local !== null) return local;
  const m = scope.getStore();
  return m === undefined ? globalEnabled : m.enabled;
}

/** Sets the mode of the current noGrad/enableGrad block, or the process-wide default outside any. */
export function setGradEnabled(on: boolean): void {
  refuseSurplus(setGradEnabled, arguments.length);
  if (typeof on !== "boolean") throw new TypeError(`setGradEnabled: expected true or false, got ${String(on)}`);
  if (local !== null) {
    local = on;
    return;
  }
  const m = scope.getStore();
  if (m === undefined) globalEnabled = on;
  else m.enabled = on;
}

// Runs fn with recording set to `on` in its own async scope: the mode holds for fn's synchronous
// part and for everything it awaits or schedules, and is gone (whatever fn throws) when it returns.
function withGradMode<T>(on: boolean, fn: () => T, op: string): T {
  if (typeof fn !== "function") throw new TypeError(`${op}: expected a function to run, got ${fn === null ? "null" : typeof fn}`);
  const outer = local;
  local = null;
  try {
    return scope.run({ enabled: on }, fn);
  } finally {
    local = outer;
  }
}

// Runs fn, which must not await, with recording off (for the library's synchronous sections).
export function withoutGrad<T>(fn: () => T): T {
  const outer = local;
  local = false;
  try {
    return fn();
  } finally {
    local = outer;
  }
}

/**
 * Runs `fn` with gradient recording off (torch.no_grad). `fn` may be async: the mode follows its
 * awaits and never leaks into code running concurrently. Returns what `fn` returns (a promise for
 * an async `fn`).
 * @throws TypeError when `fn` is not a function.
 */
export function noGrad<T>(fn: () => T): T {
  refuseSurplus(noGrad, arguments.length);
  return withGradMode(false, fn, "noGrad");
}
/** Runs `fn` with gradient recording on (torch.enable_grad), sync or async as noGrad. */
export function enableGrad<T>(fn: () => T): T {
  refuseSurplus(enableGrad, arguments.length);
  return withGradMode(true, fn, "enableGrad");
}
