// examples/graph.js draws the lecture's f(x, y, z) = (x + y)·z and one MLP training step as SVG.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("examples/graph.js", () => {
  it("writes both graphs as SVG, with the lecture's values", () => {
    const out = mkdtempSync(join(tmpdir(), "tg-graph-"));
    const r = spawnSync(process.execPath, ["examples/graph.js", out], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("f = -12, df/dx = -4, df/dy = -4, df/dz = 3");
    expect(r.stdout).toContain("flowchart TB");
    const f = readFileSync(join(out, "graph-f.svg"), "utf8");
    for (const label of [">x<", ">y<", ">z<"]) expect(f).toContain(label);
    expect(f.match(/class="edge"/g)!.length).toBe(4);
    const step = readFileSync(join(out, "graph-mlp-step.svg"), "utf8");
    for (const label of [">0.weight<", ">[16, 2]<", ">2.bias<", ">input<", ">[8, 2]<"]) expect(step).toContain(label);
  });
});
