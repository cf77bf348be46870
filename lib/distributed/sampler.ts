// DistributedSampler: each rank's share of a dataset's indices, for tg.data.DataLoader's
// `{sampler}`. Every rank draws the same permutation (from seed + epoch, with its own generator,
// untouched by tg.manualSeed), pads it to a multiple of the world size by repeating its start (or
// drops the tail), and takes every worldSize-th index from its rank on: torch's rule.
import { options } from "../options.js";
import { currentWorld, isInitialized } from "./process-group.js";
import { refuseSurplus } from "../arity.js";

export interface DistributedSamplerOptions {
  /** Number of ranks sharing the data (default: the process group's world size). */
  numReplicas?: number;
  /** This rank (default: the process group's rank). */
  rank?: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Base seed; must be the same on every rank (default 0). */
  seed?: number;
  /** Drop the tail that does not divide evenly instead of repeating indices (default false). */
  dropLast?: boolean;
}

// A 32-bit generator small enough to write here and the same on every machine (mulberry32).
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Yields this rank's dataset indices for one epoch; `length` is how many. Mirrors
 * `torch.utils.data.distributed.DistributedSampler(dataset, num_replicas, rank, shuffle, seed, drop_last)`.
 * Call `setEpoch(e)` before each epoch so the shuffle changes (the same on every rank).
 * @throws TypeError when `dataset` has no integer `length`; RangeError for rank outside
 *   [0, numReplicas); Error when numReplicas/rank are omitted and no process group is initialized.
 */
export class DistributedSampler implements Iterable<number> {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** Indices this rank yields per epoch. */
  readonly length: number;
  #size: number;
  #total: number;
  #epoch = 0;

  constructor(dataset: { length: number } | number, opts: DistributedSamplerOptions = {}) {
    refuseSurplus(DistributedSampler, arguments.length, opts);
    const op = "DistributedSampler";
    const o = options(op, opts, ["numReplicas", "rank", "shuffle", "seed", "dropLast"]);
    const size = typeof dataset === "number" ? dataset : dataset?.length;
    if (!Number.isInteger(size) || size < 0) throw new TypeError(`${op}: dataset must have an integer length >= 0, got ${String(size)}`);
    const need = o.numReplicas === undefined || o.rank === undefined;
    const world = need && isInitialized() ? currentWorld(op) : undefined;
    if (need && !world) throw new Error(`${op}: pass {numReplicas, rank} or initialize the process group first`);
    this.numReplicas = o.numReplicas ?? world!.size;
    this.rank = o.rank ?? world!.rank;
    if (!Number.isInteger(this.numReplicas) || this.numReplicas < 1) throw new RangeError(`${op}: numReplicas must be an integer >= 1, got ${this.numReplicas}`);
    if (!Number.isInteger(this.rank) || this.rank < 0 || this.rank >= this.numReplicas)
      throw new RangeError(`${op}: rank must be in [0, ${this.numReplicas}), got ${this.rank}`);
    this.shuffle = o.shuffle ?? true;
    this.seed = o.seed ?? 0;
    this.dropLast = o.dropLast ?? false;
    this.#size = size;
    this.length = this.dropLast ? Math.floor(size / this.numReplicas) : Math.ceil(size / this.numReplicas);
    this.#total = this.length * this.numReplicas;
  }

  /** Sets the epoch the next iteration shuffles for (PyTorch's set_epoch). */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`DistributedSampler.setEpoch: epoch must be an integer >= 0, got ${epoch}`);
    this.#epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.#size, order = Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) {
      const rand = generator(this.seed * 1000003 + this.#epoch);
      for (let i = n - 1; i > 0; --i) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    for (let k = this.rank; k < this.#total; k += this.numReplicas) yield order[k % n];
  }
}
