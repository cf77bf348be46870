// examples/train-loop.js (the README's training loop): trains, checkpoints each epoch, and a second
// run resumes after the last saved epoch. Needs dist/ and dataset-fashion-mnist.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../examples/train-loop.js", import.meta.url));

describe("examples/train-loop.js", () => {
  it("trains an epoch, saves, and a fresh process resumes at epoch 2", () => {
    const cwd = mkdtempSync(join(tmpdir(), "tg-train-loop-"));
    const run = (epochs: number) => execFileSync(process.execPath, [script, "--epochs", String(epochs), "--samples", "2000"], { cwd, encoding: "utf8", timeout: 120_000 });
    const first = run(1);
    expect(first).toMatch(/^epoch 1 {2}train loss \d+\.\d{4} {2}val accuracy [\d.]+%$/m);
    expect(existsSync(join(cwd, "fashion.safetensors"))).toBe(true);
    const second = run(2);
    expect(second).toMatch(/^resumed from fashion\.safetensors after epoch 1$/m);
    expect(second).not.toMatch(/^epoch 1 /m);
    const acc = Number(/^epoch 2 .*val accuracy ([\d.]+)%$/m.exec(second)![1]);
    expect(acc).toBeGreaterThan(60);
    expect(existsSync(join(cwd, "fashion-mlp.safetensors"))).toBe(true);
  });
});
