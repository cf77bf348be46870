// Small deterministic inputs for the op definitions' `sample`s (the gradient registry test
// gradChecks every differentiable op on its sample).
import { Tensor } from "../tensor.js";
import { numelOf } from "../shape.js";

// float64 values in (-1, 1) away from 0 and from each other: smooth ops are checked off their kinks.
export function vals(shape: number[], seed = 1): Tensor {
  const t = Tensor.empty(shape, "float64");
  for (let i = 0; i < numelOf(shape); ++i) t.storage[i] = Math.sin(seed * 12.9898 + i * 78.233) * 0.9 + (i % 2 ? 0.05 : -0.05);
  return t;
}

// float64 values in [0.5, 2], for log, sqrt and denominators.
export function positive(shape: number[], seed = 1): Tensor {
  const t = vals(shape, seed);
  for (let i = 0; i < t.numel(); ++i) t.storage[i] = Math.abs(t.storage[i]) * 1.5 + 0.5;
  return t;
}

// An int32 tensor of the given values and shape (indices, masks).
export function ints(values: number[], shape = [values.length]): Tensor {
  const t = Tensor.empty(shape, "int32");
  t.storage.set(values);
  return t;
}

// A sample's argument list. (Written as a call rather than an array literal so the type checker
// never has to infer the literal's element type, which would need Tensor's full type while the op
// methods that make it up are still being inferred.)
export function args(...xs: unknown[]): unknown[] {
  return xs;
}
