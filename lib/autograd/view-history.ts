// The autograd history of views and of in-place writes through them (PyTorch's CopySlices and view
// regeneration). A view shares its base's memory, so a write through either changes both:
//   - writing into a view `v` of base `b` (a recorded in-place op) gives `b` a new history, CopySlices:
//     the gradient of `b` goes to `b`'s old history outside v's region, and to the written values'
//     history inside it (to the op's operands, and through the op to v's old values);
//   - a view whose base's history changed since it was made (historyEpoch differs) is stale: when next
//     read, its history is regenerated as "that region of the base" (AsStridedBackward0), the base's
//     current history behind it.
// A region is the view's strides and offset relative to its base's memory, so one rule serves every view
// kind (narrow, select, transpose, reshape, expand, …) and views of views.
import { Tensor, setViewRefresh } from "../tensor.js";
import { allocStorage } from "../storage.js";
import { fmt } from "../shape.js";
import { copyInto, convert, dense, fill, sumKernel, sumTo } from "../ops/kernels.js";
import { Node, edgeOf, moveRetained, type Edge } from "./node.js";

// A view's elements within its base's memory: offset relative to the base's first element.
interface Region {
  baseShape: number[];
  baseStrides: number[];
  shape: number[];
  strides: number[];
  offset: number;
}

const regionOf = (v: Tensor, base: Tensor): Region =>
  ({ baseShape: base.shape, baseStrides: base.strides, shape: v.shape, strides: v.strides, offset: v.offset - base.offset });

// Whether two elements of t share memory (a dim of size > 1 with stride 0: expand).
export const overlaps = (t: { shape: readonly number[]; strides: readonly number[] }): boolean =>
  t.shape.some((d, i) => d > 1 && t.strides[i] === 0);

/**
 * Throws unless every element of t has memory of its own, as a write element by element needs: an
 * expanded view's elements share it. `what` names t in the message, `fix` tells the user what to write into instead.
 */
export function refuseExpanded(t: { shape: readonly number[]; strides: readonly number[] }, op: string, what: string, fix: string): void {
  if (!t.shape.includes(0) && overlaps(t))
    throw new Error(`${op}: ${what} (shape ${fmt(t.shape)}, strides ${fmt(t.strides)}) is an expanded view: more than one of ` +
      `its elements refers to a single memory location; ${fix}`);
}

// A gradient of the base, laid out as the base is over a buffer of its memory span, so a region's strides
// and offset address the same elements in it; `part` is the region (with `shape`, default the region's
// own). Zero-filled unless `overwritten` (the caller writes every element of the base).
function baseBuffer(r: Region, dtype: Tensor["dtype"], shape = r.shape, overwritten = false): { whole: Tensor; part: Tensor } {
  const n = r.baseShape.reduce((a, d) => a * d, 1);
  const span = n === 0 ? 0 : 1 + r.baseShape.reduce((a, d, i) => a + (d - 1) * r.baseStrides[i], 0);
  const storage = allocStorage(dtype, span, !(overwritten && span === n));
  const whole = new Tensor(storage, r.baseShape, r.baseStrides, 0, dtype);
  return { whole, part: new Tensor(storage, shape, r.strides, r.offset, dtype) };
}

// A gradient of the base as a rule returns it: dense when the base was not (a base made by detach() of
// a transposed or sliced view).
const finish = (whole: Tensor): Tensor => (whole.isContiguous() ? whole : dense(whole, whole.dtype, true));

// The rule of a regenerated view: g written into the region of a zero gradient of the base; elements
// an expanded view repeats get the sum of their copies' gradients.
function asStridedRule(r: Region, grads: (Tensor | null)[]): Tensor[] {
  let g = grads[0]!;
  const repeated = r.shape.map((d, i) => d > 1 && r.strides[i] === 0);
  if (repeated.some(Boolean)) g = sumKernel(g, repeated);
  const { whole, part } = baseBuffer(r, g.dtype, g.shape);
  copyInto(g, part);
  return [finish(whole)];
}

