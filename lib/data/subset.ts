// Subset and randomSplit: a dataset seen through a list of indices, and a random partition into such views.
import { Generator, generatorFromGlobalSeed } from "../generator.js";
import { options } from "../options.js";
import { checkDataset, checkIndex, Dataset, type DatasetLike } from "./dataset.js";
import { refuseSurplus } from "../arity.js";

/** The samples of `dataset` (a dataset or a plain array) at `indices`, in that order (mirrors `torch.utils.data.Subset`). */
export class Subset<T = unknown> extends Dataset<T> {
  readonly dataset: DatasetLike<T>;
  readonly indices: Int32Array;

  /** @throws RangeError when an index is outside the dataset. */
  constructor(dataset: DatasetLike<T> | readonly T[], indices: ArrayLike<number>) {
    refuseSurplus(Subset, arguments.length);
    super();
    const ds = (this.dataset = checkDataset(dataset, "Subset") as DatasetLike<T>);
    this.indices = Int32Array.from(indices, (i) => checkIndex(i, ds.length, "Subset"));
    if (ds.getBatch) this.getBatch = (idx: Int32Array) => ds.getBatch!(idx.map((i) => this.indices[checkIndex(i, this.length, "Subset.getBatch")]));
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T | Promise<T> {
    return this.dataset.get(this.indices[checkIndex(index, this.length, "Subset.get")]);
  }

  getBatch?: (indices: Int32Array) => unknown;
}

export interface RandomSplitOptions {
  /** Source of the permutation; default: a generator seeded from the global stream (tg.manualSeed). */
  generator?: Generator;
}

// Lengths from fractions as PyTorch does: floor each, then give the remainder out one by one.
function splitLengths(n: number, lengths: number[]): number[] {
  const isFractions = lengths.every((f) => f >= 0 && f <= 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9 &&
    lengths.some((f) => !Number.isInteger(f));
  if (!isFractions) return lengths;
  const out = lengths.map((f) => Math.floor(n * f));
  for (let i = 0, rest = n - out.reduce((a, b) => a + b, 0); i < rest; ++i) out[i % out.length] += 1;
  return out;
}

/**
 * Randomly partitions a dataset (or a plain array) into non-overlapping Subsets (mirrors
 * `torch.utils.data.random_split`). `lengths` are sample counts summing to the dataset's length, or
 * fractions summing to 1 (remainders go to the first subsets, one each, as PyTorch).
 * @throws Error when the counts do not sum to the length or a count is negative or not an integer.
 */
export function randomSplit<T>(source: DatasetLike<T> | readonly T[], lengths: number[], opts: RandomSplitOptions = {}): Subset<T>[] {
  refuseSurplus(randomSplit, arguments.length, opts);
  const { generator } = options("randomSplit", opts, ["generator"]);
  const dataset = checkDataset(source, "randomSplit") as DatasetLike<T>;
  if (!Array.isArray(lengths) || lengths.length === 0) throw new TypeError("randomSplit: lengths must be a non-empty array of counts or fractions");
  const counts = splitLengths(dataset.length, lengths);
  if (counts.some((c) => !Number.isInteger(c) || c < 0))
    throw new Error(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(", ")}]`);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== dataset.length)
    throw new Error(`randomSplit: sum of input lengths (${total}) does not equal the length of the input dataset (${dataset.length})`);
  if (generator !== undefined && !(generator instanceof Generator)) throw new TypeError("randomSplit: generator must be a tg.Generator");
  const perm = (generator ?? generatorFromGlobalSeed()).randperm(total);
  let start = 0;
  return counts.map((c) => new Subset(dataset, perm.subarray(start, (start += c))));
}
