// Graphviz DOT for the computation graph, styled like torchviz's pictures: ops as grey boxes,
// parameters (leaves that need a gradient) light blue, data light yellow, the output green.
import type { Tensor } from "../tensor.js";
import { graphModel, type GraphOptions, type NodeKind } from "./graph-model.js";
import { refuseSurplus } from "../arity.js";

const STYLE: Record<NodeKind, string> = {
  op: 'shape=box, style="rounded,filled", fillcolor="#e8e8e8"',
  output: 'shape=box, style="rounded,filled", fillcolor="#b8e6b8"',
  param: 'shape=box, style=filled, fillcolor="#cfe2ff"',
  input: 'shape=box, style=filled, fillcolor="#fff3bf"',
  const: 'shape=box, style=filled, fillcolor="#f5f5f5", fontcolor="#666666"',
};

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/**
 * The recorded graph behind `output` as Graphviz DOT: one node per op with its name and output
 * shape, leaves labelled with their names from `opts.params` (e.g. `model.namedParameters()`),
 * edges from inputs to outputs. Draw it before backward() (which frees the graph) or after
 * backward({retainGraph: true}).
 * @throws TypeError for a non-Tensor or bad params; Error when the graph was freed.
 */
export function graph(output: Tensor, opts?: GraphOptions): string {
  refuseSurplus(graph, arguments.length, opts);
  const g = graphModel("viz.graph", output, opts);
  const lines = [
    "digraph tensorgrad {",
    '  graph [rankdir=TB, fontname="Helvetica"];',
    '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.05"];',
    '  edge [color="#555555", arrowsize=0.7];',
    ...g.nodes.map((n) => `  ${n.id} [label=${quote(`${n.title}\n${n.shape}`)}, ${STYLE[n.kind]}];`),
    ...g.edges.map(([a, b]) => `  ${a} -> ${b};`),
    "}",
  ];
  return lines.join("\n") + "\n";
}
