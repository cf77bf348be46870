// Bad input never crashes the process: each case is a clear Error naming the op and the
// offending shapes or values.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { i32 } from "./util.js";

describe("wrong shapes", () => {
  it("matmul", () => {
    // Each message names the user's shapes and the two dims that disagree (was: the batch dims alone, or a 1-D
    // operand's shape after it became a row or column).
    expect(() => tg.ones([2, 3]).matmul(tg.ones([2, 3]))).toThrow("matmul: shapes [2, 3] and [2, 3] cannot be multiplied: the first's last dim (3) must equal the second's second-to-last dim (2)");
    expect(() => tg.ones([2, 2, 3]).matmul(tg.ones([3, 3, 2]))).toThrow("matmul: shapes [2, 2, 3] and [3, 3, 2] cannot be multiplied: their batch dims [2] and [3] do not broadcast");
    expect(() => tg.ones([3]).matmul(tg.ones([4]))).toThrow("matmul: shapes [3] and [4] cannot be multiplied: the first's last dim (3) must equal the second's only dim (4)");
    expect(() => tg.ones([2, 3]).matmul(tg.ones([4]), { out: tg.zeros([2]) })).toThrow("matmul: shapes [2, 3] and [4] cannot be multiplied");
    expect(() => tg.mm(tg.ones([2, 3]), tg.ones([4, 2]), { out: tg.zeros([2, 2]) })).toThrow("mm: shapes [2, 3] and [4, 2] cannot be multiplied");
    expect(() => tg.ones([3, 4]).mm(tg.ones([5, 6]))).toThrow("mm: shapes [3, 4] and [5, 6] cannot be multiplied");  // was "matmul: …"
    expect(() => tg.ones([2, 2]).mm(tg.ones([2, 2], { dtype: "float64" }))).toThrow(/^mm: expected two float tensors/);
    expect(() => tg.tensor(1).matmul(tg.ones([1]))).toThrow(/matmul: both operands need at least 1 dim/);
    expect(() => tg.ones([2, 2]).matmul(tg.ones([2, 2], { dtype: "float64" }))).toThrow(/matmul: expected two float tensors of the same dtype, got float32 and float64/);
    expect(() => tg.ones([2, 2], { dtype: "int32" }).matmul(tg.ones([2, 2], { dtype: "int32" }))).toThrow(/matmul: .*int32/);
  });
  it("add and other broadcasts", () => {
    expect(() => tg.ones([2, 3]).add(tg.ones([2, 4]))).toThrow(/add: shapes \[2, 3\] and \[2, 4\] cannot be broadcast together/);
    expect(() => tg.ones([3]).mul(tg.ones([2]))).toThrow(/mul: shapes \[3\] and \[2\]/);
    expect(() => tg.where(i32([1, 0]), tg.ones([3]), 0)).toThrow(/where: shapes/);
  });
  it("cat / stack", () => {
    expect(() => tg.cat([tg.ones([2, 3]), tg.ones([2, 4])])).toThrow(/cat: tensors must have the same shape except in dim 0; got \[2, 3\], \[2, 4\]/);
    expect(tg.cat([tg.ones([2]), tg.ones([2], { dtype: "float64" })]).dtype).toBe("float64");  // promotes, as PyTorch
    expect(() => tg.cat([])).toThrow(/cat: expected a non-empty array/);
    expect(() => tg.stack([tg.ones([2]), tg.ones([3])])).toThrow(/stack: expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/);
  });
  it("view / reshape", () => {
    expect(() => tg.ones([2, 3]).view(4, 2)).toThrow(/view: shape \[4, 2\] is invalid for input of size 6/);
    expect(() => tg.ones([2, 3]).reshape(-1, 4)).toThrow(/reshape: shape \[-1, 4\] is invalid for input of size 6/);
    expect(() => tg.ones([6]).reshape(-1, -1)).toThrow(/at most one -1/);
    expect(() => tg.ones([2, 3]).t().view(6)).toThrow(/not contiguous/);
  });
  it("dims out of range", () => {
    expect(() => tg.ones([2]).sum(1)).toThrow(/sum: dim 1 is out of range for a tensor with 1 dims/);
    expect(() => tg.ones([2]).softmax(2)).toThrow(/softmax: dim 2 is out of range/);
    expect(() => tg.ones([2, 2]).transpose(0, 2)).toThrow(/transpose: dim 2 is out of range/);
    expect(() => tg.ones([2]).max(1.5)).toThrow(/^max: dim must be an integer, got number 1\.5$/);
  });
  it("reductions over nothing", () => {
    expect(() => tg.zeros([0]).max()).toThrow(/max: cannot reduce over an empty tensor \(shape \[0\]\)/);
    expect(() => tg.zeros([2, 0]).argmax(1)).toThrow(/cannot reduce over an empty dim 1/);
  });
});

