import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, i32, vals } from "./util.js";

const x = () => tg.tensor([[1, 2, 3], [4, 5, 6]]);

describe("indexSelect", () => {
  it("picks rows or columns, with repeats", () => {
    expectClose(x().indexSelect(0, i32([1, 0, 1])), [[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expectClose(x().indexSelect(1, i32([2, 0])), [[3, 1], [6, 4]]);
    expectClose(tg.indexSelect(x(), -1, i32([1])), [[2], [5]]);
    expectClose(x().t().indexSelect(0, i32([2, 0])), [[3, 6], [1, 4]]);
    expect(x().int().indexSelect(0, i32([1])).toArray()).toEqual([[4, 5, 6]]);
  });
  it("gradient accumulates over repeated indices", () => {
    const t = tg.tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    t.indexSelect(0, i32([2, 0, 2])).sum().backward();
    expectClose(t.grad!, [[1, 1], [0, 0], [2, 2]]);
    expect(tg.gradCheck((u) => u.indexSelect(1, i32([3, 0, 3, 1])), [vals([2, 4, 3])])).toBe(true);
    expect(tg.gradCheck((u) => u.indexSelect(0, i32([1, 1])), [vals([3, 2])])).toBe(true);
  });
});

describe("gather", () => {
  it("picks along a dim per position (as torch.gather)", () => {
    expectClose(x().gather(1, i32([[2, 0], [1, 1]])), [[3, 1], [5, 5]]);
    expectClose(x().gather(0, i32([[1, 0, 1]])), [[4, 2, 6]]);
    expectClose(tg.gather(x().t(), 0, i32([[1, 0]])), [[2, 4]]);
  });
  it("gradient scatters back, adding at repeats", () => {
    const t = tg.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    t.gather(1, i32([[2, 2], [0, 1]])).sum().backward();
    expectClose(t.grad!, [[0, 0, 2], [1, 1, 0]]);
    expect(tg.gradCheck((u) => u.gather(1, i32([[0, 2, 2], [1, 1, 0]])), [vals([2, 3])])).toBe(true);
    expect(tg.gradCheck((u) => u.gather(0, i32([[[1, 0]], [[0, 0]]])), [vals([2, 1, 2])])).toBe(true);
  });
});
