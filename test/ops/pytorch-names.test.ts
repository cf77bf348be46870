// Tensor methods and functions a PyTorch user reaches for in the first hour, under PyTorch's names:
// chunk, split, any, all, equal, mm, Tensor.where, long, tolist; numbers from PyTorch 1.13
// (test/ops/gen-reference.py).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectCase, expectClose, f64, i32 } from "./util.js";
import * as ref from "./reference.js";

const R = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]];

describe("chunk and split", () => {
  const cases: [keyof typeof ref.pieces, (t: tg.Tensor) => tg.Tensor[]][] = [
    ["chunk(2)", (t) => t.chunk(2)],
    ["chunk(4,1)", (t) => t.chunk(4, 1)],
    ["chunk(3,-1)", (t) => tg.chunk(t, 3, { dim: -1 })],
    ["chunk(9,1)", (t) => t.chunk(9, 1)],
    ["split(2,1)", (t) => t.split(2, 1)],
    ["split([1,4],1)", (t) => t.split([1, 4], { dim: 1 })],
    ["split(1)", (t) => tg.split(t, 1)],
    ["split(7,1)", (t) => t.split(7, 1)],
  ];
  it.each(cases)("%s: the pieces' shapes, values and gradients match PyTorch", (key, f) => {
    const want = ref.pieces[key];
    const x = f64(R, true);
    const ps = f(x);
    expect(ps.map((p) => p.shape)).toEqual(want.shapes);
    ps.forEach((p, i) => expectClose(p, want.values[i] as number[][]));
    ps.reduce((s: tg.Tensor | null, p, i) => { const t = p.mul(i + 1).sum(); return s ? s.add(t) : t; }, null)!.backward();
    expectClose(x.grad!, want.grad);
  });
  it("pieces are views sharing the input's storage", () => {
    const x = tg.tensor(R);
    const [a] = x.chunk(2, 1);
    a.fill_(0);
    expect(x.toArray()).toEqual([[0, 0, 0, 4, 5], [0, 0, 0, 9, 10]]);
  });
  it("empty dims as PyTorch", () => {
    expect(tg.zeros([0]).chunk(3).map((p) => p.shape)).toEqual(ref.emptyPieces["chunk(3) of [0]"]);
    expect(tg.zeros([0]).split(2).map((p) => p.shape)).toEqual(ref.emptyPieces["split(2) of [0]"]);
    expect(tg.zeros([2]).split([0, 2, 0]).map((p) => p.shape)).toEqual(ref.emptyPieces["split([0,2,0])"]);
  });
  it("bad arguments name the op and say what is wrong", () => {
    const x = tg.tensor(R);
    expect(() => x.chunk(0)).toThrow(/^chunk: chunks must be a positive integer, got/);
    expect(() => x.chunk(2, 2)).toThrow(/chunk: dim 2 is out of range/);
    expect(() => x.split([1, 2], 1)).toThrow(/^split: sizes \[1, 2\] must be integers >= 0 adding up to 5, the size of dim 1/);
    expect(() => x.split(0)).toThrow(/^split: splitSize must be a positive integer/);
    expect(() => x.split(1, { dims: 1 } as never)).toThrow(/split: unknown option "dims"; did you mean "dim"/);
    expect(() => tg.tensor(1).chunk(1)).toThrow(/^chunk: a 0-d tensor cannot be split/);
  });
});

describe("any and all (int32 0/1, NaN is true)", () => {
  const T = () => tg.tensor([[0, NaN, 0], [1, -0, 2]]);
  it("match PyTorch over all dims, one dim, keepdim, int32 and empty inputs", () => {
    const t = ref.truth;
    expect([T().any().item(), T().all().item()]).toEqual([t.any, t.all]);
    expect(T().any(1).toArray()).toEqual(t["any(1)"]);
    expect(tg.all(T(), 0).toArray()).toEqual(t["all(0)"]);
    expect(T().any(0, true).toArray()).toEqual(t["any(0,keepdim)"]);
    expect(T().all(-1, { keepdim: true }).toArray()).toEqual(t["all(-1,keepdim)"]);
    expect(i32([[0, 0], [0, 3]]).any(1).toArray()).toEqual(t["int any(1)"]);
    expect(i32([[1, 2], [3, 4]]).all().item()).toBe(t["int all"]);
    expect([tg.zeros([0]).any().item(), tg.zeros([0]).all().item()]).toEqual([t["empty any"], t["empty all"]]);
    expect(tg.zeros([2, 0]).all(1).toArray()).toEqual(t["empty all(1)"]);
    expect(T().any().dtype).toBe("int32");
  });
  it("test a mask as a PyTorch user does", () => {
    const x = tg.tensor([1, NaN, 3]);
    expect(x.isnan().any().item()).toBe(1);
    expect(x.gt(0).all().item()).toBe(0);
  });
  it("bad dims and keepdim are refused", () => {
    expect(() => T().any(2)).toThrow(/any: dim 2 is out of range/);
    expect(() => T().all(0, "yes" as never)).toThrow(/all: keepdim must be a boolean/);
  });
});

