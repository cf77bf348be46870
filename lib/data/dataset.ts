// Dataset: what a DataLoader reads from (torch.utils.data.Dataset, map-style): a length and a way
// to fetch sample i. Any object with `length` and `get(i)` works, and so does a plain array; extending this class only adds
// the checks and names. A dataset may also offer `getBatch(indices)`, a whole collated batch in one
// call (PyTorch's __getitems__): the DataLoader then skips per-sample fetching and stacking.
import { refuseSurplus } from "../arity.js";

/** What `DataLoader` and `Subset` accept: a `length` and `get(i)` (optionally `getBatch`). */
export interface DatasetLike<T = unknown> {
  readonly length: number;
  get(index: number): T | Promise<T>;
  /** The collated batch of these samples, equal to defaultCollate(indices.map(get)). */
  getBatch?(indices: Int32Array): unknown;
}

/**
 * Base of map-style datasets (mirrors `torch.utils.data.Dataset`): subclasses define `length` and
 * `get(i)` (PyTorch's `__len__` / `__getitem__`).
 */
export abstract class Dataset<T = unknown> implements DatasetLike<T> {
  abstract readonly length: number;
  abstract get(index: number): T | Promise<T>;

  /**
   * Takes nothing: a dataset of your own takes its data in its own constructor and calls super().
   * @throws TypeError when given any argument (`new MyDataset(data)` without a constructor of its own).
   */
  constructor() {
    refuseSurplus(Dataset, arguments.length, undefined, new.target.name);
  }

  /** `for (const sample of dataset)`: every sample in order (synchronous datasets only). */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; ++i) {
      const s = this.get(i);
      if (s instanceof Promise) throw new Error(`${this.constructor.name}: get() returned a Promise; iterate with for await over a DataLoader`);
      yield s;
    }
  }
}

/**
 * Checks that `i` is an integer index into a dataset of `length` samples; negative counts from the
 * end, as in Python. Returns the non-negative index.
 * @throws RangeError naming `op`, the index and the length.
 */
export function checkIndex(i: number, length: number, op: string): number {
  if (!Number.isInteger(i) || i < -length || i >= length)
    throw new RangeError(`${op}: index ${i} is out of range for a dataset of ${length} samples`);
  return i < 0 ? i + length : i;
}

/**
 * The dataset `ds` stands for: itself, or for a plain array (as a Python list is a dataset to
 * torch.utils.data) one whose sample i is the array's element i.
 * @throws TypeError naming `op` when `ds` is neither an array nor an object with a numeric length and get().
 */
export function checkDataset(ds: unknown, op: string): DatasetLike {
  if (Array.isArray(ds)) return { get length() { return ds.length; }, get: (i: number) => ds[i] };
  const d = ds as DatasetLike | null;
  if (!d || typeof d.get !== "function" || !Number.isInteger(d.length) || d.length < 0)
    throw new TypeError(`${op}: expected a dataset (an array, or an object with an integer \`length\` and a \`get(i)\` method)`);
  return d;
}
