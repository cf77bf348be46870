// readIdx: the IDX format of MNIST and its relatives (http://yann.lecun.com/exdb/mnist/): a magic
// number (two zero bytes, a type code, the number of dims), big-endian int32 dims, then the values
// big-endian. `.gz` files are inflated with node:zlib. Values reach the tensor through one typed-array
// conversion (TypedArray.set), never a per-element JS loop.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Tensor } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { options } from "../options.js";
import { describe } from "../ops/check.js";
import { refuseSurplus } from "../arity.js";

// IDX type code -> element reader over the raw (native-endian after swapping) bytes.
const IDX_TYPES: Record<number, { name: string; bytes: number; view: (b: Buffer, n: number) => ArrayLike<number> }> = {
  0x08: { name: "uint8", bytes: 1, view: (b, n) => new Uint8Array(b.buffer, b.byteOffset, n) },
  0x09: { name: "int8", bytes: 1, view: (b, n) => new Int8Array(b.buffer, b.byteOffset, n) },
  0x0b: { name: "int16", bytes: 2, view: (b, n) => new Int16Array(b.buffer, b.byteOffset, n) },
  0x0c: { name: "int32", bytes: 4, view: (b, n) => new Int32Array(b.buffer, b.byteOffset, n) },
  0x0d: { name: "float32", bytes: 4, view: (b, n) => new Float32Array(b.buffer, b.byteOffset, n) },
  0x0e: { name: "float64", bytes: 8, view: (b, n) => new Float64Array(b.buffer, b.byteOffset, n) },
};

export interface ReadIdxOptions {
  /** Tensor dtype; default float64 for float64 files, int32 for 1-d integer files (labels), float32 otherwise (raw values, not scaled). int32 is refused for a float file. */
  dtype?: DType;
}

/** An IDX file's shape and its values as a typed-array view of the (decompressed) bytes. */
export interface IdxContents {
  shape: number[];
  values: ArrayLike<number> & ArrayBufferView;
  /** Whether the file holds float32/float64 values (not integers). */
  float: boolean;
}

/**
 * Parses an IDX file (`.gz` too) without converting its values: for uint8 files (MNIST) `values`
 * is a view of the bytes read, no copy.
 * @throws Error naming the file for a bad magic number, unknown type code, or a size that disagrees with its dims.
 */
export function parseIdx(path: string): IdxContents {
  if (typeof path !== "string") throw new TypeError(`readIdx: path must be a string, got ${describe(path)}`);
  const fail = (why: string): never => {
    throw new Error(`readIdx: ${path}: ${why}`);
  };
  let buf: Buffer;
  try {
    const raw = readFileSync(path);
    buf = path.endsWith(".gz") ? gunzipSync(raw, { chunkSize: 1 << 22 }) : raw;  // big chunks: fewer pieces to join
  } catch (e) {
    // fs and zlib name neither the op nor (zlib) the file: "unexpected end of file" for a cut-off download.
    return fail(`${path.endsWith(".gz") ? "cannot read or inflate" : "cannot read"} the file: ${(e as Error).message}`);
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) fail("not an IDX file (the magic number must start with two zero bytes)");
  const type = IDX_TYPES[buf[2]] ?? fail(`unknown IDX type code 0x${buf[2].toString(16)}`);
  const ndim = buf[3], head = 4 + 4 * ndim;
  if (buf.length < head) fail(`truncated header: ${ndim} dims need ${head} bytes, the file has ${buf.length}`);
  const shape = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const numel = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== head + numel * type.bytes)
    fail(`dims [${shape.join(", ")}] of ${type.name} need ${head + numel * type.bytes} bytes, the file has ${buf.length}`);
  // Big-endian to native: one native byte swap, on an aligned private copy when the values are wider than a byte.
  let body = buf.subarray(head);
  if (type.bytes > 1) {
    body = Buffer.from(body);  // own, aligned buffer (the decompressed/read one may be pooled)
    if (type.bytes === 2) body.swap16();
    else if (type.bytes === 4) body.swap32();
    else body.swap64();
  }
  return { shape, values: type.view(body, numel) as IdxContents["values"], float: type.name.startsWith("float") };
}

/**
 * Reads an IDX file (`.gz` too) into a tensor of the file's shape, e.g. `[60000, 28, 28]` float32
 * with values 0–255 for MNIST images, `[60000]` int32 for labels (a float32 file stays float32, a float64 file float64). No PyTorch counterpart
 * (torchvision reads these files inside its MNIST dataset).
 * @throws Error naming the file for a missing or unreadable file, a truncated `.gz`, a bad magic number, unknown type code,
 *   or a size that disagrees with its dims; TypeError for dtype int32 on a float file.
 */
export function readIdx(path: string, opts: ReadIdxOptions = {}): Tensor {
  refuseSurplus(readIdx, arguments.length, opts);
  const o = options("readIdx", opts, ["dtype"]);
  const { shape, values, float } = parseIdx(path);
  const dtype = o.dtype ? checkDType(o.dtype, "readIdx") : values instanceof Float64Array ? "float64" : shape.length === 1 && !float ? "int32" : "float32";
  // The typed-array conversion would turn NaN and ±inf into 0 and wrap large values: data lost without a word.
  if (float && dtype === "int32")
    throw new TypeError(`readIdx: ${path} holds float values; read it as float32/float64 and convert with .int() if truncation is meant`);
  const t = Tensor.output(shape, dtype);
  t.storage.set(values);  // one native conversion
  return t;
}