describe("equal, mm, Tensor.where, long, tolist", () => {
  it("equal matches PyTorch: shapes, NaN, ±0, empty, mixed dtypes", () => {
    const pairs: [number[] | number[][], number[] | number[][], boolean][] = [
      [[1, 2], [1, 2], false], [[1, 2], [1, 2.5], false], [[1, 2], [[1, 2]], false], [[NaN], [NaN], false], [[-0], [0], false], [[], [], false],
      [[1, 2], [1, 2], true],
    ];
    pairs.forEach(([a, b, int], i) =>
      expect(tg.equal(tg.tensor(a), tg.tensor(b, int ? { dtype: "int32" } : {})), String(i)).toBe(ref.equal[i]));
    expect(tg.tensor([1, 2]).equal(tg.tensor([1, 2]))).toBe(true);
  });
  it("mm: PyTorch's values and gradients; other ranks are refused, naming the shapes", () => {
    expectCase(ref.mm, (a, b) => a.mm(b), [[[1, -2, 0.5], [3, 0.25, -1]], [[2, 1], [-1, 0.5], [4, -3]]]);
    expect(tg.gradCheck((a, b) => tg.mm(a, b), [f64([[1, 2], [3, 4]], true), f64([[0.5], [-1]], true)])).toBe(true);
    expect(() => tg.mm(tg.zeros([3]), tg.zeros([3, 2]))).toThrow(/^mm: both operands must be 2-D matrices, got shapes \[3\] and \[3, 2\]; use matmul/);
  });
  it("x.where(cond, y) is where(cond, x, y), with PyTorch's gradients", () => {
    const cond = i32([[1, 0, 1], [0, 1, 0]]);
    expectCase(ref.whereMethod, (a, b) => a.where(cond, b), [[[1, -2, 0.5], [3, 0.25, -1]], [[10, 20, 30]]]);
    expect(tg.tensor([1, -1]).where(tg.tensor([1, -1]).gt(0), 0).toArray()).toEqual([1, 0]);
  });
  it("long() is int32 (tensorgrad's integer dtype); tolist() is toArray()", () => {
    expect(tg.tensor([1.7, -2.2]).long().toArray()).toEqual([1, -2]);
    expect(tg.tensor([1.7]).long().dtype).toBe("int32");
    expect(tg.tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(tg.tensor(2.5).tolist()).toBe(2.5);
  });
});

describe("PyTorch's keyword and device forms", () => {
  it("clamp and clamp_ take {min, max} as PyTorch's keywords", () => {
    const x = () => tg.tensor([-2, 0.5, 3]);
    expect(x().clamp({ min: 0 }).toArray()).toEqual(x().clamp(0).toArray());
    expect(x().clamp({ max: 1 }).toArray()).toEqual(x().clamp(null, 1).toArray());
    expect(x().clamp({ min: -1, max: 1 }).toArray()).toEqual([-1, 0.5, 1]);
    expect(x().clamp_({ min: 0 }).toArray()).toEqual([0, 0.5, 3]);
    expect(() => x().clamp({ mn: 0 } as never)).toThrow(/clamp: unknown option "mn"; did you mean "min"/);
    expect(() => x().clamp({ min: 0 }, 1)).toThrow(/clamp: give the bounds as \(min, max\) or as one options object/);
    expect(() => x().clamp({})).toThrow(/clamp: at least one of min and max must be given/);
  });
  it("to(\"cpu\") changes nothing; another device says tensorgrad runs on the CPU only", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.to("cpu");
    expect([y.dtype, y.toArray()]).toEqual(["float32", [1, 2]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
    expect(() => x.to("cuda" as never)).toThrow(/^to: tensorgrad runs on the CPU only, there is no "cuda" device; drop the \.to\("cuda"\)/);
    expect(() => x.to("cuda:1" as never)).toThrow(/no "cuda:1" device/);
    expect(() => x.to("float16" as never)).toThrow(/to: unknown dtype float16; use "float32", "float64" or "int32"/);
    expect(x.to({ dtype: "float64" }).dtype).toBe("float64");  // PyTorch's keyword form, to(dtype=…)
    expect(() => x.to(new Map() as never)).toThrow(/^to: unknown dtype \(an object: \{\}\)/);
    expect(() => tg.tensor([1], { dtype: "int64" as never })).toThrow(/tensor: unknown dtype int64; tensorgrad's integer dtype is int32/);
    expect(() => x.long().to("long" as never)).toThrow(/to: unknown dtype long; tensorgrad's integer dtype is int32/);
    const c = x.cpu();
    expect([c.toArray(), c.dtype, c === x]).toEqual([[1, 2], "float32", false]);
    const m = new tg.nn.Linear(2, 1);
    expect(m.to("cpu")).toBe(m);
    expect(() => m.to("mps" as never)).toThrow(/^Module\.to: tensorgrad runs on the CPU only, there is no "mps" device/);
  });
  it("cuda() says to drop the call, cpu() changes nothing, and every tensor's device is \"cpu\"", () => {
    const x = tg.tensor([1, 2]);
    expect(() => x.cuda()).toThrow(/^cuda: tensorgrad runs on the CPU only, there is no "cuda" device; drop the \.cuda\(\)/);
    expect(x.device).toBe("cpu");
    expect(x.to(x.device).toArray()).toEqual([1, 2]);
    expect(tg.zeros([0]).device).toBe("cpu");
    const m = new tg.nn.Sequential(new tg.nn.Linear(2, 1));
    expect(m.cpu()).toBe(m);
    expect(() => m.cuda()).toThrow(/^Module\.cuda: tensorgrad runs on the CPU only, there is no "cuda" device; drop the \.cuda\(\)/);
    x.dispose();
    expect(() => x.cuda()).toThrow(/disposed/);
  });
  it("creation functions and modules take {device: \"cpu\"} beside dtype, as PyTorch's factory keywords go together", () => {
    const x = tg.ones([2], { dtype: "float64" });
    expect(tg.zeros(2, { device: "cpu" }).toArray()).toEqual([0, 0]);
    expect(tg.zerosLike(x, { device: x.device }).dtype).toBe("float64");
    expect(tg.randn([3], { device: "cpu", dtype: "float64" }).shape).toEqual([3]);
    expect(tg.tensor([1, 2], { device: "cpu" }).toArray()).toEqual([1, 2]);
    expect(new tg.nn.Linear(2, 3, { device: "cpu" } as never).weight.shape).toEqual([3, 2]);
    expect(() => tg.ones([1], { device: "cuda:0" } as never)).toThrow(/^ones: tensorgrad runs on the CPU only, there is no "cuda:0" device; leave device out, or pass "cpu"$/);
    expect(tg.ones([1], { device: null, dtype: undefined } as never).toArray()).toEqual([1]);  // PyTorch's device=None
    expect(tg.randperm(3, { device: "cpu" }).shape).toEqual([3]);
    expect(() => tg.randperm(3, { device: "cuda" } as never)).toThrow(/^randperm: tensorgrad runs on the CPU only, there is no "cuda" device/);
    // to(device, dtype), as PyTorch's
    expect(tg.ones([2]).to("cpu", "float64").dtype).toBe("float64");
    const lin = new tg.nn.Linear(2, 2);
    expect(lin.to("cpu", "float64").weight.dtype).toBe("float64");
    // and its keyword form to(device=…, dtype=…), and "cpu:0"
    expect(tg.ones([2]).to({ device: "cpu", dtype: "float64" }).dtype).toBe("float64");
    expect(tg.ones([2]).to({ device: "cpu:0" }).dtype).toBe("float32");
    expect(tg.ones([2]).to("cpu:0").dtype).toBe("float32");
    expect(lin.to({ dtype: "float32" }).weight.dtype).toBe("float32");
    expect(() => tg.ones([2]).to({ device: "cuda" } as never)).toThrow(/^to: tensorgrad runs on the CPU only, there is no "cuda" device/);
    expect(() => tg.ones([2]).to({ dtyp: "float64" } as never)).toThrow(/^to: unknown option "dtyp"; did you mean "dtype"\?/);
    expect(() => tg.ones([1], { device: 0 } as never)).toThrow(/^ones: device must be "cpu" \(tensorgrad runs on the CPU only\), got number 0$/);
  });
});

describe("repeat", () => {
  const M1 = [[1, -2, 0.5], [3, 0.25, -1]];
  it("matches PyTorch's values and gradients, extra leading repeats and 0-d tensors included", () => {
    expectCase(ref.repeat["(2,3)"], (t) => t.repeat(2, 3), [M1]);
    expectCase(ref.repeat["(2,1,2)"], (t) => t.repeat([2, 1, 2]), [M1]);
    expectCase(ref.repeat["(3) of 1-d"], (t) => tg.repeat(t, [3]), [[1, -2]]);
    expectCase(ref.repeat["() of 0-d"], (t) => t.repeat([]), [2.5]);
    expectCase(ref.repeat["(2) of 0-d"], (t) => t.repeat(2), [2.5]);
    expect(tg.tensor(M1).repeat(0, 2).shape).toEqual([0, 6]);
    expect(ref.repeat["(0,2)"].y).toEqual([]);
    expect(i32([1, 2]).repeat(2).toArray()).toEqual([1, 2, 1, 2]);
  });
  it("too few or bad repeats are refused, naming the shape", () => {
    expect(() => tg.tensor(M1).repeat(2)).toThrow(/^repeat: \[2\] has fewer repeats than the tensor's 2 dims \(shape \[2, 3\]\)/);
    expect(() => tg.tensor(M1).repeat(2, -1)).toThrow(/^repeat: repeats must be integers >= 0/);
  });
});
