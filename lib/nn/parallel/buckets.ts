// DDP's gradient buckets: parameters in reverse registration order (about the order backward
// produces their gradients), grouped by dtype into flat buffers of at most firstBucketMb for the
// first bucket and bucketCapMb for the others. The buffers are allocated once, zero-filled (so
// their pages are touched before training) and reused every step; the averaged gradients are
// handed back as views of them. Backward accumulates into an existing .grad in place, so a .grad
// still viewing its bucket is given its own copy when the bucket's all-reduce starts (unshareGrads).
import { Tensor } from "../../tensor.js";
import type { DType } from "../../dtype.js";
import { ARRAY_TYPE } from "../../dtype.js";
import type { Storage } from "../../native.js";
import type { Parameter } from "../parameter.js";

export interface Bucket {
  params: Parameter[];
  offsets: number[];       // where each parameter's elements start in flat
  flat: Tensor;            // 1-D, the bucket's dtype
  grads: Tensor[];         // per parameter: its part of flat in its shape, the .grad synchronize() hands back
  arrived: Set<Parameter>; // parameters whose gradient this step has produced (hook path)
  pending: Promise<unknown> | null;  // the all-reduce in flight
  stale: boolean;          // a gradient changed after the bucket's all-reduce started
}

/** The elements of a contiguous tensor as a view of its storage. */
export function elements(t: Tensor, what: string): Storage {
  if (!t.isContiguous()) throw new Error(`DistributedDataParallel: ${what} must be contiguous`);
  return t.storage.subarray(t.offset, t.offset + t.numel()) as Storage;
}

export function makeBuckets(params: Parameter[], firstCapBytes: number, capBytes: number): Bucket[] {
  const groups: Parameter[][] = [];
  const open = new Map<DType, { list: Parameter[]; bytes: number }>();
  for (const p of [...params].reverse()) {
    const bytes = p.numel() * ARRAY_TYPE[p.dtype].BYTES_PER_ELEMENT;
    let g = open.get(p.dtype);
    if (!g || (g.bytes > 0 && g.bytes + bytes > (g.list === groups[0] ? firstCapBytes : capBytes))) {
      g = { list: [], bytes: 0 };
      open.set(p.dtype, g);
      groups.push(g.list);
    }
    g.list.push(p);
    g.bytes += bytes;
  }
  return groups.map((list) => {
    const offsets: number[] = [];
    let n = 0;
    for (const p of list) offsets.push(n), (n += p.numel());
    const flat = Tensor.empty([n], list[0].dtype);
    return {
      params: list, offsets, flat, grads: list.map((p, i) => flat.narrow(0, offsets[i], p.numel()).view(p.shape)),
      arrived: new Set(), pending: null, stale: false,
    };
  });
}

/** Copies every parameter's gradient (zeros where it has none) into the bucket's buffer. */
export function gatherGrads(b: Bucket): void {
  const flat = b.flat.storage;
  b.params.forEach((p, i) => {
    if (p.grad) flat.set(elements(p.grad, "a gradient"), b.offsets[i]);
    else flat.fill(0, b.offsets[i], b.offsets[i] + p.numel());
  });
}

/**
 * Before the bucket's all-reduce starts: a parameter whose .grad is still the view of the bucket handed
 * back last step (no zeroGrad in between) gets its own copy, so that a later backward accumulating into
 * .grad (another micro-batch) cannot write the buffer while the all-reduce reads and rewrites it.
 */
export function unshareGrads(b: Bucket): void {
  b.params.forEach((p, i) => {
    if (p.grad === b.grads[i]) p.grad = b.grads[i].clone();
  });
}

/**
 * Hands the reduced buffer back as each parameter's .grad: views of the bucket (PyTorch's
 * gradient_as_bucket_view), so no copy; the next step's gradients replace them before it is reused.
 */
export function scatterGrads(b: Bucket): void {
  b.params.forEach((p, i) => {
    p.grad = b.grads[i];
  });
}
