// examples/graph.js draws the lecture's f(x, y, z) = (x + y)·z and one LeNet-5 (or MLP) training step as SVG.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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
    // LeNet-5 when this build has convolutions (examples/lenet5.js), else the MLP.
    const lenet = existsSync(join(out, "graph-lenet-step.svg"));
    const step = readFileSync(join(out, lenet ? "graph-lenet-step.svg" : "graph-mlp-step.svg"), "utf8");
    const labels = lenet ? [">features.0.weight<", ">[6, 1, 5, 5]<", ">classifier.4.bias<"] : [">0.weight<", ">[16, 2]<", ">2.bias<"];
    for (const label of labels) expect(step).toContain(label);
    // The graph keeps only what gradients flow through (as PyTorch's), so the input batch is not drawn.
    expect(step).not.toContain(lenet ? ">[4, 1, 28, 28]<" : ">[8, 2]<");
    expect(r.stdout).toMatch(lenet ? /LeNet-5 step: loss [\d.]+/ : /MLP step: loss [\d.]+/);
  });
});