function refresh(v: Tensor): void {
  const base = v.base!;
  if (base.requiresGrad && v.viewWithoutGrad)
    throw noGradView("its base or another view of its base has been modified in place with grad mode enabled");
  v.historyEpoch = base.historyEpoch;
  if (!base.requiresGrad) {
    v.gradFn = null;
    v.requiresGrad = false;
    return;
  }
  const node = new Node("AsStridedBackward0", [edgeOf(base)], regionOf(v, base), asStridedRule as (c: object, g: (Tensor | null)[]) => Tensor[]);
  moveRetained(v, node, 0);  // a view written in place: its .grad is its new value's, as PyTorch's
  v.gradFn = node;
  v.outputNr = 0;
  v.requiresGrad = true;
}
setViewRefresh(refresh);

export const noGradView = (what: string) => new Error(`a view was created in tg.noGrad and ${what}; this use is ambiguous ` +
  `and refused (as PyTorch): make the view and the in-place op both inside the noGrad block (not tracked) or both outside it (tracked)`);

interface SliceCtx {
  region: Region;
  src: { shape: number[]; dtype: Tensor["dtype"] } | null;
  // Whether the base had a history before the write (else its old values need no gradient).
  hadHistory: boolean;
}

// CopySlices: the base's gradient outside the region goes to its old history, inside it to the written
// values (summed over the dims they were broadcast along, in their dtype).
function copySlicesRule(c: SliceCtx, grads: (Tensor | null)[]): (Tensor | null)[] {
  const { whole, part } = baseBuffer(c.region, grads[0]!.dtype, c.region.shape, true);
  copyInto(grads[0]!, whole);
  const gsrc = c.src && convert(sumTo(dense(part, part.dtype, true), c.src.shape), c.src.dtype);
  if (!c.hadHistory) return [null, gsrc];
  fill(part, 0);
  return [finish(whole), gsrc];
}

/**
 * Records that the view `v` (whose base requires grad, or `value` does) was just overwritten in place
 * with `value` (broadcast to v; null for a constant): the base's history becomes CopySlices, and every
 * view of it, v included, is regenerated from that when next read.
 * @throws Error (before anything is written, when called first through checkViewWrite) as checkViewWrite.
 */
export function rebaseView(v: Tensor, value: Tensor | null): void {
  const base = v.base!;
  const old: Edge | null = edgeOf(base);
  const ctx: SliceCtx = { region: regionOf(v, base), src: value && { shape: value.shape, dtype: value.dtype }, hadHistory: old !== null };
  const node = new Node("CopySlices", [old, value ? edgeOf(value) : null], ctx, copySlicesRule as (c: object, g: (Tensor | null)[]) => (Tensor | null)[]);
  base.gradFn = node;  // a retainGrad() mark on the base stays on its old node, as PyTorch 1.13 keeps it
  base.outputNr = 0;
  base.requiresGrad = true;
  base.historyEpoch++;
}

/**
 * The checks of a recorded write into the view `v`, made before anything is written: a view made under
 * noGrad is refused (as PyTorch), and so is a base whose own elements overlap (detach() of an expanded
 * tensor), whose gradient could not be routed.
 */
export function checkViewWrite(v: Tensor, op: string): void {
  if (v.viewWithoutGrad) throw noGradView(`is being modified in place (${op}) with grad mode enabled`);
  const base = v.base!;
  if (overlaps(base))
    throw new Error(`${op}: the view (shape ${fmt(v.shape)}) belongs to a tensor (shape ${fmt(base.shape)}, strides ${fmt(base.strides)}) ` +
      `whose elements share memory, so a recorded write through it cannot be differentiated; write into a clone()`);
}

/** Marks x's history as replaced by an in-place op (not a view: its views regenerate from the new history). */
export function historyChanged(x: Tensor): void {
  x.historyEpoch++;
}
