// Shared by the small-storage reuse tests: takes whatever the free lists hold and fills it with a
// sentinel, so a tensor still reading memory that went back to a list shows the sentinel.
import { Tensor } from "../../lib/tensor.js";

// Allocates many tensors of n elements (each dtype) filled with a sentinel, keeping them alive:
// any array the free list still held is now one of these.
export function churn(n: number): Tensor[] {
  const kept: Tensor[] = [];
  for (const dtype of ["float32", "float64", "int32"] as const)
    for (let k = 0; k < 12; ++k) { const t = Tensor.output([n], dtype); t.storage.fill(dtype === "int32" ? 77777 : 999.25); kept.push(t); }
  return kept;
}

export const arr = (t: Tensor) => Array.from(t.data());
