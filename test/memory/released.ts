// How a test sees that tensorgrad gave storage back: a disposed array whose last handle has gone is either
// released to the allocator (its buffer detached) or kept in lib/storage.ts's free lists, from which the
// next tensors of its dtype and length take it (most recently kept first).
import { Tensor } from "../../lib/tensor.js";
import { native, type Storage } from "../../lib/native.js";
import { dtypeOf, type DType } from "../../lib/dtype.js";

// A new output's storage, and whether it was new memory (a native allocation) rather than a kept array.
function output(shape: number[], dtype: DType = "float32"): { storage: Storage; fresh: boolean } {
  const alloc = native.alloc;
  let calls = 0;
  native.alloc = (...args) => (++calls, alloc(...args));
  try {
    return { storage: Tensor.output(shape, dtype).storage, fresh: calls > 0 };
  } finally {
    native.alloc = alloc;
  }
}

// Whether `s` was given back. Kept arrays of its size are taken out of the lists by the check: check once.
export function released(s: Storage): boolean {
  if (s.length === 0) return true;
  for (;;) {
    const { storage, fresh } = output([s.length], dtypeOf(s));
    if (storage === s) return true;
    if (fresh) return false;
  }
}

// Whether a new output of `shape` takes an array that was given back, rather than new memory.
export function outputReusesFreed(shape: number[]): boolean {
  return !output(shape).fresh;
}
