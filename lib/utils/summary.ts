// tg.summary(model, inputShape): a table of the layers a forward pass runs through (name,
// type, output shape, own parameter count), the parameter totals and an estimate of the memory
// the pass needs, as torchinfo's summary does. It runs one forward pass under noGrad, in eval
// mode (so BatchNorm running statistics are not touched), recording each module through a
// forward pre-hook (row order = call order) and a forward hook (output shape).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad-mode.js";
import { zeros } from "../ops/creation.js";
import type { DType } from "../dtype.js";
import { Module } from "../nn/module.js";
import { Parameter } from "../nn/parameter.js";
import type { RemovableHandle } from "../nn/hooks.js";
import { options } from "../options.js";
import { refuseSurplus } from "../arity.js";

export interface SummaryOptions {
  /** dtype of the zero inputs made from shapes (default "float32"; "int32" for token ids). */
  dtype?: DType;
  /** Print the table with console.log (default true). */
  print?: boolean;
}

export interface SummaryRow {
  /** Dotted name within the model ("" for the model itself). */
  name: string;
  type: string;
  depth: number;
  outputShape: number[][];
  outputBytes: number;
  /** Parameters the module holds itself (not its children's). */
  params: number;
}

/** What summary() returns; `String(s)` is the printed table. Sizes in bytes. */
export interface ModelSummary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  inputBytes: number;
  activationBytes: number;
  paramBytes: number;
  toString(): string;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const bytesOf = (t: Tensor) => t.numel() * BYTES[t.dtype];

/**
 * Runs `model` once on zeros of `inputShape` (batch dimension included, as torchinfo's
 * input_size), or on the given tensors, and tabulates it.
 * @param inputShape one shape (`[1, 2]`), several shapes for several inputs (`[[1, 2], [1, 5]]`), or Tensor inputs.
 * @returns the rows and totals; also printed unless `{print: false}`.
 * @throws TypeError when model is not a Module or inputShape is not shapes or tensors; whatever the forward pass throws.
 */
export function summary(model: Module, inputShape: number[] | number[][] | Tensor | Tensor[], opts?: SummaryOptions): ModelSummary {
  refuseSurplus(summary, arguments.length, opts);
  const { dtype = "float32", print = true } = options("summary", opts, ["dtype", "print"]);
  if (!(model instanceof Module)) throw new TypeError("summary: model must be a tg.nn.Module");
  const inputs = toInputs(inputShape, dtype);
  const rows: SummaryRow[] = [];
  const depthOf = (name: string) => (name === "" ? 0 : name.split(".").length);
  const handles: RemovableHandle[] = [];
  for (const [name, m] of model.namedModules()) {
    const params = Object.values(m).filter((v): v is Parameter => v instanceof Parameter).reduce((n, p) => n + p.numel(), 0);
    const open: SummaryRow[] = [];  // this module's rows awaiting their output (a module may be re-entered)
    handles.push(m.registerForwardPreHook(() => {
      const row = { name, type: m.constructor.name, depth: depthOf(name), outputShape: [], outputBytes: 0, params };
      rows.push(row);
      open.push(row);
    }));
    handles.push(m.registerForwardHook((_m, _in, out) => {
      const row = open.pop();
      if (!row) return;
      const outs = outputsOf(out);
      row.outputShape = outs.map((t) => [...t.shape]);
      row.outputBytes = outs.reduce((n, t) => n + bytesOf(t), 0);
    }));
  }
  const modes = [...model.modules()].map((m) => m.training);
  try {
    model.eval();
    noGrad(() => model.forward(...inputs));
  } finally {
    handles.forEach((h) => h.remove());
    [...model.modules()].forEach((m, i) => (m.training = modes[i]));
  }
  // Containers return their children's outputs: count only modules without children.
  const leaves = new Set([...model.namedModules()].filter(([, m]) => m.children().next().done).map(([n]) => n));
  const activationBytes = rows.filter((r) => leaves.has(r.name)).reduce((n, r) => n + r.outputBytes, 0);
  const params = model.parameters();
  const result: ModelSummary = {
    rows,
    totalParams: params.reduce((n, p) => n + p.numel(), 0),
    trainableParams: params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.numel(), 0),
    inputBytes: inputs.reduce((n, t) => n + bytesOf(t), 0),
    activationBytes,
    paramBytes: params.reduce((n, p) => n + bytesOf(p), 0),
    toString: () => formatSummary(result),
  };
  if (print) console.log(String(result));
  return result;
}

function toInputs(spec: unknown, dtype: DType): Tensor[] {
  if (spec instanceof Tensor) return [spec];
  const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0);
  if (Array.isArray(spec) && spec.length > 0 && spec.every((t) => t instanceof Tensor)) return spec as Tensor[];
  if (isShape(spec)) return [zeros(spec, { dtype })];
  if (Array.isArray(spec) && spec.length > 0 && spec.every(isShape)) return spec.map((s) => zeros(s, { dtype }));
  throw new TypeError(`summary: inputShape must be a shape such as [1, 784] (batch included), a list of shapes, or tensors; got ${JSON.stringify(spec)}`);
}

function outputsOf(out: unknown): Tensor[] {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out)) return out.filter((t): t is Tensor => t instanceof Tensor);
  return [];
}

const MB = (b: number) => (b / 1e6).toFixed(2);
const int = (n: number) => n.toLocaleString("en-US");

function formatSummary(s: ModelSummary): string {
  const cells = s.rows.map((r) => [
    `${"  ".repeat(r.depth)}${r.name ? `${r.name} (${r.type})` : r.type}`,
    r.outputShape.map((sh) => `[${sh.join(", ")}]`).join(", ") || "--",
    r.params ? int(r.params) : "--",
  ]);
  const head = ["Layer (type)", "Output shape", "Param #"];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)) + 2);
  const line = (c: string[]) => c[0].padEnd(w[0]) + c[1].padEnd(w[1]) + c[2].padStart(w[2] - 2);
  const rule = "=".repeat(w[0] + w[1] + w[2] - 2);
  return [
    rule, line(head), rule, ...cells.map(line), rule,
    `Total params: ${int(s.totalParams)}`,
    `Trainable params: ${int(s.trainableParams)}`,
    `Non-trainable params: ${int(s.totalParams - s.trainableParams)}`,
    rule,
    `Input size (MB): ${MB(s.inputBytes)}`,
    `Activations (MB): ${MB(s.activationBytes)}   (every layer's output: what a training step keeps for backward, about)`,
    `Params size (MB): ${MB(s.paramBytes)}`,
    `Estimated total size (MB): ${MB(s.inputBytes + s.activationBytes + s.paramBytes)}`,
    rule,
  ].join("\n");
}
