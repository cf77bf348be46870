// tg.save / tg.load against files laid out by the safetensors reference writer (gen-reference.py,
// tensors from PyTorch 1.13), a corpus of malformed files, and nested training states.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tg-safetensors-"));
type Ref = { metadata: Record<string, string> | null; tensors: Record<string, { dtype: string; shape: number[]; data: (number | string)[] }> };
const ref = (name: string): Ref => JSON.parse(readFileSync(fixture(`${name}.json`), "utf8"));

function expectMatches(t: Tensor, r: Ref["tensors"][string]) {
  expect(t).toBeInstanceOf(Tensor);
  expect(t.shape).toEqual(r.shape);
  expect(t.dtype).toBe(r.dtype === "int64" ? "int32" : r.dtype);
  expect(Array.from(t.data())).toEqual(r.data.map(Number).map((x) => (t.dtype === "float32" ? Math.fround(x) : x)));
}

describe("safetensors: the reference layout, byte for byte", () => {
  it("loads a PyTorch nn.Sequential state_dict into the same tensorgrad model and saves it back identically", () => {
    const r = ref("torch-mlp");
    const sd = tg.load(fixture("torch-mlp.safetensors")) as Record<string, Tensor>;
    expect(Object.keys(sd).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
    for (const [k, v] of Object.entries(r.tensors)) expectMatches(sd[k], v);
    const model = new tg.nn.Sequential(new tg.nn.Linear(3, 4), new tg.nn.ReLU(), new tg.nn.Linear(4, 2));
    expect(model.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const out = join(dir, "mlp.safetensors");
    tg.save(model.stateDict(), out);
    expect(Buffer.compare(readFileSync(out), readFileSync(fixture("torch-mlp.safetensors")))).toBe(0);
  });

  it("mixed dtypes, 0-d and empty tensors, non-ASCII names and metadata: same values, same bytes", () => {
    const r = ref("mixed");
    const sd = tg.load(fixture("mixed.safetensors")) as Record<string, Tensor>;
    expect(Object.keys(sd).sort()).toEqual(Object.keys(r.tensors).sort());
    for (const [k, v] of Object.entries(r.tensors)) expectMatches(sd[k], v);
    expect(tg.loadMetadata(fixture("mixed.safetensors"))).toEqual(r.metadata);
    const out = join(dir, "mixed.safetensors");
    // Insertion order differs from the file's: the writer's sort must restore the reference order.
    const shuffled = Object.fromEntries(Object.entries(sd).reverse());
    tg.save(shuffled, out, { metadata: { note: r.metadata!.note, format: "pt" } });
    expect(Buffer.compare(readFileSync(out), readFileSync(fixture("mixed.safetensors")))).toBe(0);
  });

  it("matches the reference writer's own serialisation examples (header padding with spaces)", () => {
    const out = join(dir, "attn.safetensors");
    tg.save({ attn0: tg.tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) }, out);
    const bytes = readFileSync(out);
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(bytes.readBigUInt64LE(0)).toBe(72n);
    expect(bytes.subarray(8, 80).toString()).toBe(header + " ".repeat(72 - header.length));
    expect(Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset + 80, bytes.byteOffset + 104)))).toEqual([0, 1, 2, 3, 4, 5]);
    tg.save({}, out, { metadata: { framework: "pt" } });
    expect(readFileSync(out).subarray(8).toString()).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it("reads PyTorch's int64 tensors as int32 and rejects values outside int32", () => {
    const sd = tg.load(fixture("int64.safetensors")) as Record<string, Tensor>;
    for (const [k, v] of Object.entries(ref("int64").tensors)) expectMatches(sd[k], v);
    const big = Buffer.from(readFileSync(fixture("int64.safetensors")));
    big.writeBigInt64LE(2n ** 31n, big.length - 8);  // the last tensor in file order (names sorted)
    const p = join(dir, "int64-big.safetensors");
    writeFileSync(p, big);
    expect(() => tg.load(p)).toThrow(`load: ${p}: tensor "num_batches_tracked": I64 value 2147483648 does not fit in int32`);
  });

  it("loaded tensors are views of one buffer; disposing one leaves the others intact", () => {
    const sd = tg.load(fixture("torch-mlp.safetensors")) as Record<string, Tensor>;
    const buffers = new Set(Object.values(sd).map((t) => t.storage.buffer));
    expect(buffers.size).toBe(1);
    const before = Array.from(sd["2.weight"].data());
    sd["0.weight"].dispose();
    expect(Array.from(sd["2.weight"].data())).toEqual(before);
    expect(sd["2.weight"].add(1).sum().item()).toBeCloseTo(before.reduce((a, b) => a + b + 1, 0), 5);
  });
});