describe("indices", () => {
  it("float index tensors are refused", () => {
    expect(() => tg.ones([2, 3]).gather(1, tg.tensor([[0], [1]]))).toThrow(/gather: the index must be an int32 tensor/);
    expect(() => tg.ones([2, 3]).indexSelect(0, tg.tensor([1]))).toThrow(/indexSelect: the index must be an int32 tensor/);
    expect(() => tg.ones([2, 3]).indexSelect(0, [1] as never)).toThrow(/indexSelect: the index must be an int32 tensor/);
  });
  it("out-of-range indices name the index and the dim size", () => {
    expect(() => tg.ones([2, 3]).gather(1, i32([[0], [3]]))).toThrow(/gather: index 3 at position 1 is out of range for a dim of size 3/);
    expect(() => tg.ones([2, 3]).gather(1, i32([[0], [-1]]))).toThrow(/index -1 .* out of range/);
    expect(() => tg.ones([2, 3]).indexSelect(0, i32([0, 2]))).toThrow(/indexSelect: index 2 at position 1 is out of range for a dim of size 2/);
    expect(() => tg.ones([2, 3]).gather(1, i32([[0, 1]]))).toThrow(/gather: the index shape \[1, 2\] must match the input shape \[2, 3\]/);
    expect(() => tg.ones([3]).select(0, 3)).toThrow(/select: index 3 is out of range for dim 0 of size 3/);
    expect(() => tg.ones([3]).narrow(0, 2, 2)).toThrow(/narrow: start 2 and length 2 do not fit dim 0 of size 3/);
    expect(() => tg.ones([4]).slice(0, 1.5, 3)).toThrow(/slice: start and end must be integers, got 1.5/);
    expect(() => tg.ones([4]).slice(0, NaN)).toThrow(/slice: start and end must be integers/);
  });
});

describe("dtypes", () => {
  it("unknown dtypes", () => {
    for (const f of [
      () => tg.zeros([2], { dtype: "float16" as never }),
      () => tg.tensor([1], { dtype: "int64" as never }),
      () => tg.ones([1]).to("bfloat16" as never),
      () => tg.arange(3, undefined, 1, { dtype: "uint8" as never }),
      () => tg.linspace(0, 1, 3, { dtype: "uint8" as never }),
      () => tg.randn([2], { dtype: "half" as never }),
    ])
      expect(f).toThrow(/unknown dtype/);
  });
  it("int32 cannot require grad; mean of int32 is refused", () => {
    expect(() => tg.ones([2], { dtype: "int32", requiresGrad: true })).toThrow(/only float tensors can require gradients/);
    expect(() => tg.ones([2], { dtype: "int32" }).mean()).toThrow(/mean: input dtype must be float32 or float64, got int32/);
  });
});

