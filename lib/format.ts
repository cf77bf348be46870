// Printing as PyTorch's repr with its default print options (torch.set_printoptions): lines wrap
// at 80 columns, tensors of more than 1,000 elements are summarised to 3 edge items per dim with
// "...", floats share one format per tensor (integral "3.", fixed 4 decimals, or scientific),
// -0 keeps its sign, and grad_fn names read like PyTorch's (MulBackward0). Only the printed
// elements are read, straight from storage through the strides: printing a summarised
// 4000×4000 tensor reads 36 numbers.
import type { Tensor } from "./tensor.js";
import { options } from "./options.js";
import { refuseSurplus } from "./arity.js";

/** torch.set_printoptions' settings, camelCased. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** More elements than this are summarised (default 1000). */
  threshold: number;
  /** Items printed at each end of a summarised dim (default 3). */
  edgeitems: number;
  /** Characters per line before wrapping (default 80). */
  linewidth: number;
  /** true: always scientific, false: never, null: chosen per tensor (default). */
  sciMode: boolean | null;
}

const DEFAULTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const PRINT: PrintOptions = { ...DEFAULTS };

/**
 * Sets how tensors print (torch.set_printoptions); omitted keys keep their value,
 * `setPrintOptions(null)` restores PyTorch's defaults. Returns the options now in force.
 * @throws Error on an unknown key; RangeError/TypeError on a value of the wrong kind.
 */
export function setPrintOptions(opts: Partial<PrintOptions> | null): PrintOptions {
  refuseSurplus(setPrintOptions, arguments.length, opts);
  if (opts === null) return Object.assign(PRINT, DEFAULTS);
  const o = options("setPrintOptions", opts, ["precision", "threshold", "edgeitems", "linewidth", "sciMode"]);
  for (const k of ["precision", "threshold", "edgeitems", "linewidth"] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && (k !== "precision" || v <= 100)))
      throw new RangeError(`setPrintOptions: ${k} must be an integer >= 0${k === "precision" ? " and <= 100" : ""}, got ${String(v)}`);
  }
  if (o.sciMode !== undefined && o.sciMode !== null && typeof o.sciMode !== "boolean")
    throw new TypeError(`setPrintOptions: sciMode must be true, false or null, got ${String(o.sciMode)}`);
  return { ...Object.assign(PRINT, o) };
}

/** The print options in force (a copy). */
export function getPrintOptions(): PrintOptions {
  refuseSurplus(getPrintOptions, arguments.length);
  return { ...PRINT };
}

// Python's "{:.Nf}" / "{:.Ne}" / "{:.0f}": JS drops the sign of -0 and writes e+8 for e+08.
const signed = (v: number, s: string) => (Object.is(v, -0) ? "-" + s : s);
const fixed = (v: number, p: number) => signed(v, v.toFixed(p));
const sci = (v: number, p: number) => signed(v, v.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2"));
const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");

// PyTorch's _Formatter: the mode and column width come from the finite nonzero values printed.
function formatter(values: number[], isFloat: boolean): { width: number; format: (v: number) => string } {
  const p = PRINT.precision;
  let width = 1;
  if (!isFloat) {
    for (const v of values) width = Math.max(width, String(v).length);
    return { width, format: (v) => String(v).padStart(width) };
  }
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true, sciMode = false;
  if (finite.length) {
    let lo = Infinity, hi = 0;
    for (const v of finite) (lo = Math.min(lo, Math.abs(v))), (hi = Math.max(hi, Math.abs(v)));
    intMode = finite.every((v) => Number.isInteger(v));
    sciMode = hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4);
    for (const v of finite)
      width = Math.max(width, sciMode ? sci(v, p).length : intMode ? fixed(v, 0).length + 1 : fixed(v, p).length);
  }
  if (PRINT.sciMode !== null) sciMode = PRINT.sciMode;
  const format = (v: number) => {
    const s = !Number.isFinite(v) ? special(v) : sciMode ? sci(v, p) : intMode ? fixed(v, 0) + "." : fixed(v, p);
    return s.padStart(width);
  };
  return { width, format };
}

// The indices printed along a dim of size n.
function shown(n: number, summarize: boolean): number[] {
  const e = PRINT.edgeitems;
  if (!summarize || n <= 2 * e) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: e }, (_, i) => i), ...Array.from({ length: e }, (_, i) => n - e + i)];
}

// PyTorch's repr of its autograd node classes: "mul" → "MulBackward0", "SumBackward" → "SumBackward0".
export function gradFnName(name: string): string {
  const base = name.replace(/Scalar$/, "");
  const cap = base[0].toUpperCase() + base.slice(1);
  if (/Backward\d+$|Backwards$|^CopySlices$/.test(cap)) return cap;  // PyTorch's CopyBackwards and CopySlices have no number
  return /Backward$/.test(cap) ? cap + "0" : cap + "Backward0";
}

function body(t: Tensor, summarize: boolean): string {
  const { shape, strides, storage } = t;
  const at = (off: number) => storage[off];
  // The printed elements, in order, for the formatter.
  const values: number[] = [];
  const collect = (dim: number, off: number) => {
    if (dim === t.ndim) return void values.push(at(off));
    for (const i of shown(shape[dim], summarize)) collect(dim + 1, off + i * strides[dim]);
  };
  collect(0, t.offset);
  const f = formatter(values, t.dtype !== "int32");
  const e = PRINT.edgeitems;
  const build = (dim: number, off: number, indent: number): string => {
    if (dim === t.ndim) return f.format(at(off));
    const n = shape[dim], cut = summarize && n > 2 * e;
    const idx = shown(n, summarize);
    if (dim === t.ndim - 1) {
      const cells = idx.map((i) => f.format(at(off + i * strides[dim])));
      if (cut) cells.splice(e, 0, " ...");
      const perLine = Math.max(1, Math.floor((PRINT.linewidth - indent) / (f.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(", "));
      return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
    }
    const parts = idx.map((i) => build(dim + 1, off + i * strides[dim], indent + 1));
    if (cut) parts.splice(e, 0, "...");
    return "[" + parts.join("," + "\n".repeat(t.ndim - dim - 1) + " ".repeat(indent + 1)) + "]";
  };
  return build(0, t.offset, "tensor(".length);
}

// PyTorch's _add_suffixes: ", suffix" while the line has room, else on a new indented line.
function withSuffixes(text: string, suffixes: string[]): string {
  const indent = "tensor(".length;
  let out = text, lineLen = text.length - text.lastIndexOf("\n") + 1;
  for (const s of suffixes) {
    if (lineLen + s.length + 2 > PRINT.linewidth) {
      out += ",\n" + " ".repeat(indent) + s;
      lineLen = indent + s.length;
    } else {
      out += ", " + s;
      lineLen += s.length + 2;
    }
  }
  return out + ")";
}

export function formatTensor(t: Tensor): string {
  const disposed = t.storage.length === 0 && t.numel() > 0;
  const suffixes: string[] = [];
  // As PyTorch: an empty tensor shows its size unless it is 1-D; dtype unless float32 (the default).
  if (t.numel() === 0 && t.ndim !== 1) suffixes.push(`size=[${t.shape.join(", ")}]`);
  if (t.dtype !== "float32") suffixes.push(`dtype=${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${gradFnName(t.gradFn.name)}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  const text = disposed ? "<disposed>" : t.numel() === 0 ? "[]" : body(t, t.numel() > PRINT.threshold);
  return withSuffixes("tensor(" + text, suffixes);
}