describe("tg.save / tg.load of nested training states", () => {
  it("restores tensors, numbers (with inf, NaN and -0), strings, booleans and arrays exactly", () => {
    const state = {
      model: { "0.weight": tg.randn([3, 2]), "0.bias": tg.zeros([3], { dtype: "float64" }) },
      optimizer: { state: { 0: { step: 7, expAvg: tg.rand([3, 2]) } }, paramGroups: [{ lr: 0.1, betas: [0.9, 0.999], params: [0], amsgrad: false }] },
      scheduler: { best: Infinity, worst: -Infinity, nothing: NaN, zero: -0, mode: "min", history: [1, 2.5] },
      generator: new tg.Generator().manualSeed(3).getState(),
      epoch: 5, note: null,
    };
    const p = join(dir, "ckpt.safetensors");
    tg.save(state, p, { metadata: { run: "a" } });
    const back = tg.load(p) as typeof state;
    expect(Array.from(back.model["0.weight"].data())).toEqual(Array.from(state.model["0.weight"].data()));
    expect(back.model["0.bias"].dtype).toBe("float64");
    expect(Array.from(back.optimizer.state[0].expAvg.data())).toEqual(Array.from(state.optimizer.state[0].expAvg.data()));
    expect(back.optimizer.state[0].step).toBe(7);
    expect(back.optimizer.paramGroups).toEqual(state.optimizer.paramGroups);
    expect(back.scheduler).toEqual(state.scheduler);
    expect(Object.is(back.scheduler.zero, -0)).toBe(true);
    expect(back.generator).toEqual(state.generator);
    expect([back.epoch, back.note]).toEqual([5, null]);
    expect(tg.loadMetadata(p)).toEqual({ run: "a" });
    // The tensors sit under their dotted paths, so PyTorch's safetensors reads the same file.
    const names = (JSON.parse(readFileSync(p).subarray(8, 8 + Number(readFileSync(p).readBigUInt64LE(0))).toString()) as object);
    expect(Object.keys(names)).toEqual(expect.arrayContaining(["model.0.weight", "model.0.bias", "optimizer.state.0.expAvg"]));
  });

  it("refuses what it cannot store, naming it", () => {
    const p = join(dir, "bad.safetensors");
    expect(() => tg.save({ m: new Map() } as object, p)).toThrow(/save: cannot store m \(Map\)/);
    expect(() => tg.save({ a: { b: tg.ones([1]) }, "a.b": tg.ones([1]) }, p)).toThrow(/two tensors flatten to the same key "a.b"/);
    expect(() => tg.save({ a: tg.ones([1]) }, p, { metadata: { n: 1 as unknown as string } })).toThrow(/metadata must be an object of strings/);
    expect(() => tg.save({ a: tg.ones([1]) }, p, { metdata: {} } as object)).toThrow(/unknown option "metdata"; did you mean "metadata"/);
    expect(() => tg.save({ a: tg.ones([1]) }, join(dir, "no-such-dir", "x.safetensors"))).toThrow(/ENOENT/);
  });
});

