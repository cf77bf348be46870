// Printing like PyTorch: tensor([[ 1.0000, -2.5000], ...], requires_grad=True).
import type { Tensor } from "./tensor.js";

function formatNumber(v: number, isInt: boolean): string {
  if (isInt) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e8 || a < 1e-4) ? v.toExponential(4) : v.toFixed(4);
}

export function formatTensor(t: Tensor): string {
  const data = t.numel > 0 && t.storage.length > 0 ? t.data() : [];
  const isInt = t.dtype === "int32";
  const cells = Array.from(data, (v) => formatNumber(v, isInt));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
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
  let body = t.storage.length === 0 && t.numel > 0 ? "<disposed>" : t.ndim === 0 ? pad(cells[0]) : build(0, 0);
  const extras: string[] = [];
  if (t.numel === 0) extras.push(`size=[${t.shape.join(", ")}]`);
  if (t.dtype !== "float32") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requires_grad=True");
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
