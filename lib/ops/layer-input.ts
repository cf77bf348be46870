// Input checks and preparation shared by the layer ops (pooling, normalisation, dropout, padding):
// each failure is an Error naming the op, the argument and the shapes involved.
import { Tensor } from "../tensor.js";
import { dense } from "./kernels.js";
import { record } from "../autograd/node.js";
import { fmt, sameShape } from "../shape.js";
import { checkLive } from "./check.js";

/** A float32/float64 tensor, or a TypeError naming `op` and `what`. */
export function floatTensor(x: unknown, op: string, what = "input"): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${x === null ? "null" : typeof x}`);
  if (x.dtype === "int32") throw new TypeError(`${op}: ${what} must be float32 or float64, got int32 (shape ${fmt(x.shape)}); use .float()`);
  checkLive(x, op, what);
  return x;
}

/** How to make a 4-D [N, C, H, W] batch of a 3-D or 2-D input, for an error message ("" for other ranks). */
export function batchHint(t: Tensor): string {
  if (t.ndim === 3) return "; for a single image [C, H, W] use x.unsqueeze(0)";
  if (t.ndim === 2) return "; for a single one-channel image [H, W] use x.reshape([1, 1, H, W])";
  return "";
}

/**
 * A float [N, C, H, W] input with C, H, W > 0 (N may be 0). A 3-D [C, H, W] input is refused with the
 * fix: these ops take batches, as the rest of tensorgrad's NCHW family.
 */
export function nchw(x: unknown, op: string): Tensor {
  const t = floatTensor(x, op);
  if (t.ndim !== 4)
    throw new Error(`${op}: input must be 4-D [N, C, H, W], got ${t.ndim}-D shape ${fmt(t.shape)}${batchHint(t)}`);
  if (t.shape.slice(1).some((d) => d === 0))
    throw new Error(`${op}: input of shape ${fmt(t.shape)} has an empty channel or spatial dim (only N may be 0)`);
  return t;
}

/** An optional per-channel tensor (weight, bias, running stats): null, or float of `shape` and x's dtype. */
export function optionalParam(t: unknown, shape: readonly number[], x: Tensor, op: string, what: string): Tensor | null {
  if (t === null || t === undefined) return null;
  floatTensor(t, op, what);
  const p = t as Tensor;
  if (!sameShape(p.shape, shape))
    throw new Error(`${op}: ${what} has shape ${fmt(p.shape)}, expected ${fmt(shape)} for input of shape ${fmt(x.shape)}`);
  if (p.dtype !== x.dtype) throw new TypeError(`${op}: ${what} is ${p.dtype} but the input is ${x.dtype}; convert one of them`);
  return p;
}

// dense(t): t's values as a dense buffer from offset 0, t itself when it already is one, else a copy (off the
// tape). A layer op saves what it returns: saving t itself (not a new handle over its storage) lets
// t.dispose() — Sequential's on an intermediate, or the user's — release the memory once the node's backward
// has run, instead of at the next garbage collection of a handle; a copy goes in the op's temporaries.
export { dense };

/** A dense tensor's storage, or null. */
export function storageOf(t: Tensor | null): Tensor["storage"] | null {
  return t ? dense(t).storage : null;
}

/** A layer op's backward: from what it saved (ctx) and dL/d(output), one gradient per input slot. */
export type LayerRule<C> = (ctx: C, g: Tensor) => (Tensor | null)[];

/**
 * Records `out` as made from `inputs` (null for an absent optional input) by a rule that reads only
 * `ctx` (its tensors are the saved ones). The layer ops live on tg.nn.functional, not on `tg`, so they
 * record through the engine's record() directly rather than through defineOp. `temporaries` are tensors
 * the op made for its rule alone (indices, masks, statistics, dense copies of its inputs): they are
 * disposed here, so their memory returns once the node's backward has run (at once if nothing was
 * recorded) instead of at a garbage collection.
 */
export function recordLayer<C extends object>(name: string, out: Tensor, inputs: (Tensor | null)[], ctx: C, rule: LayerRule<C>,
  temporaries: (Tensor | null)[] = []): Tensor {
  const y = record(name, [out], inputs, ctx, (c: C, grads: (Tensor | null)[]) => rule(c, grads[0]!));
  disposeTemporaries(temporaries);
  return y;
}

/** Disposes each tensor an op made for its own use (null entries skipped). */
export function disposeTemporaries(temporaries: (Tensor | null)[]): void {
  for (let i = 0; i < temporaries.length; ++i) temporaries[i]?.dispose();
}

/** `copy` when it is a copy of `of` that the op made (dense() of a strided input), else null. */
export function copyOf(copy: Tensor, of: Tensor): Tensor | null {
  return copy === of ? null : copy;
}
