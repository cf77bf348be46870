// Clearing parameters' gradients between steps: Module.zeroGrad and Optimizer.zeroGrad.
import { gradOf, setGradUnseen, type Tensor } from "../tensor.js";
import { soleHandle } from "../storage.js";
import { fill } from "../ops/kernels.js";
import { zerosLike } from "../ops/creation.js";
import { bumpVersion } from "./version.js";
import { options } from "../options.js";

// setToNone (PyTorch's default) drops each .grad, disposing one that backward made and no user code has
// seen (Tensor.gradSeen): the next backward's gradient of that size then takes its memory from the free
// lists instead of a new allocation the garbage collector must find (the 784-512-256-10 MLP drops 2.1 MB
// of weight gradients a step). One the user has read or assigned may still be held, and is only dropped.
// Otherwise each is zeroed in place, as PyTorch's grad.zero_(), so that the next backward accumulates into
// the same memory instead of a fresh allocation per parameter per step. A .grad whose storage another live tensor shares (one the user
// assigned, say p.grad = q.grad), or that tensorgrad cannot count handles for, gets fresh zeros instead,
// so zeroing one parameter's gradient never changes another tensor.
export function zeroGrads(params: readonly Tensor[], setToNone: boolean): void {
  for (let i = 0; i < params.length; ++i) {
    const p = params[i], g = gradOf(p);
    if (!g) continue;
    if (setToNone) dropGrad(p, g);
    else if (g.isContiguous() && soleHandle(g.storage)) {
      fill(g, 0);
      bumpVersion(g.storage);
    } else p.grad = zerosLike(g);
  }
}

function dropGrad(p: Tensor, g: Tensor): void {
  setGradUnseen(p, null);
  if (!g.gradSeen) g.dispose();
}

/** Options of `zeroGrad()` (Module's and the optimizers'). */
export interface ZeroGradOptions {
  /** Drop each `.grad` (default true, PyTorch's `set_to_none`); false zeroes each in place. */
  setToNone?: boolean;
}

/** The setToNone that `op`'s options ask for. @throws TypeError for a non-object (`zeroGrad(false)`), an unknown key or a non-boolean. */
export function setToNoneOf(op: string, opts: ZeroGradOptions | undefined): boolean {
  const { setToNone = true } = options(op, opts, ["setToNone"]);
  if (typeof setToNone !== "boolean") throw new TypeError(`${op}: setToNone must be true or false, got ${String(setToNone)}`);
  return setToNone;
}