// Each case: a file's bytes and the problem the Error must name.
function file(header: string | Buffer, data: Buffer | number = 0, len?: bigint): Buffer {
  const h = typeof header === "string" ? Buffer.from(header) : header;
  const l = Buffer.alloc(8);
  l.writeBigUInt64LE(len ?? BigInt(h.length));
  return Buffer.concat([l, h, typeof data === "number" ? Buffer.alloc(data) : data]);
}
const T = (o: object) => JSON.stringify(o);
const corpus: [string, Buffer, RegExp][] = [
  ["empty file", Buffer.alloc(0), /file is 0 bytes, too short/],
  ["5 bytes", Buffer.from([1, 2, 3, 4, 5]), /file is 5 bytes, too short/],
  ["header length beyond the file", file("{}", 0, 1000n), /header length 1000 runs past the end of the 10-byte file/],
  ["header length over 100 MB", file("{}", 0, 200_000_000n), /header length 200000000 is over the 100 MB limit/],
  ["header length 2^64-1", file("{}", 0, 2n ** 64n - 1n), /header length 18446744073709551615 is over the 100 MB limit/],
  ["header length 0", file("", 0), /header length 0 is too short/],
  ["non-UTF-8 header", file(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /header is not valid UTF-8/],
  ["non-JSON header", file("{not json}"), /header is not valid JSON/],
  ["JSON array header", file("[1,2]"), /header is not a JSON object/],
  ["tensor entry not an object", file(T({ a: 3 })), /tensor "a": expected \{dtype, shape, data_offsets\}/],
  ["missing dtype", file(T({ a: { shape: [1], data_offsets: [0, 4] } }), 4), /tensor "a": missing or non-string dtype/],
  ["unknown dtype", file(T({ a: { dtype: "Q7", shape: [1], data_offsets: [0, 4] } }), 4), /tensor "a": dtype "Q7" is unknown/],
  ["unsupported dtype F16", file(T({ a: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }), 4), /tensor "a": dtype "F16" is not supported; tensorgrad reads F32, F64, I32 and I64/],
  ["negative dim", file(T({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }), 4), /tensor "a": shape must be an array of non-negative integers/],
  ["fractional dim", file(T({ a: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }), 4), /shape must be an array of non-negative integers/],
  ["offsets not a pair", file(T({ a: { dtype: "F32", shape: [1], data_offsets: [0] } }), 4), /data_offsets must be \[begin, end\]/],
  ["negative offset", file(T({ a: { dtype: "F32", shape: [1], data_offsets: [-4, 0] } }), 4), /data_offsets must be \[begin, end\] non-negative integers/],
  ["unsorted offsets (begin > end)", file(T({ a: { dtype: "F32", shape: [1], data_offsets: [8, 4] } }), 8), /data_offsets \[8, 4\] are not sorted/],
  ["byte size disagrees with shape", file(T({ a: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }), 12), /shape \[2, 2\] of F32 needs 16 bytes, but data_offsets \[0, 12\] span 12/],
  ["shape overflowing", file(T({ a: { dtype: "F64", shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }), 8), /needs too many bytes/],
  ["offsets beyond the data (truncated data)", file(T({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }), 8), /data_offsets \[0, 16\] run past the 8 data bytes/],
  ["overlapping tensors", file(T({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }), 12), /tensor "b": data_offsets \[4, 12\] overlap the previous tensor, which ends at 8/],
  ["gap between tensors", file(T({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } }), 12), /tensor "b": data_offsets \[8, 12\] leave a gap after byte 4/],
  ["trailing bytes after the data", file(T({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }), 9), /the tensors cover 4 data bytes but the file has 9/],
  ["metadata not strings", file(T({ __metadata__: { a: 1 } })), /__metadata__ must be an object whose values are strings/],
  ["tree metadata not JSON", file(T({ __metadata__: { "tensorgrad.tree": "{" } })), /the tensorgrad.tree metadata is not valid JSON/],
  ["tree names a missing tensor", file(T({ __metadata__: { "tensorgrad.tree": T({ w: { $tensor: "w" } }) } })), /names a tensor "w" that the file lacks/],
];

describe("tg.load: malformed files each give a clear Error naming the file and the problem", () => {
  const mal = join(dir, "malformed");
  mkdirSync(mal);
  it("the corpus has at least 20 cases", () => expect(corpus.length).toBeGreaterThanOrEqual(20));
  it.each(corpus)("%s", (label, bytes, problem) => {
    const p = join(mal, `${label.replace(/\W+/g, "-")}.safetensors`);
    writeFileSync(p, bytes);
    let err: Error | undefined;
    try {
      tg.load(p);
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err!.message.startsWith(`load: ${p}: `)).toBe(true);
    expect(err!.message).toMatch(problem);
  });
  it("a missing file and a directory", () => {
    expect(() => tg.load(join(dir, "nope.safetensors"))).toThrow(/^load: .*nope\.safetensors: ENOENT/);
    expect(() => tg.load(dir)).toThrow(`load: ${dir}: not a regular file`);
  });
});
