// Module structure: no import cycle in lib/ (madge, value imports only), and every module of lib/ can
// be imported first, alone, in a fresh process — so no module's load order matters. The fresh-process
// imports run the compiled library in dist/ (vitest transpiles TypeScript only in this process).
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(root, "dist");
const hasDist = existsSync(join(dist, "index.js"));
if (process.env.CI && !hasDist) throw new Error("modules test: dist/ is missing; the install should have built it");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

// Runs `code` as an ES module in a fresh node process; resolves with its exit code and stderr.
function fresh(code: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: root });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (c) => resolve({ code: c, stderr }));
  });
}

describe("lib/ module structure", () => {
  it("has no import cycle (madge --circular, type-only imports ignored)", async () => {
    const res = await madge(join(root, "lib"), {
      fileExtensions: ["ts"], tsConfig: join(root, "tsconfig.json"),
      detectiveOptions: { ts: { skipTypeImports: true }, es6: { skipTypeImports: true } },
    });
    expect(res.circular()).toEqual([]);
    expect(Object.keys(res.obj()).length).toBeGreaterThan(40);  // it did read lib/
  }, 300_000);  // parsing every file takes 55 s on a loaded 2-core machine, more under CI's ASan pass

  // Command-line entry points (a #! line) run when imported; they are not library modules.
  const modules = tsFiles(join(root, "lib"))
    .filter((f) => !readFileSync(f, "utf8").startsWith("#!"))
    .map((f) => relative(join(root, "lib"), f).replace(/\.ts$/, ".js"));
  it.skipIf(!hasDist)("imports every module first and alone in a fresh process", async () => {
    const failures: string[] = [];
    // A few at a time: the machine is shared.
    for (let i = 0; i < modules.length; i += 8) {
      const batch = modules.slice(i, i + 8);
      const results = await Promise.all(batch.map((m) => fresh(`await import(${JSON.stringify(join(dist, m))});`)));
      results.forEach((r, k) => r.code !== 0 && failures.push(`${batch[k]}: ${r.stderr.split("\n").find((l) => /Error/.test(l))}`));
    }
    expect(failures).toEqual([]);
    expect(modules.length).toBeGreaterThan(40);
  }, 300_000);

  it.skipIf(!hasDist)("importing the package alone attaches every op's method to Tensor", async () => {
    const code = `
      const tg = await import(${JSON.stringify(join(dist, "index.js"))});
      const { OPS } = await import(${JSON.stringify(join(dist, "ops/define.js"))});
      const missing = [...OPS.values()].filter((o) => o.method && typeof tg.Tensor.prototype[o.name] !== "function").map((o) => o.name);
      if (OPS.size < 60 || missing.length) { console.error("Error: missing methods " + missing.join(", ")); process.exit(1); }`;
    const r = await fresh(code);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
