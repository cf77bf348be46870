// defaultCollate: a list of samples into one batch, as torch.utils.data.default_collate does.
import { Tensor } from "../tensor.js";
import { tensor } from "../ops/creation.js";
import { stack } from "../ops/views.js";
import { fmt } from "../shape.js";
import { refuseSurplus } from "../arity.js";

function kind(v: unknown): string {
  if (v instanceof Tensor) return `Tensor${fmt(v.shape)}`;
  if (Array.isArray(v)) return `array of ${v.length}`;
  return v === null ? "null" : typeof v;
}

/**
 * Stacks samples into a batch (mirrors `torch.utils.data.default_collate`):
 * - Tensors of equal shape `S` → one Tensor `[B, ...S]` (same dtype);
 * - numbers → int32 `[B]` when all are integers (class labels), else float32 `[B]` (JS cannot tell
 *   2 from 2.0: give float targets as 0-d tensors to keep them float32 in every batch);
 * - arrays (tuples) and plain objects → the same structure with each field collated;
 * - strings → an array of strings.
 * @throws Error naming the field path when samples disagree in type, length or shape.
 */
export function defaultCollate(samples: unknown[], path = "batch"): unknown {
  refuseSurplus(defaultCollate, arguments.length);
  if (samples.length === 0) throw new Error("defaultCollate: no samples");
  const first = samples[0];
  const mismatch = samples.find((s) => kind(s) !== kind(first));
  if (mismatch !== undefined)
    throw new Error(`defaultCollate: ${path}: samples differ: ${kind(first)} vs ${kind(mismatch)}; every sample must have the same structure and tensor shapes`);
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === "number") {
    const nums = samples as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? "int32" : "float32" });
  }
  if (typeof first === "string") return samples;
  if (Array.isArray(first)) return first.map((_, i) => defaultCollate(samples.map((s) => (s as unknown[])[i]), `${path}[${i}]`));
  if (first !== null && typeof first === "object" && Object.getPrototypeOf(first) === Object.prototype)
    return Object.fromEntries(Object.keys(first).map((k) => [k, defaultCollate(samples.map((s) => (s as Record<string, unknown>)[k]), `${path}.${k}`)]));
  throw new TypeError(`defaultCollate: ${path}: cannot batch a ${kind(first)}; samples must be Tensors, numbers, strings, arrays or plain objects of these (or pass a collate function)`);
}
