// Samplers: the order in which a DataLoader visits a dataset's indices (torch.utils.data.Sampler).
// A sampler is anything iterable over indices with a `length`; DistributedSampler (one shard per
// process, reshuffled by setEpoch) plugs in the same way.
import { Generator, generatorFromGlobalSeed } from "../generator.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

/** What `DataLoader({sampler})` accepts: iterates over dataset indices; `length` is how many. */
export interface Sampler {
  readonly length: number;
  [Symbol.iterator](): Iterator<number>;
}

/** 0, 1, …, length-1 in order (mirrors `torch.utils.data.SequentialSampler`). */
export class SequentialSampler implements Sampler {
  constructor(readonly dataset: { readonly length: number }) {
    refuseSurplus(SequentialSampler, arguments.length);
  }
  get length(): number {
    return this.dataset.length;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.dataset.length; ++i) yield i;
  }
}

export interface RandomSamplerOptions {
  /** Draws each epoch's permutation from this generator; default: a new one per epoch seeded from tg.manualSeed's stream. */
  generator?: Generator;
}

/**
 * A fresh random permutation of the indices on every pass (mirrors
 * `torch.utils.data.RandomSampler` without replacement).
 */
export class RandomSampler implements Sampler {
  readonly generator: Generator | undefined;

  constructor(readonly dataset: { readonly length: number }, opts: RandomSamplerOptions = {}) {
    refuseSurplus(RandomSampler, arguments.length, opts);
    const { generator } = options("RandomSampler", opts, ["generator"]);
    if (generator !== undefined && !(generator instanceof Generator)) throw new TypeError("RandomSampler: generator must be a tg.Generator");
    this.generator = generator;
  }
  get length(): number {
    return this.dataset.length;
  }
  [Symbol.iterator](): Iterator<number> {
    return (this.generator ?? generatorFromGlobalSeed()).randperm(this.dataset.length)[Symbol.iterator]();
  }
}
