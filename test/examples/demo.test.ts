// The README's main job: `npm run demo` must train the spiral MLP past 97% accuracy, showing the
// model, its summary, a progress bar, the loss curve, and writing the curves as SVG.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("npm run demo", () => {
  it("trains the spiral MLP above 97% accuracy with a progress bar, a loss curve and an SVG of the curves", () => {
    const out = mkdtempSync(join(tmpdir(), "tg-demo-"));
    const r = spawnSync(process.execPath, ["examples/spiral.js", out], { cwd: root, encoding: "utf8", timeout: 90_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Sequential(\n  (0): Linear(in_features=2, out_features=64, bias=True)\n  (1): ReLU()");
    expect(r.stdout).toContain("Total params: 4,547");
    expect(r.stdout).toContain("loss per epoch (1 … 60)");
    // stderr is a pipe here, so the bar prints plain lines; the last one is complete.
    expect(r.stderr.trim().split("\n").pop()).toMatch(/^training: 28800\/28800 \[.* samples\/s, epoch=60, loss=[\d.e-]+, valAcc=[\d.]+\] 100%$/);
    const acc = Number(/final accuracy ([\d.]+)%/.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThan(97);
    const svg = readFileSync(join(out, "spiral-curves.svg"), "utf8");
    for (const text of [">loss<", ">accuracy<", ">epoch<", ">train<", ">val<"]) expect(svg).toContain(text);
  });
});
