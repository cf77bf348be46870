// DistributedDataParallel: the same model on every rank, each rank on its share of the data;
// after backward, every gradient is the average over the ranks, so every rank takes the same
// optimizer step. Gradients travel in buckets (see buckets.ts), each all-reduced on the process
// group's communication thread while JS goes on.
import { Tensor } from "../../tensor.js";
import type { BackwardOptions } from "../../autograd/engine.js";
import { Module } from "../module.js";
import type { Parameter } from "../parameter.js";
import { options } from "../../options.js";
import { bumpVersion } from "../../autograd/version.js";
import { allReduce, broadcast } from "../../distributed/collectives.js";
import { currentWorld } from "../../distributed/process-group.js";
import { type Bucket, elements, gatherGrads, unshareGrads, makeBuckets, scatterGrads } from "./buckets.js";
import { refuseSurplus } from "../../arity.js";

export interface DistributedDataParallelOptions {
  /** Size cap of a gradient bucket in MiB (default 25, as PyTorch). */
  bucketCapMb?: number;
  /** Size cap of the first bucket (the last layers' gradients, ready first), default 1 MiB. */
  firstBucketMb?: number;
  /** Copy rank 0's buffers (e.g. BatchNorm's running stats) to every rank after each synchronize(); default true. */
  broadcastBuffers?: boolean;
}

declare module "../../tensor.js" {
  interface Tensor {
    /**
     * `backward()` (same arguments), then waits for every DistributedDataParallel whose gradients it
     * produced to finish averaging them, as `await ddp.synchronize()` does: afterwards `.grad` holds
     * the averages and `opt.step()` may run. Without DDP it is backward() in a promise.
     * @throws rejects with backward()'s Errors, or the collective's Error when a rank fails.
     */
    backwardAsync(gradOrOpts?: Tensor | null | BackwardOptions, opts?: BackwardOptions): Promise<void>;
  }
}

// The DDP wrappers whose gradient hooks fired since the last backwardAsync(), in first-hook order
// (the same on every rank, so their collectives queue in the same order).
const touched = new Set<DistributedDataParallel>();

Tensor.prototype.backwardAsync = async function (this: Tensor, gradOrOpts?: Tensor | null | BackwardOptions, opts?: BackwardOptions) {
  this.backward(gradOrOpts, opts);
  const ddps = [...touched];
  touched.clear();
  for (const ddp of ddps) await ddp.synchronize();
};

// Tensor hooks from the autograd engine, where present: called after a leaf's .grad was accumulated.
type Hookable = { registerPostAccumulateGradHook?: (fn: (t: Tensor) => void) => unknown };

/**
 * Wraps `module` for data-parallel training over the default process group. Mirrors
 * `torch.nn.parallel.DistributedDataParallel`; state-dict keys get the `module.` prefix as in PyTorch.
 * Construction broadcasts rank 0's parameters and buffers to every rank: `await ddp.ready` before
 * the first forward. Each step: `loss.backward(); await ddp.synchronize(); opt.step()`, or
 * `await loss.backwardAsync(); opt.step()`.
 * @throws Error when the process group is not initialized, on unknown options or caps <= 0, or
 *   (forward) before `ready` has resolved.
 */
export class DistributedDataParallel extends Module {
  readonly module: Module;
  /** Resolves once rank 0's parameters and buffers have reached this rank. */
  readonly ready: Promise<void>;
  readonly #buckets: Bucket[];
  readonly #bucketOf = new Map<Parameter, Bucket>();
  readonly #broadcastBuffers: boolean;
  #synced = false;

