// Embedding lookup: rows of a [num, dim] table picked by int32 indices of any shape (native gather),
//   dweight[idx[i]] += g[i]  (native scatter-add), except the paddingIdx row, which gets no gradient.
import { Tensor } from "../tensor.js";
import { native } from "../native.js";
import { fmt } from "../shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { options } from "../options.js";
import { checkLive } from "./check.js";
import { max, min } from "./reduce.js";
import { fill } from "./kernels.js";
import { copyOf, dense, floatTensor, recordLayer } from "./layer-input.js";
import { refuseSurplus } from "../arity.js";

export interface EmbeddingOptions {
  /** A row that maps to a constant vector: its gradient is always zero. Negative counts from the end. */
  paddingIdx?: number | null;
}

// Throws naming the first index outside [0, num): min/max run natively, the search only on failure.
function checkIndices(idx: Tensor, num: number, weight: Tensor): void {
  if (idx.numel() === 0) return;
  const lo = noGrad(() => min(idx).item()), hi = noGrad(() => max(idx).item());
  if (lo >= 0 && hi < num) return;
  const data = idx.data();
  const at = data.findIndex((v) => v < 0 || v >= num);
  throw new RangeError(`embedding: index ${data[at]} at position ${at} is out of range for an embedding table of ${num} rows ` +
    `(weight ${fmt(weight.shape)}); indices must lie in [0, ${num - 1}]`);
}

/** paddingIdx in [0, num) (a negative one counted from the end), or −1 for none. */
export function paddingRow(paddingIdx: number | null | undefined, num: number, op: string): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num)
    throw new RangeError(`${op}: paddingIdx must be an integer in [${-num}, ${num - 1}] for ${num} embeddings, got ${paddingIdx}`);
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/**
 * Embedding lookup, as `torch.nn.functional.embedding`.
 * @param indices int32 tensor of any shape, each in [0, num).
 * @param weight float table `[num, dim]`.
 * @param opts `paddingIdx` (default none): that row receives no gradient.
 * @returns `[...indices.shape, dim]` of weight's dtype.
 * @throws TypeError for non-int32 indices; RangeError naming the first bad index, its position and the
 *   table size; Error when weight is not 2-D.
 */
export function embedding(indices: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  refuseSurplus(embedding, arguments.length, opts);
  const op = "embedding";
  const o = options(op, opts, ["paddingIdx"]);
  if (!(indices instanceof Tensor) || indices.dtype !== "int32")
    throw new TypeError(`${op}: indices must be an int32 tensor, got ${indices instanceof Tensor ? indices.dtype : typeof indices}; use .int()`);
  checkLive(indices, op, "indices");
  floatTensor(weight, op, "weight");
  if (weight.ndim !== 2) throw new Error(`${op}: weight must be a 2-D table [num, dim], got shape ${fmt(weight.shape)}`);
  const [num, dim] = weight.shape;
  const pad = paddingRow(o.paddingIdx, num, op);
  checkIndices(indices, num, weight);
  // The indices are saved as a tensor (not their bare array), so that changing them in place before backward
  // throws the version error and disposing them waits for backward, as for every saved tensor.
  const index = dense(indices), n = indices.numel(), wd = dense(weight);  // index holds exactly n
  const out = Tensor.output([...indices.shape, dim], weight.dtype);
  native.indexSelect(wd.storage, index.storage as Int32Array, out.storage, 1, num, dim, n);
  return recordLayer("EmbeddingBackward0", out, [weight], { index, shape: weight.shape, pad }, embeddingRule, [copyOf(index, indices)]);
}

function embeddingRule(c: { index: Tensor; shape: number[]; pad: number }, g: Tensor): Tensor[] {
  const [num, dim] = c.shape;
  const gw = Tensor.empty(c.shape, g.dtype);
  native.indexAdd(dense(g).storage, c.index.storage as Int32Array, gw.storage, 1, num, dim, c.index.numel());
  if (c.pad >= 0) fill(new Tensor(gw.storage, [dim], [1], c.pad * dim, gw.dtype), 0);
  return [gw];
}
