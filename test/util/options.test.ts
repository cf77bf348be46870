import { describe, expect, it } from "vitest";
import { options, pair, suggestKey } from "../../lib/options.js";

describe("options()", () => {
  it("passes known keys and treats undefined as empty", () => {
    expect(options("f", { a: 1 }, ["a", "b"])).toEqual({ a: 1 });
    expect(options<{ a?: number }>("f", undefined, ["a"])).toEqual({});
  });
  it("names an unknown key, suggests the camelCase spelling and lists the allowed keys", () => {
    expect(() => options("SGD", { weight_decay: 0.5 } as object, ["lr", "weightDecay"])).toThrow(
      'SGD: unknown option "weight_decay"; did you mean "weightDecay"? (allowed: lr, weightDecay)');
    expect(() => options("f", { strid: 2 } as object, ["stride", "padding"])).toThrow('did you mean "stride"?');
    expect(() => options("f", { zzz: 2 } as object, ["stride"])).toThrow('f: unknown option "zzz" (allowed: stride)');
  });
  it("refuses a non-object in the options position", () => {
    expect(() => options("SGD", 0.1 as never, ["lr"])).toThrow(/SGD: expected an options object \{lr\}.*number 0.1/);
    expect(() => options("f", [1] as never, ["a"])).toThrow(/an array/);
    expect(() => options("f", new Map() as never, ["a"])).toThrow(/a Map/);
  });
  it("suggests case-insensitive and near spellings only", () => {
    expect(suggestKey("LR", ["lr"])).toBe("lr");
    expect(suggestKey("ceil_mode", ["ceilMode", "padding"])).toBe("ceilMode");
    expect(suggestKey("completely", ["lr"])).toBeUndefined();
  });
  it("bounds the edit distance by the key's length, so a short key gets only a real near match", () => {
    // x.uniform_({a: 0, b: 1}) (nn.init.uniform_'s names): rewriting all of "a" into "to" is no near match.
    expect(suggestKey("a", ["from", "to"])).toBeUndefined();
    expect(suggestKey("b", ["from", "to"])).toBeUndefined();
    expect(suggestKey("x", ["p", "dim"])).toBeUndefined();
    expect(suggestKey("dm", ["p", "dim"])).toBe("dim");
    expect(suggestKey("mn", ["min", "max"])).toBe("min");
    expect(suggestKey("ab", ["to"])).toBeUndefined();
    expect(suggestKey("dytpe", ["dtype"])).toBe("dtype");
    expect(suggestKey("reductoin", ["reduction"])).toBe("reduction");
    expect(suggestKey("lrdecayy", ["lrDecay"])).toBe("lrDecay");
    expect(suggestKey("tol", ["lr"])).toBeUndefined();
  });
});

describe("pair()", () => {
  it("reads a number or [h, w]", () => {
    expect(pair(3, "kernelSize", "conv2d", 1)).toEqual([3, 3]);
    expect(pair([1, 0], "padding", "conv2d")).toEqual([1, 0]);
  });
  it("names the op, the argument and the value", () => {
    expect(() => pair(0, "stride", "conv2d", 1)).toThrow("conv2d: stride must be an integer >= 1, got 0");
    expect(() => pair([1, -1], "padding", "conv2d")).toThrow("conv2d: padding must be integers >= 0, got [1, -1]");
    expect(() => pair("2", "stride", "conv2d")).toThrow("conv2d: stride must be an integer or a pair [h, w], got string \"2\"");
    expect(() => pair([1, 2, 3], "stride", "conv2d")).toThrow(/an array/);
  });
});
