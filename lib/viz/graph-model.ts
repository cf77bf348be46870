// The recorded computation graph as plain nodes and edges, walked from an output tensor: one
// node per op (its name and output shape), one per leaf tensor (named when it is a given
// parameter or input), edges from inputs to the ops that used them. dot.ts and mermaid.ts
// draw it.
import { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { producerOf } from "./tape.js";

export type NodeKind = "op" | "output" | "param" | "input" | "const";

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Op name, or the leaf's given name. */
  title: string;
  /** "[2, 3]"-style shape of the op's output or of the leaf. */
  shape: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  /** [from id, to id]: the tensor made by (or held in) `from` is an input of op `to`. */
  edges: [string, string][];
}

export interface GraphOptions {
  /** Names for leaf tensors: `model.namedParameters()`, a `{x, y}` record, or [name, tensor] pairs. */
  params?: Iterable<readonly [string, Tensor]> | Record<string, Tensor>;
  /** Draw leaves that need no gradient (data, targets, constants); default true. */
  showConstants?: boolean;
}

const shapeText = (t: Tensor) => `[${t.shape.join(", ")}]`;

function nameMap(op: string, params: GraphOptions["params"]): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  if (params === undefined) return names;
  if (params === null || typeof params !== "object") throw new TypeError(`${op}: params must be namedParameters() pairs or a {name: tensor} object`);
  const pairs = Symbol.iterator in params ? (params as Iterable<readonly [string, Tensor]>) : Object.entries(params);
  for (const pair of pairs) {
    const [name, t] = pair as readonly [string, unknown];
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: params entry "${name}" is not a Tensor`);
    if (!names.has(t)) names.set(t, name);
  }
  return names;
}

/**
 * Walks the graph that produced `output`.
 * @throws TypeError when output is not a Tensor; Error when backward() freed the graph.
 */
export function graphModel(op: string, output: Tensor, opts?: GraphOptions): GraphModel {
  const { params, showConstants = true } = options(op, opts, ["params", "showConstants"]);
  if (!(output instanceof Tensor)) throw new TypeError(`${op}: expected the output Tensor whose graph to draw, got ${typeof output}`);
  const names = nameMap(op, params);
  const ids = new Map<Tensor, string>();
  const nodes: GraphNode[] = [], edges: [string, string][] = [];
  const visit = (t: Tensor): string | null => {
    const known = ids.get(t);
    if (known !== undefined) return known;
    const prod = producerOf(t);
    // Leaves: trained ones (need a gradient) are parameters; named data is an input; the rest constants.
    const leafKind: NodeKind = t.requiresGrad ? "param" : names.has(t) ? "input" : "const";
    if (!prod && leafKind === "const" && !showConstants) return null;
    const id = `n${ids.size}`;
    ids.set(t, id);
    if (prod) {
      nodes.push({ id, kind: t === output ? "output" : "op", title: prod.name, shape: shapeText(t) });
      for (const input of prod.inputs) {
        const from = visit(input);
        if (from !== null) edges.push([from, id]);
      }
    } else {
      const title = names.get(t) ?? (leafKind === "param" ? "leaf" : t.numel() === 1 ? `const ${t.item()}` : "input");
      nodes.push({ id, kind: leafKind, title, shape: shapeText(t) });
    }
    return id;
  };
  visit(output);
  return { nodes, edges };
}