describe("wrong-typed arguments", () => {
  const notTensors: unknown[] = ["x", null, undefined, {}, [1, 2], new Float32Array(2)];
  it("a non-tensor where a tensor is expected is a TypeError naming the op", () => {
    for (const v of notTensors) {
      const bad = v as tg.Tensor;
      expect(() => tg.add(bad, tg.ones([2]))).toThrow(TypeError);
      expect(() => tg.add(tg.ones([2]), bad)).toThrow(/add: expected a Tensor/);
      expect(() => tg.exp(bad)).toThrow(/exp: expected a Tensor/);
      expect(() => tg.matmul(tg.ones([2, 2]), bad)).toThrow(/matmul: both operands must be Tensors/);
      expect(() => tg.sum(bad)).toThrow(/sum: expected a Tensor/);
      expect(() => tg.mean(bad)).toThrow(/mean: expected a Tensor/);
      expect(() => tg.max(bad)).toThrow(/max: expected a Tensor/);
      expect(() => tg.argmax(bad)).toThrow(/argmax: expected a Tensor/);
      expect(() => tg.reshape(bad, [1])).toThrow(/reshape: expected a Tensor/);
      expect(() => tg.transpose(bad, 0, 1)).toThrow(/transpose: expected a Tensor/);
      expect(() => tg.permute(bad, [0])).toThrow(/permute: expected a Tensor/);
      expect(() => tg.squeeze(bad)).toThrow(/squeeze: expected a Tensor/);
      expect(() => tg.unsqueeze(bad, 0)).toThrow(/unsqueeze: expected a Tensor/);
      expect(() => tg.flatten(bad)).toThrow(/flatten: expected a Tensor/);
      expect(() => tg.expand(bad, [2])).toThrow(/expand: expected a Tensor/);
      expect(() => tg.slice(bad, 0, 0, 1)).toThrow(/slice: expected a Tensor/);
      expect(() => tg.select(bad, 0, 0)).toThrow(/select: expected a Tensor/);
      expect(() => tg.cat([tg.ones([1]), bad])).toThrow(/cat: expected a Tensor/);
      expect(() => tg.stack([bad])).toThrow(/stack: expected a Tensor/);
      expect(() => tg.indexSelect(bad, 0, i32([0]))).toThrow(/indexSelect: expected a Tensor/);
      expect(() => tg.gather(bad, 0, i32([0]))).toThrow(/gather: expected a Tensor/);
      expect(() => tg.softmax(bad, 0)).toThrow(/softmax: expected a Tensor/);
      expect(() => tg.where(bad, tg.ones([1]), 0)).toThrow(/where: condition must be a Tensor/);
    }
  });
  it("a non-number exponent, and a shape that is neither sizes nor an array", () => {
    expect(() => tg.ones([2]).pow("2" as never)).toThrow(/pow: the exponent must be a number or a Tensor/);
    expect(() => tg.zeros("3" as never)).toThrow(/zeros: size 0 must be a number \(or pass one shape array\), got string "3"/);
    expect(() => tg.zeros(2, -1)).toThrow(/zeros: .*-1/);
    expect(() => tg.rand(2.5)).toThrow(/rand: .*2\.5/);
    expect(() => tg.reshape(tg.ones([2]), "2" as never)).toThrow(/reshape: the shape must be an array/);
  });
  it("raw native entries validate their arguments too", async () => {
    const { addon: native } = await import("../../lib/native.js");
    expect(() => native.copy("x" as never, new Float32Array(1))).toThrow(/tensorgrad.copy: argument 0 \(x\) must be a typed array/);
    expect(() => native.gemm(new Float32Array(1), new Float64Array(1), new Float32Array(1), false, false, 1, 1, 1, 1, 1, 1, 1, 0)).toThrow(/dtypes differ/);
    expect(() => native.alloc(0, -1)).toThrow(/alloc: argument 1 \(n\) must be an integer >= 0/);
    expect(() => native.indexSelect(new Float32Array(4), new Int32Array([9]), new Float32Array(2), 1, 4, 1, 1)).toThrow(/out of range/);
  });
});

describe("NaN and non-integer sizes", () => {
  it("are rejected with the value named", () => {
    expect(() => tg.zeros([NaN])).toThrow(/zeros: shape must be an array of non-negative integers, got \[NaN\]/);
    expect(() => tg.randn([2, NaN])).toThrow(/randn: .*\[2, NaN\]/);
    expect(() => tg.ones([2.5])).toThrow(/\[2.5\]/);
    expect(() => tg.ones([-1])).toThrow(/\[-1\]/);
    expect(() => tg.ones([4]).reshape(NaN, 2)).toThrow(/reshape: invalid shape \[NaN, 2\]/);
    expect(() => tg.ones([1]).expand(NaN)).toThrow(/expand: .*NaN/);
    expect(() => tg.arange(NaN)).toThrow(/arange: invalid range start=0 end=NaN/);
    expect(() => tg.linspace(0, 1, NaN)).toThrow(/linspace: steps must be a non-negative integer, got NaN/);
    expect(() => tg.eye(NaN)).toThrow(/NaN/);
    expect(() => tg.randint(0, NaN, [2])).toThrow(/randint: high must be an integer within int32, got NaN/);
    expect(() => tg.randint(5, 5, [2])).toThrow(/randint: low must be less than high, got low=5 high=5/);
    expect(() => tg.randint(0, 2 ** 40, [2])).toThrow(/randint: high must be an integer within int32/);
    expect(() => tg.randint(0, 3, [2], { dtyp: "float32" } as never)).toThrow(/randint: unknown option "dtyp"; did you mean "dtype"/);
    expect(() => tg.ones([4]).narrow(0, NaN, 2)).toThrow(/narrow: start NaN/);
    expect(() => tg.ones([4]).select(0, NaN)).toThrow(/select: index NaN/);
    expect(() => tg.ones([4]).sum(NaN)).toThrow(/^sum: dim must be an integer, got number NaN$/);
  });
});
