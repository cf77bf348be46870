// The computation graph as a Mermaid flowchart (renders in GitHub Markdown and many docs tools).
import type { Tensor } from "../tensor.js";
import { graphModel, type GraphOptions, type NodeKind } from "./graph-model.js";
import { refuseSurplus } from "../arity.js";

const CLASS: Record<NodeKind, string> = {
  op: "fill:#e8e8e8,stroke:#888",
  output: "fill:#b8e6b8,stroke:#4a4",
  param: "fill:#cfe2ff,stroke:#58a",
  input: "fill:#fff3bf,stroke:#b90",
  const: "fill:#f5f5f5,stroke:#bbb,color:#666",
};

// Mermaid's entity codes keep quotes and angle brackets from ending the label.
const escape = (s: string) => s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

/**
 * The same graph as viz.graph(), as Mermaid `flowchart TB` text.
 * @throws as viz.graph.
 */
export function mermaid(output: Tensor, opts?: GraphOptions): string {
  refuseSurplus(mermaid, arguments.length, opts);
  const g = graphModel("viz.mermaid", output, opts);
  const used = new Set(g.nodes.map((n) => n.kind));
  return [
    "flowchart TB",
    ...g.nodes.map((n) => `  ${n.id}["${escape(n.title)}<br/>${escape(n.shape)}"]:::${n.kind}`),
    ...g.edges.map(([a, b]) => `  ${a} --> ${b}`),
    ...[...used].map((k) => `  classDef ${k} ${CLASS[k]}`),
  ].join("\n") + "\n";
}
