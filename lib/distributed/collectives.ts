// Collectives on tensors, in place, each returning a promise; bad arguments throw at the call, as
// in PyTorch, and only failures of the communication itself reject. The work runs on the process
// group's communication thread (FIFO, so every rank runs the same sequence in the same order);
// the tensors' storage is pinned until the promise settles, so dispose() cannot free it early.
import { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { fmt, sameShape } from "../shape.js";
import { pinStorage, unpinStorage } from "../storage.js";
import { bumpVersion } from "../autograd/version.js";
import type { Storage } from "../native.js";
import { currentWorld } from "./process-group.js";
import { copyInto } from "../ops/kernels.js";
import { checkTensor, describe } from "../ops/check.js";
import { refuseExpanded } from "../autograd/view-history.js";
import { refuseSurplus } from "../arity.js";

export type ReduceOp = "sum" | "avg" | "max" | "min";
const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, avg: 1, max: 2, min: 3 };

// The elements of a contiguous tensor as a view of its storage (no copy).
function denseView(op: string, t: Tensor, name: string): Storage {
  if (!t.isContiguous())
    throw new Error(`${op}: ${name} must be contiguous (shape ${fmt(t.shape)}, strides ${fmt(t.strides)}); call .contiguous() first`);
  return t.storage.subarray(t.offset, t.offset + t.numel()) as Storage;
}

function reduceCode(op: string, name: unknown, t: Tensor): number {
  if (typeof name !== "string" || !(name in REDUCE_CODES))
    throw new Error(`${op}: op must be one of "sum", "avg", "max", "min", got ${JSON.stringify(name)}`);
  if (name === "avg" && t.dtype === "int32") throw new Error(`${op}: op "avg" needs a float tensor, got int32 (use "sum")`);
  return REDUCE_CODES[name as ReduceOp];
}

// Runs a native job with the given tensors' storage pinned; the written tensors get a new version
// (autograd then refuses a backward through values a collective overwrote). A job that failed
// with `buffersInUse` (an MPI collective past its timeout, which MPI cannot cancel) may still be
// written by MPI: its storage stays pinned for good.
async function pinned<T>(tensors: Tensor[], written: Tensor[], job: () => Promise<void>, result: T): Promise<T> {
  const storages = tensors.map((t) => t.storage);  // dispose() replaces t.storage; unpin what was pinned
  for (const s of storages) pinStorage(s);
  for (const t of written) bumpVersion(t.storage);
  try {
    await job();
  } catch (e) {
    if ((e as { buffersInUse?: boolean }).buffersInUse) storages.length = 0;
    throw e;
  } finally {
    for (const s of storages) unpinStorage(s);
  }
  return result;
}

/**
 * Reduces `t` across all ranks, in place: every rank ends with the same sum (or average, max,
 * min). Any shape; float32, float64 or int32 (not "avg"); contiguous. Resolves to `t`.
 * Mirrors `torch.distributed.all_reduce`.
 * @throws Error/TypeError for a non-tensor, a non-contiguous tensor, an unknown op or "avg" on
 *   int32; rejects naming the lost rank, or after timeoutMs.
 */
export function allReduce(t: Tensor, opts: { op?: ReduceOp } = {}): Promise<Tensor> {
  refuseSurplus(allReduce, arguments.length, opts);
  const op = "allReduce";
  checkTensor(t, op, "tensor");
  const code = reduceCode(op, options(op, opts, ["op"]).op ?? "sum", t);
  const { group } = currentWorld(op);
  const view = denseView(op, t, "tensor");
  return pinned([t], [t], () => group.allReduce(view, code), t);
}

/**
 * Copies rank `src`'s `t` into `t` on every other rank. Resolves to `t`.
 * Mirrors `torch.distributed.broadcast`.
 * @throws RangeError when src is not a rank; Error for a non-contiguous tensor.
 */
export function broadcast(t: Tensor, opts: { src?: number } = {}): Promise<Tensor> {
  refuseSurplus(broadcast, arguments.length, opts);
  const op = "broadcast";
  checkTensor(t, op, "tensor");
  const src = options(op, opts, ["src"]).src ?? 0;
  const { group, size } = currentWorld(op);
  if (!Number.isInteger(src) || src < 0 || src >= size) throw new RangeError(`${op}: src must be a rank in [0, ${size}), got ${src}`);
  const view = denseView(op, t, "tensor");
  return pinned([t], [t], () => group.broadcast(view, src), t);
}

