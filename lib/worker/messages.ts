// Values crossing between a training worker and the main thread: tensors anywhere in a message
// (nested in arrays and plain objects) travel as transferables, moved rather than copied again.
import { Tensor } from "../tensor.js";
import { fromTransferable, toTransferable, type TransferableTensor } from "../transfer.js";
import { checkLive } from "../ops/check.js";

const TAG = "$tensorgrad.tensor";

/**
 * `value` with every Tensor replaced by a tagged transferable; their buffers are added to `transfer`.
 * @throws Error naming `op` (worker.run, worker.task) for a disposed tensor.
 */
export function encode(value: unknown, transfer: ArrayBuffer[], op: string): unknown {
  if (value instanceof Tensor) {
    checkLive(value, op, "a tensor in the message");
    const t = toTransferable(value);
    transfer.push(t.buffer);
    return { [TAG]: t };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, transfer, op));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, transfer, op)]));
  return value;
}

/** The inverse of encode: tagged transferables become Tensors again. */
export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const o = value as Record<string, unknown>;
    if (TAG in o) return fromTransferable(o[TAG] as TransferableTensor);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}
