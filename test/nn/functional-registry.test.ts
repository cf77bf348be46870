// Every function exported on tg.nn.functional must have gradCheck cases (in grad-cases/*.ts, one
// table per family, checked at float64 for every option that changes the computation) or be listed
// as not differentiable. A new export in neither place fails this suite.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import type { GradCases } from "./grad-cases/types.js";

const tables = import.meta.glob<{ CASES: GradCases }>("./grad-cases/*.ts", { eager: true });
const CASES: GradCases = {};
for (const [file, mod] of Object.entries(tables)) {
  if (!mod.CASES) continue;
  for (const [name, cases] of Object.entries(mod.CASES)) {
    if (name in CASES) throw new Error(`${file}: ${name} already has cases in another table`);
    CASES[name] = cases;
  }
}

// Exports of tg.nn.functional that are not differentiable ops.
const NOT_DIFFERENTIABLE = new Set<string>(["oneHot"]);  // int32 in, int32 out

const exported = Object.entries(tg.nn.functional).filter(([, v]) => typeof v === "function").map(([k]) => k);

describe("tg.nn.functional gradient registry", () => {
  it("finds the tables and exports (sanity)", () => {
    expect(Object.keys(tables).length).toBeGreaterThan(1);
    expect(exported).toContain("maxPool2d");
  });
  it("every export has gradCheck cases or is listed as not differentiable", () => {
    const missing = exported.filter((n) => !(n in CASES) && !NOT_DIFFERENTIABLE.has(n));
    expect(missing, `tg.nn.functional exports without gradCheck cases: ${missing.join(", ")}`).toEqual([]);
  });
  it("no stale entries", () => {
    const stale = [...Object.keys(CASES), ...NOT_DIFFERENTIABLE].filter((n) => !exported.includes(n));
    expect(stale, `listed but not exported: ${stale.join(", ")}`).toEqual([]);
  });
  const all = Object.entries(CASES).flatMap(([name, cs]) => Object.entries(cs).map(([label, fn]) => [`${name} ${label}`.trim(), fn] as const));
  it.each(all)("%s passes gradCheck", (_, fn) => {
    expect(fn()).toBe(true);
  });
});
