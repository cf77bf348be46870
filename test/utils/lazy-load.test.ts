// `import "tensorgrad"` must not load the optional visual libraries (they load on first use).
// A fresh node process imports the built package and lists every module it resolved or required.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const VISUAL = /node_modules\/(cli-progress|asciichart|vega|vega-[a-z-]+|@viz-js\/viz)\//;

function loaded(use: boolean): string[] {
  const out = execFileSync(process.execPath, [`${root}test/utils/fixtures/loaded-modules.mjs`, `${root}dist/index.js`, ...(use ? ["use"] : [])], {
    encoding: "utf8", timeout: 60_000,
  });
  const { esm, cjs } = JSON.parse(out.trim().split("\n").pop()!) as { esm: string[]; cjs: string[] };
  return [...esm, ...cjs].map((u) => decodeURIComponent(u.replace(/^file:\/\//, "")));
}

describe("optional libraries are lazy", () => {
  it("import 'tensorgrad' loads none of cli-progress, asciichart, vega, vega-lite, @viz-js/viz", () => {
    const mods = loaded(false);
    expect(mods.some((m) => m.endsWith("dist/index.js"))).toBe(true);  // the detector saw the package itself
    expect(mods.filter((m) => VISUAL.test(m))).toEqual([]);
  });
  it("using them loads each one (so the check above can fail)", () => {
    const names = new Set(loaded(true).map((m) => VISUAL.exec(m)?.[1]).filter(Boolean));
    for (const lib of ["cli-progress", "asciichart", "vega", "vega-lite", "@viz-js/viz"]) expect(names).toContain(lib);
  });
});
