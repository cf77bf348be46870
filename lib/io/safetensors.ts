// The safetensors format (https://github.com/huggingface/safetensors), as its reference writer lays
// it out: an 8-byte little-endian header length N; N bytes of compact JSON, padded with spaces to a
// multiple of 8 so every tensor's data is aligned; then the raw little-endian data. The header maps
// each name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the data start) and
// may hold "__metadata__", a map of strings. Tensors are ordered by dtype size (largest first) and
// then by name, so files match the reference byte for byte.
//
// Reading trusts nothing in the file: every length, offset and shape is checked against the file's
// size before a byte of data is touched, and each failure names the file and the problem.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { Tensor } from "../tensor.js";
import { ARRAY_TYPE, type DType } from "../dtype.js";
import { allocStorage } from "../storage.js";
import { fmt } from "../shape.js";
import { checkLive } from "../ops/check.js";

const MAX_HEADER = 100_000_000;  // the reference reader's limit
const WRITE_DTYPE: Record<DType, string> = { float64: "F64", float32: "F32", int32: "I32" };
// What we read: our three dtypes, and I64 (PyTorch's integer default, e.g. num_batches_tracked), read as int32.
const READ_DTYPE: Record<string, { dtype: DType; bytes: number }> = {
  F64: { dtype: "float64", bytes: 8 }, F32: { dtype: "float32", bytes: 4 }, I32: { dtype: "int32", bytes: 4 }, I64: { dtype: "int32", bytes: 8 },
};
// The reference's dtype order (ascending); it sorts tensors by this, descending.
const DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];

if (endianness() !== "LE") throw new Error("tensorgrad: safetensors files are little-endian; big-endian hosts are not supported");

/** Bytes of a safetensors file, as chunks to write in order (tensor data are views, not copies). */
export function encodeSafetensors(tensors: [string, Tensor][], metadata: Record<string, string> | undefined): Uint8Array[] {
  const byName = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const sorted = [...tensors].sort(([na, a], [nb, b]) =>
    DTYPE_ORDER.indexOf(WRITE_DTYPE[b.dtype]) - DTYPE_ORDER.indexOf(WRITE_DTYPE[a.dtype]) || byName(na, nb));
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = Object.fromEntries(Object.keys(metadata).sort(byName).map((k) => [k, metadata[k]]));
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of sorted) {
    checkLive(t, "save", `tensor "${name}"`);
    const c = t.contiguous(true), size = c.storage.BYTES_PER_ELEMENT;
    const bytes = new Uint8Array(c.storage.buffer, c.storage.byteOffset + c.offset * size, c.numel() * size);
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    data.push(bytes);
  }
  let json = Buffer.from(JSON.stringify(header), "utf8");
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, " ")]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return [len, json, ...data];
}

interface Entry {
  name: string;
  fileDtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: Entry[];
  metadata: Record<string, string>;
  dataStart: number;
  dataBytes: number;
}

