// tg.viz: the recorded graph as DOT and Mermaid, and DOT rendered to SVG by Graphviz (WebAssembly).
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

function lecture() {
  const x = tg.tensor([1, 2], { requiresGrad: true }), y = tg.tensor([3, 4], { requiresGrad: true }), z = tg.tensor([5, 6], { requiresGrad: true });
  return { x, y, z, f: x.add(y).mul(z) };
}

// [from label, to label] pairs of a DOT string, labels read back from the node lines.
function edgesOf(dot: string): string[][] {
  const label = new Map([...dot.matchAll(/^ {2}(n\d+) \[label="([^"]*)"/gm)].map((m) => [m[1], m[2].replace(/\\n/g, " ")]));
  return [...dot.matchAll(/^ {2}(n\d+) -> (n\d+);/gm)].map((m) => [label.get(m[1])!, label.get(m[2])!]);
}

describe("viz.graph", () => {
  it("f(x, y, z) = (x + y)·z: one node per op with its output shape, named leaves, edges input → output", () => {
    const { x, y, z, f } = lecture();
    const dot = tg.viz.graph(f, { params: { x, y, z } });
    expect(dot.startsWith("digraph tensorgrad {")).toBe(true);
    const add = f.gradFn!.inputs[0].gradFn!.name, mul = f.gradFn!.name;
    expect(edgesOf(dot).sort()).toEqual([
      [`${add} [2]`, `${mul} [2]`], ["x [2]", `${add} [2]`], ["y [2]", `${add} [2]`], ["z [2]", `${mul} [2]`],
    ].sort());
    expect(dot).toMatch(new RegExp(`label="${mul}\\\\n\\[2\\]".*#b8e6b8`));  // the output is green
  });
  it("a training step: parameters named from namedParameters(), data and targets as inputs", () => {
    const model = new tg.nn.Sequential(new tg.nn.Linear(2, 4), new tg.nn.Tanh(), new tg.nn.Linear(4, 3));
    const xb = tg.randn([8, 2]), yb = tg.tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
    const loss = tg.nn.functional.crossEntropy(model.forward(xb), yb);
    const dot = tg.viz.graph(loss, { params: [...model.namedParameters(), ["x", xb]] });
    for (const name of ["0.weight\\n[4, 2]", "0.bias\\n[4]", "2.weight\\n[3, 4]", "2.bias\\n[3]", "x\\n[8, 2]"]) expect(dot).toContain(`label="${name}"`);
    const unnamed = tg.viz.graph(loss, { params: model.namedParameters() });
    expect(unnamed).toContain('label="input\\n[8, 2]"');  // data that needs no gradient, not named
    expect(tg.viz.graph(loss, { params: model.namedParameters(), showConstants: false })).not.toContain("[8, 2]");
  });
  it("refuses a graph freed by backward, and bad arguments", () => {
    const { f } = lecture();
    const loss = f.sum();
    loss.backward();
    expect(() => tg.viz.graph(loss)).toThrow(/freed by backward\(\); draw the graph before calling backward\(\), or call backward\(\{retainGraph: true\}\)/);
    expect(() => tg.viz.graph(3 as never)).toThrow("viz.graph: expected the output Tensor whose graph to draw, got number");
    expect(() => tg.viz.graph(tg.ones([1]), { param: {} } as never)).toThrow(/unknown option "param"; did you mean "params"/);
    expect(() => tg.viz.graph(tg.ones([1]), { params: { a: 1 } } as never)).toThrow('viz.graph: params entry "a" is not a Tensor');
  });
  it("a leaf alone is one node", () => {
    expect(tg.viz.graph(tg.ones([2, 2]), {})).toContain('n0 [label="input\\n[2, 2]"');
  });
});

describe("viz.mermaid", () => {
  it("gives the same nodes and edges as a Mermaid flowchart", () => {
    const { x, y, z, f } = lecture();
    const m = tg.viz.mermaid(f, { params: { x, y, z } });
    expect(m.split("\n")[0]).toBe("flowchart TB");
    expect(m).toContain('["x<br/>[2]"]:::param');
    expect(m.match(/-->/g)!.length).toBe(4);
    expect(m).toContain("classDef output");
  });
});

describe("viz.renderSvg", () => {
  it("renders the DOT to an SVG document with the labels in it", async () => {
    const { x, y, z, f } = lecture();
    const svg = await tg.viz.renderSvg(tg.viz.graph(f, { params: { x, y, z } }));
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    for (const label of [">x<", ">y<", ">z<", ">[2]<"]) expect(svg).toContain(label);
    expect(svg.match(/class="node"/g)!.length).toBe(5);
    expect(svg.match(/class="edge"/g)!.length).toBe(4);
  });
  it("reports DOT that does not parse", async () => {
    await expect(tg.viz.renderSvg("digraph { a -> ")).rejects.toThrow(/viz.renderSvg: Graphviz could not render the DOT/);
    await expect(tg.viz.renderSvg(null as never)).rejects.toThrow("viz.renderSvg: expected DOT source as a string, got object");
  });
});
