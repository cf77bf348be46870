// The README's "Custom gates (autograd.Function)" example, run exactly as written (its import line
// pointed at this checkout): it must gradCheck the gate and train the model to a small loss.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

function exampleCode(): string {
  const at = readme.indexOf("### Custom gates (autograd.Function)");
  expect(at, "README has the Custom gates section").toBeGreaterThan(0);
  const start = readme.indexOf("```js\n", at) + 6, end = readme.indexOf("```", start);
  const code = readme.slice(start, end);
  expect(code).toContain('import * as tg from "tensorgrad";');
  return code.replace('import * as tg from "tensorgrad";', "");
}

describe("README: custom gates example", () => {
  it("defines MultiplyGate, gradChecks it and trains a model through it", () => {
    tg.manualSeed(0);
    const logged: string[] = [];
    const console = { log: (s: string) => logged.push(s) };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function("tg", "console", `${exampleCode()}\nreturn { model, x, target, MultiplyGate };`);
    const { model, x, target, MultiplyGate } = run(tg, console);
    expect(logged).toHaveLength(5);
    const losses = logged.map((l) => Number(/^step \d+ loss ([\d.]+)$/.exec(l)![1]));
    expect(losses[0]).toBeGreaterThan(1);
    const final = tg.nn.functional.mseLoss(model.forward(x), target).item();
    expect(final).toBeLessThan(1e-4);
    expect(model.lin.weight.grad).not.toBeNull();
    expect(tg.gradCheck((a: tg.Tensor, b: tg.Tensor) => MultiplyGate.apply(a, b), [tg.randn([2, 2]), tg.randn([2, 2])])).toBe(true);
  });
});
