// DataLoader: batches of samples from a dataset, in sampler order (torch.utils.data.DataLoader,
// single-process). Iterate with for…of, or for await…of, which also awaits datasets whose get()
// returns a Promise and yields to the event loop between batches so a server stays responsive.
import type { Generator } from "../generator.js";
import { options } from "../options.js";
import { checkDataset, type DatasetLike } from "./dataset.js";
import { defaultCollate } from "./collate.js";
import { RandomSampler, SequentialSampler, type Sampler } from "./sampler.js";
import { refuseSurplus } from "../arity.js";

export interface DataLoaderOptions<B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit samples in a new random order each epoch (default false). Not with `sampler`. */
  shuffle?: boolean;
  /** Any iterable of indices with a `length` (e.g. a DistributedSampler); replaces shuffle. */
  sampler?: Sampler;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Turns an array of samples into a batch (default: defaultCollate). */
  collate?: (samples: any[]) => B;
  /** Source of the shuffle order (default: seeded from the global stream, tg.manualSeed). */
  generator?: Generator;
}

const KEYS = ["batchSize", "shuffle", "sampler", "dropLast", "collate", "generator"] as const;

/**
 * Iterates over a dataset in batches (mirrors `torch.utils.data.DataLoader` with num_workers=0).
 * `length` is the number of batches per epoch. Each pass (`for…of` or `for await…of`) is one epoch.
 * Default collation stacks tensors and turns integer labels into an int32 tensor (see defaultCollate);
 * a dataset with `getBatch` (TensorDataset, MNIST) is gathered in one call per batch.
 * @throws TypeError/RangeError for a bad dataset or option (naming it); Error when `shuffle` and `sampler` are both given.
 */
export class DataLoader<B = any> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: DatasetLike;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly sampler: Sampler;
  readonly #collate: ((samples: any[]) => B) | undefined;

  constructor(dataset: DatasetLike | readonly unknown[], opts: DataLoaderOptions<B> = {}) {
    refuseSurplus(DataLoader, arguments.length, opts);
    const o = options("DataLoader", opts, KEYS);
    this.dataset = checkDataset(dataset, "DataLoader");
    const { batchSize = 1, shuffle = false, dropLast = false } = o;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (typeof shuffle !== "boolean" || typeof dropLast !== "boolean") throw new TypeError("DataLoader: shuffle and dropLast must be booleans");
    if (o.collate !== undefined && typeof o.collate !== "function") throw new TypeError("DataLoader: collate must be a function (samples) => batch");
    if (o.sampler !== undefined) {
      if (shuffle) throw new Error("DataLoader: sampler option is mutually exclusive with shuffle");
      if (typeof o.sampler?.[Symbol.iterator] !== "function" || !Number.isInteger(o.sampler.length))
        throw new TypeError("DataLoader: sampler must be iterable over indices and have an integer length");
    }
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.#collate = o.collate;
    this.sampler = o.sampler ?? (shuffle ? new RandomSampler(this.dataset, { generator: o.generator }) : new SequentialSampler(this.dataset));
  }

  /** Batches per epoch: ceil(samples / batchSize), or floor with dropLast. */
  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  // The sampler's indices cut into batches.
  *#indexBatches(): IterableIterator<Int32Array> {
    let buf = new Int32Array(this.batchSize), n = 0;
    for (const i of this.sampler) {
      buf[n++] = i;
      if (n === this.batchSize) {
        yield buf;
        buf = new Int32Array(this.batchSize);
        n = 0;
      }
    }
    if (n > 0 && !this.dropLast) yield buf.subarray(0, n);
  }

  #fast(): boolean {
    return this.#collate === undefined && typeof this.dataset.getBatch === "function";
  }
  #collateSamples(samples: unknown[]): B {
    return this.#collate ? this.#collate(samples) : (defaultCollate(samples) as B);
  }

  *[Symbol.iterator](): Iterator<B> {
    for (const idx of this.#indexBatches()) {
      if (this.#fast()) {
        yield this.dataset.getBatch!(idx) as B;
        continue;
      }
      const samples = Array.from(idx, (i) => this.dataset.get(i));
      if (samples.some((s) => s instanceof Promise))
        throw new Error("DataLoader: the dataset's get() returned a Promise; iterate with `for await (const batch of loader)`");
      yield this.#collateSamples(samples);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const idx of this.#indexBatches()) {
      // Let timers and I/O run between batches.
      await new Promise<void>((r) => setImmediate(r));
      yield this.#fast() ? (this.dataset.getBatch!(idx) as B) : this.#collateSamples(await Promise.all(Array.from(idx, (i) => this.dataset.get(i))));
    }
  }
}
