// File readers: readIdx (synthetic files of every IDX type, plain and .gz, and malformed ones),
// FashionMNIST/MNIST over Debian's real Fashion-MNIST files, and readCsv.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tg from "../../lib/index.js";

const dir = mkdtempSync(join(tmpdir(), "tg-readers-"));

// An IDX file: magic (0, 0, type, ndim), big-endian dims, big-endian values.
function idx(type: number, shape: number[], values: number[], write: (b: Buffer, v: number, at: number) => void, size: number): Buffer {
  const b = Buffer.alloc(4 + 4 * shape.length + values.length * size);
  b[2] = type;
  b[3] = shape.length;
  shape.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  values.forEach((v, i) => write(b, v, 4 + 4 * shape.length + i * size));
  return b;
}
const u8 = (shape: number[], v: number[]) => idx(0x08, shape, v, (b, x, at) => b.writeUInt8(x, at), 1);

describe("readIdx", () => {
  it("uint8 images → float32 of the file's shape; 1-d labels → int32; .gz inflated", () => {
    const p = join(dir, "imgs-idx3-ubyte");
    writeFileSync(p, u8([2, 2, 3], [0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60]));
    const t = tg.data.readIdx(p);
    expect([t.dtype, t.shape]).toEqual(["float32", [2, 2, 3]]);
    expect(t.toArray()).toEqual([[[0, 1, 2], [3, 4, 255]], [[10, 20, 30], [40, 50, 60]]]);
    writeFileSync(`${p}.gz`, gzipSync(u8([3], [7, 8, 9])));
    const l = tg.data.readIdx(`${p}.gz`);
    expect([l.dtype, l.toArray()]).toEqual(["int32", [7, 8, 9]]);
    expect(tg.data.readIdx(`${p}.gz`, { dtype: "float64" }).dtype).toBe("float64");
  });
  it("big-endian int16, int32, float32, float64 and signed int8 values", () => {
    const cases: [number, (b: Buffer, v: number, at: number) => void, number, number[]][] = [
      [0x09, (b, v, at) => b.writeInt8(v, at), 1, [-128, 127, -1]],
      [0x0b, (b, v, at) => b.writeInt16BE(v, at), 2, [-30000, 2, 300]],
      [0x0c, (b, v, at) => b.writeInt32BE(v, at), 4, [-(2 ** 31), 2 ** 31 - 1, 5]],
      [0x0d, (b, v, at) => b.writeFloatBE(v, at), 4, [1.5, -0.25, 2 ** 40]],
      [0x0e, (b, v, at) => b.writeDoubleBE(v, at), 8, [Math.PI, -1e-300, 2]],
    ];
    for (const [type, w, size, v] of cases) {
      const p = join(dir, `t${type}`);
      writeFileSync(p, idx(type, [1, 3], v, w, size));
      expect(tg.data.readIdx(p, { dtype: "float64" }).toArray()).toEqual([v]);
    }
  });
  it("malformed files: a clear Error naming the file", () => {
    const bad: [string, Buffer, RegExp][] = [
      ["magic", Buffer.from([1, 0, 8, 1, 0, 0, 0, 1, 5]), /not an IDX file/],
      ["type", Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 1, 5]), /unknown IDX type code 0x42/],
      ["header", Buffer.from([0, 0, 8, 3, 0, 0]), /truncated header: 3 dims need 16 bytes, the file has 6/],
      ["size", u8([2, 2], [1, 2, 3]), /dims \[2, 2\] of uint8 need 16 bytes, the file has 15/],
    ];
    for (const [name, bytes, why] of bad) {
      const p = join(dir, `bad-${name}`);
      writeFileSync(p, bytes);
      expect(() => tg.data.readIdx(p)).toThrow(new RegExp(`^readIdx: ${p}: ${why.source}`));
    }
    expect(() => tg.data.readIdx(join(dir, "missing"))).toThrow(new RegExp(`^readIdx: ${join(dir, "missing")}: cannot read the file: ENOENT`));
  });
  it("a cut-off or fake .gz names readIdx and the file (was zlib's bare 'unexpected end of file'); a non-string path is a TypeError", () => {
    const whole = gzipSync(u8([3], [7, 8, 9])), cut = join(dir, "cut-idx1-ubyte.gz"), fake = join(dir, "fake-idx1-ubyte.gz");
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    writeFileSync(fake, u8([3], [7, 8, 9]));
    expect(() => tg.data.readIdx(cut)).toThrow(new RegExp(`^readIdx: ${cut}: cannot read or inflate the file: unexpected end of file`));
    expect(() => tg.data.readIdx(fake)).toThrow(new RegExp(`^readIdx: ${fake}: cannot read or inflate the file: incorrect header check`));
    expect(() => tg.data.readIdx(null as never)).toThrow(/^readIdx: path must be a string, got null/);
  });
  it("a 1-d float file keeps its values (was read as int32 by default: NaN, inf and 2.5 became 0, 0 and 2); int32 on a float file is refused", () => {
    const p = join(dir, "floats-idx1");
    writeFileSync(p, idx(0x0d, [4], [NaN, Infinity, -0, 2.5], (b, v, at) => b.writeFloatBE(v, at), 4));
    const t = tg.data.readIdx(p);
    expect(t.dtype).toBe("float32");
    expect(Array.from(t.data())).toEqual([NaN, Infinity, -0, 2.5]);
    expect(Object.is(t.data()[2], -0)).toBe(true);
    const d = join(dir, "doubles-idx2");
    writeFileSync(d, idx(0x0e, [1, 2], [1e300, 3e9 + 0.5], (b, v, at) => b.writeDoubleBE(v, at), 8));
    expect(tg.data.readIdx(d).dtype).toBe("float64");  // float32 would turn 1e300 into inf
    expect(tg.data.readIdx(d).toArray()).toEqual([[1e300, 3e9 + 0.5]]);
    expect(() => tg.data.readIdx(d, { dtype: "int32" })).toThrow(/^readIdx: .*doubles-idx2 holds float values; read it as float32\/float64 and convert with \.int\(\)/);
  });
  it("MNIST over a torchvision-style root (root/MNIST/raw), scaled to [0, 1]", () => {
    const raw = join(dir, "MNIST", "raw");
    mkdirSync(raw, { recursive: true });
    writeFileSync(join(raw, "t10k-images-idx3-ubyte"), u8([2, 2, 2], [0, 51, 102, 255, 255, 0, 0, 0]));
    writeFileSync(join(raw, "t10k-labels-idx1-ubyte.gz"), gzipSync(u8([2], [3, 8])));
    const ds = new tg.data.MNIST(dir, { train: false });
    const [img, label] = ds.get(0);
    expect([img.shape, label]).toEqual([[1, 2, 2], 3]);
    expect(Array.from(img.data())).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(ds.data.shape).toEqual([2, 1, 2, 2]);
    expect(() => new tg.data.MNIST(dir)).toThrow(/MNIST: train-images-idx3-ubyte not found; tried .*MNIST\/raw\/train-images-idx3-ubyte\.gz/);
  });
});

