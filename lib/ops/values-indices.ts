// PyTorch's (values, indices) named tuples (torch.return_types.max, .sort, .topk) in JS: an array of
// the two tensors, so `const [v, i] = x.max(1)` and `x.max(1)[1]` work as Python's tuple unpacking and
// indexing, with the fields `values` and `indices` as the named tuple's attributes. An Array subclass
// (not a plain array with two extra own properties) so printing shows each tensor once.
import type { Tensor } from "../tensor.js";
import { formatTensor } from "../format.js";

// The runtime class; `values` and `indices` are defined on its prototype below (Array.prototype has a
// `values()` iterator method, which the named tuple's field shadows, as in PyTorch).
let hinted = false;
class Pair extends Array<Tensor> {
  // map/filter/slice make plain arrays (their length is not always 2).
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  readonly #op: string;
  constructor(values: Tensor, indices: Tensor, op: string) {
    super(2);
    if (!hinted) Pair.hintTensorMethods(Object.getPrototypeOf(values));
    this[0] = values;
    this[1] = indices;
    this.#op = op;
  }
  // Code written for a single-tensor result (x.max(1).sum()) gets an Error saying what to do rather
  // than "x.max(...).sum is not a function": for every Tensor method the array lacks, and shape/dtype.
  static hintTensorMethods(tensorProto: object): void {
    hinted = true;
    const names = Object.getOwnPropertyNames(tensorProto).filter((n) => !(n in Pair.prototype) && n !== "toJSON" &&
      typeof Object.getOwnPropertyDescriptor(tensorProto, n)!.value === "function");
    for (const name of [...names, "shape", "dtype"]) {
      Object.defineProperty(Pair.prototype, name, {
        get(this: Pair) {
          throw new TypeError(`${this.#op}(...).${name}: ${this.#op} returns PyTorch's (values, indices) pair, not a tensor; ` +
            `use .values.${name} or .indices.${name} (or const [values, indices] = x.${this.#op}(...))`);
        },
        configurable: true, enumerable: false,
      });
    }
  }
  override toString(): string {
    return `torch.return_types.${this.#op}(\nvalues=${formatTensor(this[0])},\nindices=${formatTensor(this[1])})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
for (const [field, i] of [["values", 0], ["indices", 1]] as const)
  Object.defineProperty(Pair.prototype, field, { get(this: Pair) { return this[i]; }, configurable: true, enumerable: false });

/**
 * The `[values, indices]` pair that `max(dim)`, `min(dim)`, `sort` and `topk` return, as PyTorch's named
 * tuple: destructure it (`const [values, indices] = x.max(1)`), index it (`x.max(1)[0]`), or read
 * `.values` / `.indices`. `values` has the input's dtype and carries the gradient; `indices` is int32
 * (PyTorch: int64) of the same shape, positions along the reduced or sorted dim. It is an Array
 * (`Array.isArray` is true; `map`, `slice` return plain arrays), whose `values` field shadows
 * `Array.prototype.values()`. Prints as PyTorch's `torch.return_types.max(values=…, indices=…)`.
 */
export type ValuesIndices = Omit<readonly [values: Tensor, indices: Tensor], "values"> & {
  /** The values (the input's dtype), PyTorch's `.values`. */
  readonly values: Tensor;
  /** The int32 indices, PyTorch's `.indices`. */
  readonly indices: Tensor;
};

/** The pair for op `op` (its PyTorch name, for printing). */
export function valuesIndices(values: Tensor, indices: Tensor, op: string): ValuesIndices {
  return new Pair(values, indices, op) as unknown as ValuesIndices;
}
