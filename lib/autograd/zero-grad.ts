// Clearing parameters' gradients between steps: Module.zeroGrad and Optimizer.zeroGrad.
import type { Tensor } from "../tensor.js";
import { soleHandle } from "../storage.js";
import { fill } from "../ops/kernels.js";
import { zerosLike } from "../ops/creation.js";
import { bumpVersion } from "./version.js";

// setToNone (PyTorch's default) drops each .grad; otherwise each is zeroed in place, as PyTorch's
// grad.zero_(), so that the next backward accumulates into the same memory instead of a fresh
// allocation per parameter per step. A .grad whose storage another live tensor shares (one the user
// assigned, say p.grad = q.grad), or that tensorgrad cannot count handles for, gets fresh zeros instead,
// so zeroing one parameter's gradient never changes another tensor.
export function zeroGrads(params: readonly Tensor[], setToNone: boolean): void {
  for (let i = 0; i < params.length; ++i) {
    const p = params[i], g = p.grad;
    if (!g) continue;
    if (setToNone) p.grad = null;
    else if (g.isContiguous() && soleHandle(g.storage)) {
      fill(g, 0);
      bumpVersion(g.storage);
    } else p.grad = zerosLike(g);
  }
}
