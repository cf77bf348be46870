// The backprop lecture's computational-graph object, literally: gates written by the user as
// tg.autograd.Function classes (forward keeps what backward needs; backward turns the upstream
// gradient into the inputs' gradients), and a ComputationalGraph that runs forward() over the
// topologically sorted gates and backward() in reverse order. Each gate's local and upstream
// gradients are printed beside the gradients tg's own tape computes for the same gates (via
// Gate.apply + backward()); they agree. Run: node examples/gates.js (after npm run build).
import * as tg from "../dist/index.js";

const { Function, FunctionCtx } = tg.autograd;

// ---- the gates ----
class AddGate extends Function {
  static forward(_ctx, x, y) {
    return x.add(y);
  }
  static backward(_ctx, dz) {
    return [dz, dz]; // add distributes the upstream gradient unchanged
  }
}

class MultiplyGate extends Function {
  static forward(ctx, x, y) {
    ctx.saveForBackward(x, y);
    return x.mul(y);
  }
  static backward(ctx, dz) {
    const [x, y] = ctx.savedTensors;
    return [y.mul(dz), x.mul(dz)]; // mul switches: each input gets the other's value times dz
  }
}

class MaxGate extends Function {
  static forward(ctx, x, y) {
    ctx.saveForBackward(x, y);
    return tg.maximum(x, y);
  }
  static backward(ctx, dz) {
    const [x, y] = ctx.savedTensors;
    const xWins = x.ge(y);
    return [tg.where(xWins, dz, 0), tg.where(xWins, 0, dz)]; // max routes dz to the larger input
  }
}

class SigmoidGate extends Function {
  static forward(ctx, x) {
    const s = x.sigmoid();
    ctx.saveForBackward(s);
    return s;
  }
  static backward(ctx, dz) {
    const [s] = ctx.savedTensors;
    return s.mul(s.neg().add(1)).mul(dz); // σ'(x) = σ(x)(1 − σ(x))
  }
}

// ---- the graph object ----
class ComputationalGraph {
  constructor() {
    this.gates = [];
  }
  // A gate computing the value named `output` from the values named `inputs`.
  add(name, Gate, inputs, output) {
    this.gates.push({ name, Gate, inputs, output });
    return this;
  }
  // Gates in an order where every gate comes after the gates producing its inputs (Kahn's algorithm).
  sorted(inputNames) {
    const known = new Set(inputNames), order = [], pending = [...this.gates];
    while (pending.length) {
      const i = pending.findIndex((g) => g.inputs.every((n) => known.has(n)));
      if (i < 0) throw new Error(`ComputationalGraph: gates ${pending.map((g) => g.name).join(", ")} have inputs no gate produces (or a cycle)`);
      const [g] = pending.splice(i, 1);
      order.push(g);
      known.add(g.output);
    }
    return order;
  }
  // Runs every gate's forward, each with its own ctx, and returns the last gate's output.
  forward(inputs) {
    this.values = new Map(Object.entries(inputs));
    this.order = this.sorted(Object.keys(inputs));
    for (const g of this.order) {
      g.ctx = new FunctionCtx();
      this.values.set(g.output, g.Gate.forward(g.ctx, ...g.inputs.map((n) => this.values.get(n))));
    }
    return this.values.get(this.order.at(-1).output);
  }
  // Runs the gates' backward in reverse order from dL/dout = 1; gradients arriving at a value from
  // several gates add up. Records each gate's upstream, local and downstream gradients.
  backward() {
    const out = this.order.at(-1).output;
    this.grads = new Map([[out, tg.onesLike(this.values.get(out))]]);
    for (const g of [...this.order].reverse()) {
      const upstream = this.grads.get(g.output);
      const list = (r) => (Array.isArray(r) ? r : [r]);
      g.upstream = upstream;
      g.local = list(g.Gate.backward(g.ctx, tg.onesLike(upstream)));
      g.downstream = list(g.Gate.backward(g.ctx, upstream));
      g.inputs.forEach((n, i) => this.grads.set(n, this.grads.has(n) ? this.grads.get(n).add(g.downstream[i]) : g.downstream[i]));
    }
    return this.grads;
  }
  // The same gates on tg's tape (Gate.apply), then backward(): the gradient of every named value.
  tapeGrads(inputs) {
    const values = new Map(Object.entries(inputs).map(([n, v]) => [n, v.detach().requiresGrad_(true)]));
    for (const g of this.sorted(Object.keys(inputs))) values.set(g.output, g.Gate.apply(...g.inputs.map((n) => values.get(n))).retainGrad());
    values.get(this.order.at(-1).output).backward();
    return new Map([...values].map(([n, v]) => [n, v.grad]));
  }
}

