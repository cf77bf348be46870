// The lecture's computational graph, literally: gates written as tg.autograd.Function subclasses (forward
// keeps what backward needs; backward turns the upstream gradient into the inputs' gradients), and a
// ComputationalGraph that runs the gates in topological order forward and in reverse order backward.
// For each gate it prints the local and upstream gradients, then checks the result against tg's own tape
// (the same gates through Gate.apply and backward()). Run: node examples/gates.js
import * as tg from "../dist/index.js";

const { Function, FunctionCtx } = tg.autograd;

class AddGate extends Function {
  static forward(ctx, x, y) { return x.add(y); }
  static backward(ctx, dz) { return [dz, dz]; }                       // add distributes
}
class MultiplyGate extends Function {
  static forward(ctx, x, y) { ctx.saveForBackward(x, y); return x.mul(y); }
  static backward(ctx, dz) { const [x, y] = ctx.savedTensors; return [y.mul(dz), x.mul(dz)]; }  // mul switches
}
class MaxGate extends Function {
  static forward(ctx, x, y) { ctx.saveForBackward(x, y); return tg.maximum(x, y); }
  static backward(ctx, dz) {                                          // max routes
    const [x, y] = ctx.savedTensors, xWins = x.ge(y).double();
    return [dz.mul(xWins), dz.mul(xWins.neg().add(1))];
  }
}
class SigmoidGate extends Function {
  static forward(ctx, x) { const s = x.sigmoid(); ctx.saveForBackward(s); return s; }
  static backward(ctx, dz) { const [s] = ctx.savedTensors; return dz.mul(s).mul(s.neg().add(1)); }
}

// Gates named by their output, reading named values; sorted so each runs after the gates it reads.
class ComputationalGraph {
  constructor(gates) {
    const made = new Map(gates.map((g) => [g.out, g]));
    const order = [], done = new Set();
    const visit = (g) => {
      if (done.has(g)) return;
      done.add(g);
      for (const name of g.in) if (made.has(name)) visit(made.get(name));
      order.push(g);
    };
    gates.forEach(visit);
    this.gates = order;
  }

  forward(inputs) {
    this.values = new Map(Object.entries(inputs));
    for (const g of this.gates) {
      g.ctx = new FunctionCtx(g.in.map(() => true));
      this.values.set(g.out, tg.noGrad(() => g.fn.forward(g.ctx, ...g.in.map((n) => this.values.get(n)))));
    }
    return this.values.get(this.gates.at(-1).out);
  }

  // Reverse order; prints each gate's local gradients (its backward at upstream 1) and what it passes on.
  backward() {
    const grads = new Map([[this.gates.at(-1).out, tg.tensor(1, { dtype: "float64" })]]);
    for (const g of [...this.gates].reverse()) {
      const up = grads.get(g.out);
      const local = [g.fn.backward(g.ctx, tg.onesLike(up))].flat();
      const down = [g.fn.backward(g.ctx, up)].flat();
      console.log(`  ${g.fn.name.padEnd(12)} ${g.out} = ${g.fn.name.replace("Gate", "").toLowerCase()}(${g.in.join(", ")}) = ${fmt(this.values.get(g.out))}` +
        `   local ${list(g.in, local)}   upstream ${fmt(up)}   → ${list(g.in, down)}`);
      g.in.forEach((n, i) => grads.set(n, grads.has(n) ? grads.get(n).add(down[i]) : down[i]));
    }
    return grads;
  }
}

const fmt = (t) => String(Number(t.item().toFixed(4)));
const list = (names, ts) => names.map((n, i) => `d/d${n} ${fmt(ts[i])}`).join(", ");
const scalar = (v) => tg.tensor(v, { dtype: "float64", requiresGrad: true });

// Runs one example through the graph and through tg's tape, and says whether the gradients agree.
function example(title, gates, inputs) {
  console.log(`\n${title}`);
  const graph = new ComputationalGraph(gates);
  const out = graph.forward(inputs);
  const grads = graph.backward();
  const leaves = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, scalar(v.item())]));
  const values = new Map(Object.entries(leaves));
  for (const g of graph.gates) values.set(g.out, g.fn.apply(...g.in.map((n) => values.get(n))));
  values.get(graph.gates.at(-1).out).backward();
  const names = Object.keys(inputs);
  const agree = names.every((n) => Math.abs(grads.get(n).item() - leaves[n].grad.item()) < 1e-12);
  console.log(`  output ${fmt(out)}; graph: ${list(names, names.map((n) => grads.get(n)))}`);
  console.log(`  tape:  ${list(names, names.map((n) => leaves[n].grad))}  → ${agree ? "agree" : "DISAGREE"}`);
  return agree;
}

const v = (x) => tg.tensor(x, { dtype: "float64" });
const ok = [
  example("f(x, y, z) = (x + y)·z: add distributes, mul switches", [
    { fn: AddGate, in: ["x", "y"], out: "q" },
    { fn: MultiplyGate, in: ["q", "z"], out: "f" },
  ], { x: v(-2), y: v(5), z: v(-4) }),
  example("f(x, y, z, w) = 2·(x·y + max(z, w)): max routes the gradient to the larger input", [
    { fn: MultiplyGate, in: ["x", "y"], out: "a" },
    { fn: MaxGate, in: ["z", "w"], out: "b" },
    { fn: AddGate, in: ["a", "b"], out: "c" },
    { fn: MultiplyGate, in: ["c", "two"], out: "f" },
  ], { x: v(3), y: v(-4), z: v(2), w: v(-1), two: v(2) }),
  example("sigmoid neuron f = σ(w0·x0 + w1·x1 + w2)", [
    { fn: MultiplyGate, in: ["w0", "x0"], out: "p0" },
    { fn: MultiplyGate, in: ["w1", "x1"], out: "p1" },
    { fn: AddGate, in: ["p0", "p1"], out: "s" },
    { fn: AddGate, in: ["s", "w2"], out: "n" },
    { fn: SigmoidGate, in: ["n"], out: "f" },
  ], { w0: v(2), x0: v(-1), w1: v(-3), x1: v(-2), w2: v(-3) }),
];
console.log(ok.every(Boolean) ? "\nall gradients agree with tg's tape" : "\nSOME GRADIENTS DISAGREE");
process.exitCode = ok.every(Boolean) ? 0 : 1;