// Debian's dataset-fashion-mnist package (listed in .ci/apt-packages.txt). Absent data fails the
// test with the install command: it must never pass without reading the real files.
const FASHION = "/usr/share/datasets/fashion-mnist";
describe("FashionMNIST on the real files (apt-get install dataset-fashion-mnist)", () => {
  it("the files are installed", () => {
    expect(existsSync(join(FASHION, "train-images-idx3-ubyte.gz")), `no Fashion-MNIST in ${FASHION}: run apt-get install dataset-fashion-mnist`).toBe(true);
  });
  it.runIf(existsSync(FASHION))("60,000 + 10,000 samples, 6,000/1,000 per class, pixels in [0, 1], batches equal samples", () => {
    const train = new tg.data.FashionMNIST(FASHION), test = new tg.data.FashionMNIST(FASHION, { train: false });
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect(train.classes[9]).toBe("Ankle boot");
    for (const [ds, per] of [[train, 6000], [test, 1000]] as const) {
      const counts = new Array(10).fill(0);
      for (const y of ds.targets.data()) counts[y]++;
      expect(counts).toEqual(new Array(10).fill(per));
    }
    // The first training image is an ankle boot (label 9), per the dataset's documentation.
    const [img, label] = train.get(0);
    expect([img.shape, label]).toEqual([[1, 28, 28], 9]);
    expect([img.min().item(), img.max().item()]).toEqual([0, 1]);
    // Same values as the generic reader, scaled.
    const raw = tg.data.readIdx(join(FASHION, "t10k-images-idx3-ubyte.gz"));
    expect(Array.from(test.get(1234)[0].data())).toEqual(Array.from(raw.select(0, 1234).div(255).data()));
    const [xb, yb] = new tg.data.DataLoader(test, { batchSize: 5, shuffle: true, generator: new tg.Generator().manualSeed(0) })[Symbol.iterator]().next().value;
    expect([xb.shape, yb.dtype]).toEqual([[5, 1, 28, 28], "int32"]);
    const firstIndex = new tg.Generator().manualSeed(0).randperm(test.length)[0];
    expect(Array.from(xb.select(0, 0).data())).toEqual(Array.from(test.get(firstIndex)[0].data()));
    expect(yb.toArray()[0]).toBe(test.get(firstIndex)[1]);
  });
});

describe("readCsv", () => {
  const csv = join(dir, "iris.csv");
  writeFileSync(csv, "\uFEFFsepal_length,sepal_width,species\r\n5.1,3.5,0\r\n4.9,\"3.0\",1\r\n6.2,,2\r\n");
  it("numeric columns by name or index, header, quoting, BOM, CRLF; empty cells NaN", () => {
    const all = tg.data.readCsv(csv);
    expect(all.shape).toEqual([3, 3]);
    const x = tg.data.readCsv(csv, { columns: ["sepal_width", 0] });
    expect(Array.from(x.data())).toEqual([3.5, 5.1, 3, 4.9, NaN, 6.2].map(Math.fround));
    const y = tg.data.readCsv(csv, { columns: ["species"], dtype: "int32" });
    expect([y.dtype, y.toArray()]).toEqual(["int32", [[0], [1], [2]]]);
    const noHeader = join(dir, "nh.csv");
    writeFileSync(noHeader, "1;2\n3;4\n");
    expect(tg.data.readCsv(noHeader, { header: false, delimiter: ";", dtype: "float64" }).toArray()).toEqual([[1, 2], [3, 4]]);
  });
  it("bad cells, columns and files name the file, row and column", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,b\n1,x\n");
    expect(() => tg.data.readCsv(bad)).toThrow(`readCsv: ${bad}: row 2, column b: "x" is not a number`);
    expect(() => tg.data.readCsv(csv, { columns: ["petal"] })).toThrow(/no column "petal" \(columns: sepal_length, sepal_width, species\)/);
    expect(() => tg.data.readCsv(csv, { columns: ["sepal_width"], dtype: "int32" })).toThrow(/row 2, column sepal_width: 3.5 is not an integer/);
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "a,b\n1,2\n3\n");
    expect(() => tg.data.readCsv(ragged)).toThrow(new RegExp(`^readCsv: ${ragged}: .*`));
  });
});
