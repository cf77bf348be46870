// examples/gates.js: the lecture's graph object on user-written gates; its hand-run backward must
// agree with tg's tape, and the printed numbers must be the lecture's.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const hasDist = existsSync(`${root}/dist/index.js`);
if (process.env.CI && !hasDist) throw new Error("gates example test: dist/ is missing; the install should have built it");

describe.skipIf(!hasDist)("node examples/gates.js", () => {
  const out = hasDist ? execFileSync(process.execPath, ["examples/gates.js"], { cwd: root, encoding: "utf8", timeout: 60_000 }) : "";
  const lines = out.split("\n");
  const gateLines = lines.filter((l) => l.startsWith("gate "));
  const field = (line: string, name: string) => /\[([^\]]*)\]/.exec(line.split(`| ${name} `)[1] ?? "")![1];

  it("prints every gate, and each gate's gradients equal the tape's", () => {
    expect(gateLines).toHaveLength(2 + 5 + 4);
    for (const l of gateLines) {
      expect(l).toMatch(/\| agree$/);
      expect(field(l, "grads")).toBe(field(l, "tape"));
    }
    expect(lines.filter((l) => /^(\d+) of \1 gate gradients agree with tg's tape$/.test(l))).toHaveLength(3);
  });
  it("gives the lecture's numbers for (x + y)·z and the sigmoid neuron", () => {
    expect(out).toContain("f(x, y, z) = (x + y)·z: f = -12");
    expect(out).toContain("inputs: dx = -4, dy = -4, dz = 3");
    expect(out).toContain("gate mul   (q, z -> f): value -12 | upstream 1 | local [-4, 3] | grads [-4, 3]");
    expect(out).toContain("sigmoid neuron σ(w0·x0 + w1·x1 + w2): f = 0.7311");
    expect(out).toContain("inputs: dw0 = -0.1966, dx0 = 0.3932, dw1 = -0.3932, dx1 = -0.5898, dw2 = 0.1966");
    expect(out).toContain("local [0.1966] | grads [0.1966]");
  });
  it("shows add distributing, max routing and mul switching", () => {
    expect(out).toContain("add distributes: upstream 2 -> [2, 2] (p = -12, m = 2)");
    expect(out).toContain("max routes: upstream 2 -> [2, 0] (z = 2, w = -1)");
    expect(out).toContain("mul switches: upstream 2 -> [-8, 6] (x = 3, y = -4)");
  });
});