function readExactly(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

const isNonNegInt = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

// Checks one tensor's header entry; returns it typed or throws via fail().
function checkEntry(name: string, v: unknown, fail: (why: string) => never): Entry {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(`tensor "${name}": expected {dtype, shape, data_offsets}, got ${JSON.stringify(v)}`);
  const { dtype, shape, data_offsets: off } = v as Record<string, unknown>;
  if (typeof dtype !== "string") fail(`tensor "${name}": missing or non-string dtype`);
  if (!READ_DTYPE[dtype as string])
    fail(`tensor "${name}": dtype ${JSON.stringify(dtype)} is ${DTYPE_ORDER.includes(dtype as string) ? "not supported" : "unknown"}; tensorgrad reads F32, F64, I32 and I64 (as int32)`);
  if (!Array.isArray(shape) || !shape.every(isNonNegInt)) fail(`tensor "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(off) || off.length !== 2 || !off.every(isNonNegInt))
    fail(`tensor "${name}": data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(off)}`);
  const [begin, end] = off as number[];
  if (begin > end) fail(`tensor "${name}": data_offsets [${begin}, ${end}] are not sorted (begin > end)`);
  let numel = 1;
  for (const d of shape as number[]) numel *= d;
  const want = numel * READ_DTYPE[dtype as string].bytes;
  if (!Number.isSafeInteger(want) || want !== end - begin)
    fail(`tensor "${name}": shape ${fmt(shape as number[])} of ${dtype} needs ${Number.isSafeInteger(want) ? want : "too many"} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  return { name, fileDtype: dtype as string, shape: shape as number[], begin, end };
}

/** Reads and checks the header of an open file of `size` bytes. @throws Error via `fail` for any inconsistency. */
export function readHeader(fd: number, size: number, fail: (why: string) => never): SafetensorsHeader {
  if (size < 8) fail(`file is ${size} bytes, too short for the 8-byte header length (truncated or not a safetensors file)`);
  const lenBuf = Buffer.alloc(8);
  readExactly(fd, lenBuf, 0);
  const n = lenBuf.readBigUInt64LE();
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} is over the 100 MB limit (corrupt or not a safetensors file)`);
  const hlen = Number(n);
  if (hlen < 2) fail(`header length ${hlen} is too short for a JSON object`);
  if (8 + hlen > size) fail(`header length ${hlen} runs past the end of the ${size}-byte file (truncated?)`);
  const raw = Buffer.alloc(hlen);
  readExactly(fd, raw, 8);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    fail("header is not valid UTF-8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text!);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) fail("header is not a JSON object");
  const { __metadata__: meta, ...rest } = parsed as Record<string, unknown>;
  if (meta !== undefined && (meta === null || typeof meta !== "object" || Array.isArray(meta) || Object.values(meta).some((x) => typeof x !== "string")))
    fail("__metadata__ must be an object whose values are strings");
  const entries = Object.entries(rest).map(([k, v]) => checkEntry(k, v, fail)).sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataBytes = size - 8 - hlen;
  let at = 0;
  for (const e of entries) {
    if (e.end > dataBytes) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] run past the ${dataBytes} data bytes in the file (truncated?)`);
    if (e.begin < at) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor, which ends at ${at}`);
    if (e.begin > at) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] leave a gap after byte ${at}`);
    at = e.end;
  }
  if (at !== dataBytes) fail(`the tensors cover ${at} data bytes but the file has ${dataBytes} after the header (truncated or trailing bytes)`);
  return { entries, metadata: (meta ?? {}) as Record<string, string>, dataStart: 8 + hlen, dataBytes };
}

/**
 * Opens `path`, checks its header, and passes it to `use` with the open descriptor.
 * @throws Error "<op>: <path>: <problem>" for any malformed or unreadable file.
 */
export function withSafetensors<T>(path: string, op: string, use: (fd: number, h: SafetensorsHeader) => T): T {
  const fail = (why: string): never => {
    throw new Error(`${op}: ${path}: ${why}`);
  };
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) fail("not a regular file");
    return use(fd, readHeader(fd, st.size, fail));
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads every tensor of a checked file into one buffer and returns views of it, by name in file
 * order. I64 tensors are narrowed to int32 (a copy; values outside int32 throw).
 */
export function readTensors(fd: number, h: SafetensorsHeader, fail: (why: string) => never): [string, Tensor][] {
  // One 64-byte-aligned buffer for all data; views of it need no copy. Each tensor gets its own typed
  // array over it, which dispose() never releases (lib/storage.ts), so the others stay valid.
  const all = allocStorage("float32", Math.ceil(h.dataBytes / 4), false);
  const bytes = new Uint8Array(all.buffer, all.byteOffset, h.dataBytes);
  if (readExactly(fd, bytes, h.dataStart) !== h.dataBytes) fail("the file shrank while it was being read");
  return h.entries.map((e) => {
    const { dtype, bytes: size } = READ_DTYPE[e.fileDtype];
    const n = (e.end - e.begin) / size, at = all.byteOffset + e.begin;
    let storage;
    if (e.fileDtype === "I64") {
      const wide = new BigInt64Array((all.buffer as ArrayBuffer).slice(at, at + e.end - e.begin));
      storage = allocStorage("int32", n, false);
      for (let i = 0; i < n; ++i) {
        if (wide[i] > 2147483647n || wide[i] < -2147483648n) fail(`tensor "${e.name}": I64 value ${wide[i]} does not fit in int32`);
        storage[i] = Number(wide[i]);
      }
    } else if (at % size === 0) storage = new ARRAY_TYPE[dtype](all.buffer as ArrayBuffer, at, n);
    else {  // a writer that did not align: copy to aligned storage
      storage = allocStorage(dtype, n, false);
      new Uint8Array(storage.buffer, storage.byteOffset, n * size).set(bytes.subarray(e.begin, e.end));
    }
    return [e.name, new Tensor(storage, e.shape.slice(), undefined, 0, dtype)];
  });
}
