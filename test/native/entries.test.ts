// The entry table is declared once, in the C++ signatures of native/binding.cc; lib/native-entries.ts
// (the TypeScript signatures and the strided-entry wrappers) is generated from what the addon reports.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { addon, native } from "../../lib/native.js";
// @ts-expect-error plain-JS generator
import { render } from "../../native/gen-entries.mjs";

describe("native entry table", () => {
  it("lib/native-entries.ts is what the addon's table generates (run `node native/gen-entries.mjs` if not)", () => {
    const current = readFileSync(fileURLToPath(new URL("../../lib/native-entries.ts", import.meta.url)), "utf8");
    expect(current).toBe(render(addon.entrySpecs, addon.isas));
  });

  it("every exported function has a spec, and every spec names each argument", () => {
    const fns = Object.keys(addon).filter((k) => typeof (addon as unknown as Record<string, unknown>)[k] === "function");
    expect(Object.keys(addon.entrySpecs).sort()).toEqual(fns.sort());
    for (const [name, spec] of Object.entries(addon.entrySpecs))
      for (const [arg, kind] of spec.args) expect(`${name}.${arg}`).toMatch(/^\w+\.\w+$/), expect(kind).toMatch(/^(arr|arrs|i32|num|fin|int|int1|bool|op:\d+)\??$/);
  });

  it("a strided entry writes its layout in the same call: a broadcast row plus a column", () => {
    const a = new Float32Array([1, 2, 3]), b = new Float32Array([10, 20]), out = new Float32Array(6);
    const row = { shape: [3], strides: [1], offset: 0 }, col = { shape: [2, 1], strides: [1, 1], offset: 0 };
    native.binary([2, 3], [row, col, { shape: [2, 3], strides: [3, 1], offset: 0 }], native.binaryOps.indexOf("add"), a, b, out);
    expect([...out]).toEqual([11, 12, 13, 21, 22, 23]);
  });

  it("the ISA names come from the addon, slowest first", () => {
    expect(native.isas[0]).toBe("scalar");
    expect(native.isas).toContain(addon.getIsa());
  });
});
