// examples/gates.js: the lecture's graph object with user-written gates agrees with tg's tape.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("examples/gates.js", () => {
  it("runs every example, and each gradient agrees with the tape", () => {
    const out = execFileSync(process.execPath, ["examples/gates.js"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(out.match(/→ agree$/gm)?.length).toBe(3);
    expect(out).toContain("all gradients agree with tg's tape");
    expect(out).toContain("MaxGate      b = max(z, w) = 2   local d/dz 1, d/dw 0");  // max routes
    expect(out).toContain("tape:  d/dw0 -0.1966, d/dx0 0.3932, d/dw1 -0.3932, d/dx1 -0.5898, d/dw2 0.1966");
  });
});
