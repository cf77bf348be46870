// tg.utils.History: recording scalars, the SVG curves (Vega-Lite rendered headless) and the terminal chart.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

function run(): tg.utils.History {
  const h = new tg.utils.History();
  for (let e = 1; e <= 5; ++e) {
    h.log({ loss: 1 / e, acc: tg.tensor(1 - 1 / (e + 1)) }, { epoch: e });
    h.log({ loss: 1.2 / e, acc: 1 - 1.5 / (e + 1) }, { epoch: e, split: "val" });
  }
  return h;
}

describe("History", () => {
  it("collects values per metric and split, with epochs or steps", () => {
    const h = run();
    expect(h.metrics()).toEqual(["loss", "acc"]);
    expect(h.splits("loss")).toEqual(["train", "val"]);
    expect(h.series("loss", "val").x).toEqual([1, 2, 3, 4, 5]);
    expect(h.last("acc")).toBeCloseTo(1 - 1 / 6, 6);
    expect(h.xLabel("loss")).toBe("epoch");
    h.log({ lr: 0.1 });
    h.log({ lr: 0.05 });
    expect(h.series("lr").x).toEqual([1, 2]);
    expect(h.xLabel("lr")).toBe("step");
    const back = tg.utils.History.fromJSON(JSON.parse(JSON.stringify(h)));
    expect(back.records).toEqual(h.records);
    expect(back.xLabel("loss")).toBe("epoch");
  });
  it("plot() writes an SVG with one panel per metric, labelled axes and a train/val legend", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "tg-history-")), "curves.svg");
    expect(await run().plot(path, { title: "spiral" })).toBe(path);
    const svg = readFileSync(path, "utf8");
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    for (const text of [">spiral<", ">loss<", ">acc<", ">epoch<", ">train<", ">val<", ">split<"]) expect(svg).toContain(text);
    expect(svg.match(/aria-roledescription="line mark"/g)!.length).toBe(4);  // 2 metrics × 2 splits
  });
  it("ascii() draws a metric in the terminal, every split", () => {
    const text = run().ascii("loss", { color: false, height: 6, width: 30 });
    const lines = text.split("\n");
    expect(lines[0]).toBe("loss per epoch (1 … 5)");
    expect(lines[1]).toBe("train:");
    expect(lines.length).toBe(1 + 2 * (1 + 7));  // header, then per split: name + height+1 rows
    expect(text).toContain("1.200");  // the y range is shared: val's maximum labels train's chart too
    const colored = run().ascii("loss", { color: true });
    expect(colored).toContain("\u001b[");
  });
  it("explains what is wrong", async () => {
    const h = new tg.utils.History();
    expect(() => h.ascii()).toThrow('History.ascii: no values for metric "loss" (logged: none)');
    await expect(h.plot("x.svg")).rejects.toThrow("History.plot: nothing to plot");
    await expect(run().plot("x.svg", { metrics: ["acc", "f1"] })).rejects.toThrow('History.plot: no values for metric "f1" (logged: loss, acc)');
    expect(() => h.log({ loss: "a" as never })).toThrow('History.log: value of "loss" must be a number or a one-element Tensor, got string');
    expect(() => h.log({ loss: 1 }, { epoc: 1 } as never)).toThrow(/did you mean "epoch"/);
  });
});