const num = (t) => Number(t.item().toFixed(4));
const nums = (ts) => `[${ts.map(num).join(", ")}]`;
const scalars = (o) => Object.fromEntries(Object.entries(o).map(([n, v]) => [n, tg.tensor(v, { dtype: "float64" })]));

// Runs the graph by hand and on the tape; prints one line per gate; returns how many gradients agreed.
function show(title, graph, inputs) {
  const out = graph.forward(inputs);
  const grads = graph.backward();
  const tape = graph.tapeGrads(inputs);
  console.log(`${title}: f = ${num(out)}`);
  let agreed = 0, total = 0;
  for (const g of graph.order) {
    const tapeIn = g.inputs.map((n) => tape.get(n));
    const ok = g.downstream.every((d, i) => Math.abs(d.item() - tapeIn[i].item()) < 1e-12);
    agreed += ok ? g.inputs.length : 0;
    total += g.inputs.length;
    console.log(
      `gate ${g.name.padEnd(5)} (${g.inputs.join(", ")} -> ${g.output}): value ${num(graph.values.get(g.output))} | upstream ${num(g.upstream)} | ` +
        `local ${nums(g.local)} | grads ${nums(g.downstream)} | tape ${nums(tapeIn)} | ${ok ? "agree" : "DIFFER"}`,
    );
  }
  console.log(`inputs: ${Object.keys(inputs).map((n) => `d${n} = ${num(grads.get(n))}`).join(", ")}`);
  console.log(`${agreed} of ${total} gate gradients agree with tg's tape\n`);
  return agreed === total;
}

// f(x, y, z) = (x + y)·z at (-2, 5, -4).
const simple = new ComputationalGraph()
  .add("mul", MultiplyGate, ["q", "z"], "f")
  .add("add", AddGate, ["x", "y"], "q");
let allAgree = show("f(x, y, z) = (x + y)·z", simple, scalars({ x: -2, y: 5, z: -4 }));

// The sigmoid neuron f = σ(w0·x0 + w1·x1 + w2) at w = (2, -3, -3), x = (-1, -2).
const neuron = new ComputationalGraph()
  .add("mul0", MultiplyGate, ["w0", "x0"], "a")
  .add("mul1", MultiplyGate, ["w1", "x1"], "b")
  .add("add0", AddGate, ["a", "b"], "c")
  .add("add1", AddGate, ["c", "w2"], "d")
  .add("sig", SigmoidGate, ["d"], "f");
allAgree = show("sigmoid neuron σ(w0·x0 + w1·x1 + w2)", neuron, scalars({ w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 })) && allAgree;

// The gate patterns on f = 2·(x·y + max(z, w)) at x = 3, y = -4, z = 2, w = -1.
const patterns = new ComputationalGraph()
  .add("mul", MultiplyGate, ["x", "y"], "p")
  .add("max", MaxGate, ["z", "w"], "m")
  .add("add", AddGate, ["p", "m"], "s")
  .add("times", MultiplyGate, ["two", "s"], "f");
allAgree = show("f = 2·(x·y + max(z, w))", patterns, scalars({ x: 3, y: -4, z: 2, w: -1, two: 2 })) && allAgree;
const gate = (name) => patterns.order.find((g) => g.name === name);
for (const [name, what] of [["add", "add distributes"], ["max", "max routes"], ["mul", "mul switches"]]) {
  const g = gate(name);
  const ins = g.inputs.map((n) => `${n} = ${num(patterns.values.get(n))}`).join(", ");
  console.log(`${what}: upstream ${num(g.upstream)} -> ${nums(g.downstream)} (${ins})`);
}
if (!allAgree) process.exitCode = 1;
