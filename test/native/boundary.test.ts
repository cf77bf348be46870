// The N-API boundary: every entry of the raw binding rejects bad input with a JS Error that names it, and
// nothing given from JS crashes the process.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { addon as native } from "../../lib/native.js";
// @ts-expect-error plain-JS fixture shared with the child process
import { entries, badValues } from "./fixtures/entries.mjs";
// @ts-expect-error plain-JS fixture
import { native as fixtureNative } from "./fixtures/addon.mjs";

type Spec = { kinds: string[]; valid: () => unknown[] };
const table = entries as Record<string, Spec>;
const call = (name: string, args: unknown[]) => (native as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);

// Runs fn and returns what it threw, failing when it returns normally.
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw, the call returned");
}

describe("native boundary: argument fuzz over every entry", () => {
  it("the table covers every function the addon exports", () => {
    expect(fixtureNative).toBe(native);
    const fns = Object.keys(native).filter((k) => typeof (native as unknown as Record<string, unknown>)[k] === "function");
    expect(Object.keys(table).sort()).toEqual(fns.sort());
  });

  for (const [name, spec] of Object.entries(table)) {
    describe(name, () => {
      it("accepts its valid call", () => {
        expect(() => call(name, spec.valid())).not.toThrow();
      });

      // A call may stop before trailing optional arguments; missing a required one must throw.
      const required = spec.kinds.map((_, i) => i).filter((i) => spec.kinds.slice(i).some((k) => !k.endsWith("?")));
      it.each(required)("rejects a call missing argument %i and later", (i) => {
        const e = thrown(() => call(name, spec.valid().slice(0, i)));
        expect(e).toBeInstanceOf(TypeError);
        // Optional arguments may be absent, so the first one found missing may come after i.
        expect(e.message).toMatch(new RegExp(`^tensorgrad\\.${name}: missing argument \\d+ \\(\\w+\\)$`));
      });

      const mutations = spec.kinds.flatMap((kind, i) =>
        (badValues(kind) as [unknown, string, string][]).map(([value, label, cls]) => ({ i, kind, value, label, cls })),
      );
      it.each(mutations)("argument $i ($kind) = $label throws a $cls naming the op", ({ i, value, cls }) => {
        const args = spec.valid();
        args[i] = value;
        const e = thrown(() => call(name, args));
        expect(e.constructor.name).toBe(cls);
        // The message names the op, and the argument by position and by its name in the entry table.
        expect(e.message).toMatch(new RegExp(`^tensorgrad\\.${name}: \\S`));
        expect(e.message).toMatch(/argument \d+ \(\w+\)/);
      });
    });
  }
});

// Out-of-bounds layouts, overflowing sizes, bad indices, released and overlapping arrays: each would read or
// write outside an array if a check were missing, so they run in a child process where a crash is a failure.
describe("native boundary: memory-safety cases (child process)", () => {
  const script = fileURLToPath(new URL("./fixtures/hazards.mjs", import.meta.url));
  const child = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 60_000 });
  const lines = child.stdout.split("\n");
  const results = lines.filter((l) => l.startsWith("END ")).map((l) => JSON.parse(l.slice(4)));
  const lastBegun = lines.filter((l) => l.startsWith("BEGIN ")).at(-1);

  it("the child exits cleanly and the addon still computes afterwards", () => {
    const where = `last case started: ${lastBegun}; signal ${child.signal}; stderr: ${child.stderr.slice(-2000)}`;
    expect(child.status, where).toBe(0);
    expect(lines).toContain("SANITY 3.75");
    expect(results.length).toBe(lines.filter((l) => l.startsWith("BEGIN ")).length);
    expect(results.length).toBeGreaterThan(80);
  });

  it.each(results.map((r) => [r.label, r]))("%s", (_label, r) => {
    expect(r.kind).toBe(r.expected);
    if (r.expected === "ok") return;
    expect(r.isError).toBe(true);
    expect(r.message.startsWith(`tensorgrad.${r.entry}: `)).toBe(true);
    expect(r.message).toContain(r.fragment);
  });
});
