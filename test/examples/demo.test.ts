// The README's main job: `npm run demo` must train the spiral MLP past 97% accuracy.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("npm run demo", () => {
  it("trains the spiral MLP above 97% accuracy, printing a line per epoch", () => {
    const out = execFileSync(process.execPath, ["examples/spiral.js"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const epochs = out.split("\n").filter((l) => /^epoch\s+\d+\s+loss [\d.]+\s+accuracy [\d.]+%\s+\d+ samples\/s$/.test(l));
    expect(epochs.length).toBe(40);
    const acc = Number(/final accuracy ([\d.]+)%/.exec(out)![1]);
    expect(acc).toBeGreaterThan(97);
  });
});
