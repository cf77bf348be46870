// Tensors crossing thread boundaries and JSON. A transferable is {dtype, shape, buffer}: a fresh
// ArrayBuffer holding a contiguous copy, so postMessage(msg, [msg.buffer]) moves it without another
// copy and never detaches memory other tensors use (small tensors share 16 KiB slabs).
import { Tensor } from "./tensor.js";
import { ARRAY_TYPE, checkDType, type DType } from "./dtype.js";
import { tensor } from "./ops/creation.js";
import { checkShape, fmt, numelOf } from "./shape.js";
import { refuseSurplus } from "./arity.js";

/** What `tensor.toTransferable()` returns and `tg.fromTransferable()` takes. */
export interface TransferableTensor {
  dtype: DType;
  shape: number[];
  /** Contiguous little-endian values; list it in postMessage's transfer list to move it. */
  buffer: ArrayBuffer;
}

declare module "./tensor.js" {
  interface Tensor {
    /**
     * What JSON.stringify writes: `{dtype, shape, data}`, data flat in row-major order. `key` (the
     * property name JSON.stringify passes) is not used.
     */
    toJSON(key?: string): { dtype: DType; shape: number[]; data: number[] };
    /**
     * A copy to send to another thread: `{dtype, shape, buffer}`; post it with `[t.buffer]` as the
     * transfer list and rebuild with `tg.fromTransferable()`. The tensor itself is untouched.
     */
    toTransferable(): TransferableTensor;
  }
}
// Attached here, not written in tensor.ts, so that tensor.ts imports nothing that imports it.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
Tensor.prototype.toJSON = function (this: Tensor, key?: string) {
  return toJSON(this);
};
Tensor.prototype.toTransferable = function (this: Tensor) {
  return toTransferable(this);
};

/**
 * A plain object `{dtype, shape, data}` holding a copy of `t`'s values in a buffer of its own, safe to
 * `postMessage` with `[obj.data.buffer]` in the transfer list; `tg.fromTransferable` rebuilds the tensor.
 */
export function toTransferable(t: Tensor): TransferableTensor {
  const copy = new ARRAY_TYPE[t.dtype](t.data());  // always a buffer of its own
  return { dtype: t.dtype, shape: [...t.shape], buffer: copy.buffer as ArrayBuffer };
}

/**
 * A tensor from `tensor.toTransferable()` (e.g. received through postMessage), copied into
 * tensorgrad's storage. No PyTorch counterpart (torch.multiprocessing shares storage instead).
 * @throws TypeError for a missing or wrong field; Error when the buffer's size disagrees with shape and dtype.
 */
export function fromTransferable(obj: TransferableTensor): Tensor {
  refuseSurplus(fromTransferable, arguments.length);
  if (obj === null || typeof obj !== "object" || !(obj.buffer instanceof ArrayBuffer))
    throw new TypeError("fromTransferable: expected {dtype, shape, buffer: ArrayBuffer} from tensor.toTransferable()");
  const dtype = checkDType(obj.dtype, "fromTransferable");
  const shape = checkShape(obj.shape, "fromTransferable");
  const Ctor = ARRAY_TYPE[dtype];
  if (obj.buffer.byteLength !== numelOf(shape) * Ctor.BYTES_PER_ELEMENT)
    throw new Error(`fromTransferable: a ${dtype} tensor of shape ${fmt(shape)} needs ${numelOf(shape) * Ctor.BYTES_PER_ELEMENT} bytes, the buffer has ${obj.buffer.byteLength}`);
  return tensor(new Ctor(obj.buffer), { shape });
}

/** `JSON.stringify(tensor)`: `{dtype, shape, data}` with the values flat in row-major order (NaN/±inf become null, as JSON has none). */
export function toJSON(t: Tensor): { dtype: DType; shape: number[]; data: number[] } {
  return { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.data()) };
}
