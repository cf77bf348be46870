// Printing like PyTorch: tensor([[ 1.0000, -2.5000], ...], requires_grad=True).
import type { Tensor } from "./tensor.js";

// PyTorch's float modes, chosen once per tensor so columns line up: integral values print as
// "3.", scientific notation when the magnitudes span more than 1000x or leave [1e-4, 1e8),
// otherwise 4 decimals.
function floatFormatter(data: ArrayLike<number>): (v: number) => string {
  let lo = Infinity, hi = 0, integral = true;
  for (let i = 0; i < data.length; ++i) {
    const a = Math.abs(data[i]);
    if (a === 0 || !Number.isFinite(a)) continue;
    lo = Math.min(lo, a), hi = Math.max(hi, a);
    integral &&= Number.isInteger(data[i]);
  }
  const sci = hi / lo > 1000 || hi > 1e8 || (!integral && lo < 1e-4);
  const expo = (v: number) => v.toExponential(4).replace(/e([+-])(\d)$/, (_, sign, d) => `e${sign}0${d}`);
  return (v) => {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    return sci ? expo(v) : integral ? v.toFixed(0) + "." : v.toFixed(4);
  };
}

export function formatTensor(t: Tensor): string {
  const data = t.numel > 0 && t.storage.length > 0 ? t.data() : [];
  const format = t.dtype === "int32" ? String : floatFormatter(data);
  const cells = Array.from(data, (v) => format(v));
  // As PyTorch, the finite values set the column width; nan/inf are padded to it.
  const width = cells.reduce((w, c, i) => (Number.isFinite(data[i]) ? Math.max(w, c.length) : w), 0);
  const pad = (c: string) => c.padStart(width);
  const indent = "tensor(".length;
  const build = (dim: number, off: number): string => {
    if (dim === t.ndim) return pad(cells[off]);
    const n = t.shape[dim];
    const step = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const parts: string[] = [];
    for (let i = 0; i < n; ++i) parts.push(build(dim + 1, off + i * step));
    const sep = dim === t.ndim - 1 ? ", " : "," + "\n".repeat(t.ndim - dim - 1) + " ".repeat(indent + dim + 1);
    return "[" + parts.join(sep) + "]";
  };
  let body = t.storage.length === 0 && t.numel > 0 ? "<disposed>" : t.numel === 0 ? "[]" : t.ndim === 0 ? pad(cells[0]) : build(0, 0);
  const extras: string[] = [];
  if (t.numel === 0) extras.push(`size=[${t.shape.join(", ")}]`);
  if (t.dtype !== "float32") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requires_grad=True");
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
