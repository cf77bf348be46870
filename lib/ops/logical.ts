// Truth tests over dims: any and all, as PyTorch's. tensorgrad has no bool dtype, so they return
// int32 0/1 as comparisons do; NaN counts as true (it is nonzero), as in PyTorch.
import type { Tensor } from "../tensor.js";
import { defineOp } from "./define.js";
import { checkTensor, dimKeepdim, type DimKeepdimOptions, type KeepdimOptions } from "./check.js";
import { eq, ne } from "./elementwise.js";
import { reducedDims, sum } from "./reduce.js";

// Counts the elements that are nonzero (any) or zero (all) over the dims, then tests the count.
function truthOp(name: "any" | "all") {
  return defineOp({
    name, method: true, differentiable: false,
    doc: `whether ${name === "any" ? "any" : "every"} element is nonzero (over dims, or all), an int32 0/1 tensor (NaN counts as true)`,
    forward(x: Tensor, dimOrOptions?: number | number[] | null | DimKeepdimOptions, keepdim?: boolean | KeepdimOptions): Tensor {
      const [dim, kd] = dimKeepdim(name, dimOrOptions, keepdim);
      reducedDims(checkTensor(x, name), dim, name);
      const count = sum(name === "any" ? ne(x, 0) : eq(x, 0), dim, kd);
      return name === "any" ? ne(count, 0) : eq(count, 0);
    },
  });
}
/**
 * torch.any: 1 where some element of x (over `dim`, all dims when omitted) is nonzero, else 0, as an
 * int32 tensor (PyTorch: bool); an empty reduction gives 0. `keepdim` as in `sum`. Any dtype; no gradient.
 * `if (mask.any().item())` tests a mask.
 * @throws RangeError for a dim out of range; TypeError for a bad keepdim.
 */
export const any = truthOp("any");
/**
 * torch.all: 1 where every element of x (over `dim`, all dims when omitted) is nonzero, else 0, as an
 * int32 tensor (PyTorch: bool); an empty reduction gives 1. As {@link any} otherwise.
 */
export const all = truthOp("all");
