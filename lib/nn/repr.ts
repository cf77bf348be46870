// How modules print: PyTorch's nn.Module.__repr__ (class name, then extraRepr() and one
// "(name): child" line per submodule, nested two spaces per level), and the helpers that write
// numbers and flags as Python prints them, so `String(model)` reads exactly like PyTorch's.
import type { Module } from "./module.js";

/** A float as Python's repr() writes it: `1.0`, `0.01`, `1e-05`, `1e+16`, `inf`, `nan`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return "-0.0";
  const [mantissa, e] = x.toExponential().split("e");  // shortest round-trip digits, as Python
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const s = String(x);
  return s.includes(".") ? s : `${s}.0`;
}

/** `True` / `False`. */
export const pyBool = (b: boolean): string => (b ? "True" : "False");

/** A tuple of ints: `(5, 5)`, `(3,)`. */
export const pyTuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);

/** A string in Python's single quotes: `'none'`. */
export const pyStr = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

// Every line after the first indented by `n` spaces (PyTorch's _addindent).
function indent(s: string, n: number): string {
  const pad = " ".repeat(n);
  return s.split("\n").map((line, i) => (i === 0 ? line : pad + line)).join("\n");
}

/** The module tree as PyTorch prints it. */
export function moduleRepr(m: Module): string {
  const extra = m.extraRepr();
  const extraLines = extra ? extra.split("\n") : [];
  const childLines = [...m.namedChildren()].map(([k, c]) => `(${k}): ${indent(String(c), 2)}`);
  const lines = [...extraLines, ...childLines];
  let body = "";
  if (extraLines.length === 1 && childLines.length === 0) body = extraLines[0];
  else if (lines.length) body = `\n  ${lines.join("\n  ")}\n`;
  return `${m.constructor.name}(${body})`;
}
