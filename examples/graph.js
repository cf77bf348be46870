// Pictures of the computation graph, as in the lecture: the graph autograd records for
// f(x, y, z) = (x + y)·z, and for one training step of LeNet-5 (forward pass and loss, drawn
// before backward() frees it; a small MLP where this build has no convolutions). Writes
// <output folder>/graph-f.svg and graph-lenet-step.svg (or graph-mlp-step.svg), default folder
// out/, and prints the first graph as DOT and as Mermaid.
//   node examples/graph.js [output folder]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tg from "../dist/index.js";

const outDir = process.argv[2] ?? "out";
mkdirSync(outDir, { recursive: true });

async function save(name, dot) {
  const path = join(outDir, name);
  writeFileSync(path, await tg.viz.renderSvg(dot));
  console.log(`wrote ${path}`);
}

// f(x, y, z) = (x + y)·z with x = -2, y = 5, z = -4 (the lecture's numbers).
const x = tg.tensor(-2, { requiresGrad: true }), y = tg.tensor(5, { requiresGrad: true }), z = tg.tensor(-4, { requiresGrad: true });
const f = x.add(y).mul(z);
const dot = tg.viz.graph(f, { params: { x, y, z } });
console.log(dot);
console.log(tg.viz.mermaid(f, { params: { x, y, z } }));
await save("graph-f.svg", dot);
f.backward();
console.log(`f = ${f.item()}, df/dx = ${x.grad.item()}, df/dy = ${y.grad.item()}, df/dz = ${z.grad.item()}\n`);

// One training step: LeNet-5 on 4 images of 28×28 (examples/lenet5.js), or a 2-16-3 MLP on 8 points.
tg.manualSeed(0);
const lenetFile = new URL("./lenet5.js", import.meta.url);
const lenet = typeof tg.nn.Conv2d === "function" && existsSync(lenetFile);
const model = lenet
  ? (await import(lenetFile)).lenet5(tg)
  : new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.Tanh(), new tg.nn.Linear(16, 3));
const input = lenet ? tg.randn([4, 1, 28, 28]) : tg.randn([8, 2]);
const target = tg.randint(0, lenet ? 10 : 3, [input.shape[0]]);
const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
const loss = tg.nn.functional.crossEntropy(model.forward(input), target);
await save(lenet ? "graph-lenet-step.svg" : "graph-mlp-step.svg", tg.viz.graph(loss, { params: [...model.namedParameters(), ["input", input]] }));
opt.zeroGrad();
loss.backward();
opt.step();
console.log(`${lenet ? "LeNet-5" : "MLP"} step: loss ${loss.item().toFixed(4)}`);