function checkList(op: string, list: unknown, like: Tensor, size: number, name: string): Tensor[] {
  if (!Array.isArray(list) || list.length !== size)
    throw new Error(`${op}: ${name} must be an array of worldSize = ${size} tensors, got ${Array.isArray(list) ? `${list.length}` : describe(list)}`);
  list.forEach((x, i) => {
    checkTensor(x, op, `${name}[${i}]`);
    if (!sameShape(x.shape, like.shape) || x.dtype !== like.dtype)
      throw new Error(`${op}: ${name}[${i}] is ${x.dtype} ${fmt(x.shape)}, expected ${like.dtype} ${fmt(like.shape)} like the tensor`);
  });
  return list as Tensor[];
}

/**
 * Gathers every rank's `t` into `list` (list[r] gets rank r's tensor); `list` holds worldSize
 * tensors of t's shape and dtype. Resolves to `list`. Mirrors `torch.distributed.all_gather`.
 * @throws Error for a list of the wrong length, shape or dtype.
 */
export function allGather(list: Tensor[], t: Tensor): Promise<Tensor[]> {
  refuseSurplus(allGather, arguments.length);
  const op = "allGather";
  checkTensor(t, op, "tensor");
  const { group, size } = currentWorld(op);
  const outs = checkList(op, list, t, size, "list");
  const input = denseView(op, t, "tensor");
  const flat = Tensor.output([size, ...t.shape], t.dtype);
  return pinned([t, flat], [flat], () => group.allGather(flat.storage, input), null).then(() => {
    outs.forEach((o, r) => o.copy_(flat.select(0, r)));
    return outs;
  });
}

/**
 * Reduces `inputList` element-wise across ranks (sum, avg, max or min) and leaves the reduction of
 * every rank's `inputList[r]` in rank r's `output`: `inputList` holds worldSize tensors of
 * `output`'s shape and dtype (float32, float64, or int32 except "avg"). The inputs are not changed.
 * Resolves to `output`. Mirrors `torch.distributed.reduce_scatter(output, input_list, op)`.
 * A ring over Gloo's transport (native/distributed/gloo_reduce_scatter.h; MPI: MPI_Ireduce_scatter_block):
 * each rank sends (worldSize − 1)/worldSize of its input once, half an all-reduce's traffic.
 * @throws Error/TypeError for a non-tensor, an inputList of the wrong length, or an input whose shape
 *   or dtype differs from output's (uneven inputs: PyTorch's reduce_scatter_v is not offered);
 *   an unknown op or "avg" on int32. Rejects when the ranks' output sizes, dtypes or ops differ
 *   (on every rank, naming both; the group stays usable), naming the lost rank, or after timeoutMs
 *   naming the ranks that did not arrive.
 */
export function reduceScatter(output: Tensor, inputList: Tensor[], opts: { op?: ReduceOp } = {}): Promise<Tensor> {
  refuseSurplus(reduceScatter, arguments.length, opts);
  const op = "reduceScatter";
  checkTensor(output, op, "output");
  const code = reduceCode(op, options(op, opts, ["op"]).op ?? "sum", output);
  const { group, size } = currentWorld(op);
  const ins = checkList(op, inputList, output, size, "inputList").map((x) => (x.isContiguous() ? x : x.contiguous()));
  const views = ins.map((x, r) => denseView(op, x, `inputList[${r}]`));
  // A strided output is received in a dense buffer and copied in afterwards, as the raw write a
  // contiguous one gets (no autograd check): one that cannot take the copy is refused here, not after the exchange.
  refuseExpanded(output, op, "output", "pass a contiguous tensor");
  const out = output.isContiguous() ? output : Tensor.output(output.shape, output.dtype);
  const outView = denseView(op, out, "output");
  return pinned([...ins, out], [out], () => group.reduceScatter(outView, views, code), null).then(() => {
    if (out !== output) {
      copyInto(out, output);
      bumpVersion(output.storage);
    }
    return output;
  });
}

/** Resolves once every rank has called barrier(). Mirrors `torch.distributed.barrier`. */
export function barrier(): Promise<void> {
  refuseSurplus(barrier, arguments.length);
  return currentWorld("barrier").group.barrier();
}
