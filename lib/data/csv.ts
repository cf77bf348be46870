// readCsv: numeric columns of a CSV file as one tensor, parsed by csv-parse (loaded on first use,
// so `import "tensorgrad"` never loads it).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Tensor } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

export interface ReadCsvOptions {
  /** Columns to keep, by header name or 0-based index, in this order (default: all). */
  columns?: (string | number)[];
  /** The first row names the columns (default true). */
  header?: boolean;
  /** float32 (default), float64 or int32. */
  dtype?: DType;
  /** Field separator (default ","). */
  delimiter?: string;
}

type ParseSync = (input: Buffer, opts: Record<string, unknown>) => string[][];
let parse: ParseSync | undefined;
function csvParse(): ParseSync {
  return (parse ??= (createRequire(import.meta.url)("csv-parse/sync") as { parse: ParseSync }).parse);
}

/**
 * Reads numeric columns of a CSV file into a `[rows, columns]` tensor (no PyTorch counterpart;
 * what `pandas.read_csv(path, usecols=columns).to_numpy()` gives). Empty cells read as NaN for
 * float dtypes. Quoting, CRLF and a UTF-8 BOM are handled by csv-parse.
 * @throws Error naming the file, row and column for a cell that is not a number, an unknown
 *   column, or rows of unequal length.
 */
export function readCsv(path: string, opts: ReadCsvOptions = {}): Tensor {
  refuseSurplus(readCsv, arguments.length, opts);
  const o = options("readCsv", opts, ["columns", "header", "dtype", "delimiter"]);
  const { header = true, delimiter = "," } = o;
  const dtype = checkDType(o.dtype ?? "float32", "readCsv");
  let rows: string[][];
  try {
    rows = csvParse()(readFileSync(path), { delimiter, bom: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new Error(`readCsv: ${path}: ${(e as Error).message}`);
  }
  const names = header ? rows.shift() ?? [] : [];
  const width = rows[0]?.length ?? names.length;
  const cols = (o.columns ?? Array.from({ length: width }, (_, i) => i)).map((c) => {
    const i = typeof c === "number" ? c : names.indexOf(c);
    if (!Number.isInteger(i) || i < 0 || i >= width)
      throw new Error(`readCsv: ${path}: no column ${JSON.stringify(c)}${header ? ` (columns: ${names.join(", ")})` : ` (${width} columns)`}`);
    return i;
  });
  const t = Tensor.empty([rows.length, cols.length], dtype);
  const out = t.storage;
  rows.forEach((row, r) => {
    const line = r + 1 + (header ? 1 : 0);
    cols.forEach((c, j) => {
      const cell = row[c];
      const v = cell === "" && dtype !== "int32" ? NaN : Number(cell);
      if (cell === "" ? dtype === "int32" : Number.isNaN(v) && !/^nan$/i.test(cell))
        throw new Error(`readCsv: ${path}: row ${line}, column ${names[c] ?? c}: ${JSON.stringify(cell)} is not a number`);
      if (dtype === "int32" && !Number.isInteger(v)) throw new Error(`readCsv: ${path}: row ${line}, column ${names[c] ?? c}: ${cell} is not an integer (dtype int32)`);
      out[r * cols.length + j] = v;
    });
  });
  return t;
}