  constructor(module: Module, opts: DistributedDataParallelOptions = {}) {
    refuseSurplus(DistributedDataParallel, arguments.length, opts);
    super();
    const op = "DistributedDataParallel";
    const o = options(op, opts, ["bucketCapMb", "firstBucketMb", "broadcastBuffers"]);
    currentWorld(op);
    if (!(module instanceof Module)) throw new TypeError(`${op}: module must be a tg.nn.Module`);
    const cap = o.bucketCapMb ?? 25, first = o.firstBucketMb ?? 1;
    for (const [k, v] of [["bucketCapMb", cap], ["firstBucketMb", first]] as const)
      if (!(typeof v === "number" && v > 0)) throw new RangeError(`${op}: ${k} must be a number > 0, got ${String(v)}`);
    this.module = module;
    this.#broadcastBuffers = o.broadcastBuffers ?? true;
    const params = module.parameters().filter((p) => p.requiresGrad);
    this.#buckets = params.length ? makeBuckets(params, first * 2 ** 20, cap * 2 ** 20) : [];
    for (const b of this.#buckets) for (const p of b.params) {
      this.#bucketOf.set(p, b);
      (p as Hookable).registerPostAccumulateGradHook?.(() => this.#arrived(p));
    }
    this.ready = this.#broadcastState(true).then(() => {
      this.#synced = true;
    });
  }

  /** Elements per gradient bucket, in the order the buckets are reduced. */
  get bucketSizes(): number[] {
    return this.#buckets.map((b) => b.flat.numel());
  }

  /**
   * How many buckets' all-reduces are under way; right after backward() that is every bucket whose
   * gradients were all produced, when the autograd engine has post-accumulate hooks (else 0).
   */
  get bucketsInFlight(): number {
    return this.#buckets.filter((b) => b.pending).length;
  }

  /** Runs the wrapped module (PyTorch's `ddp(x)`). @throws Error before `ready` has resolved. */
  forward(...inputs: Tensor[]): Tensor {
    if (!this.#synced)
      throw new Error("DistributedDataParallel: await ddp.ready (rank 0's parameters are still being broadcast) before the first forward");
    return this.module.forward(...inputs);
  }

  /**
   * Waits for every bucket's all-reduce (starting those no hook started) and writes the averaged
   * gradients to each parameter's .grad; a parameter without a gradient on every rank gets zeros
   * averaged like the rest. Call after backward() and before opt.step().
   * @throws rejects with the collective's Error when a rank fails.
   */
  async synchronize(): Promise<void> {
    await this.ready;
    for (const b of this.#buckets) if (!b.pending || b.stale) this.#launch(b);
    await Promise.all(this.#buckets.map((b) => b.pending));
    for (const b of this.#buckets) {
      scatterGrads(b);
      b.arrived.clear();
      b.pending = null;
      b.stale = false;
    }
    if (this.#broadcastBuffers) await this.#broadcastState(false);
  }

  // Hook path: a bucket's all-reduce starts as soon as the last of its gradients is produced.
  #arrived(p: Parameter): void {
    const b = this.#bucketOf.get(p)!;
    touched.add(this);
    if (b.pending) b.stale = true;  // a gradient accumulated again after the bucket left: redo it in synchronize()
    b.arrived.add(p);
    if (!b.pending && b.arrived.size === b.params.length) this.#launch(b);
  }

  // Buckets leave in a fixed order on every rank: the collectives are FIFO per process group. A
  // first launch is queued at once (from a hook, that is during backward(): the overlap); a redo
  // waits for the bucket's all-reduce in flight, which still reads and writes the flat buffer.
  #launch(b: Bucket): void {
    const send = () => {
      gatherGrads(b);
      unshareGrads(b);
      return allReduce(b.flat, { op: "avg" });
    };
    b.pending = b.pending ? b.pending.then(send) : send();
    b.stale = false;
  }

  // Rank 0's parameters (coalesced through the buckets; only at construction) and buffers, to every rank.
  async #broadcastState(withParams: boolean): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    if (withParams)
      for (const b of this.#buckets) {
        b.params.forEach((p, i) => b.flat.storage.set(elements(p, "a parameter"), b.offsets[i]));
        jobs.push(broadcast(b.flat, { src: 0 }));
      }
    for (const [, t] of this.module.namedBuffers()) jobs.push(broadcast(t, { src: 0 }));
    await Promise.all(jobs);
    if (withParams)
      for (const b of this.#buckets)
        b.params.forEach((p, i) => {
          elements(p, "a parameter").set(b.flat.storage.subarray(b.offsets[i], b.offsets[i] + p.numel()));
          bumpVersion(p.storage);
        });
  }
}
