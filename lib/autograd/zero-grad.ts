// Clearing parameters' gradients between steps: Module.zeroGrad and Optimizer.zeroGrad.
import { gradOf, setGradUnseen, type Tensor } from "../tensor.js";
import { soleHandle } from "../storage.js";
import { fill } from "../ops/kernels.js";
import { zerosLike } from "../ops/creation.js";
import { bumpVersion } from "./version.js";

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
