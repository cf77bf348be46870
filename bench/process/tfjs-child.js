// TF.js side of bench/process/rows.js: 200 steps of the MLP 784-512-256-10 on the wasm backend
// (peak RSS comes from /usr/bin/time). Prints one JSON line.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { tfjsTrainer } from "../workloads/tfjs-trainer.js";
import { MLP } from "../workloads/mlp.js";

console.warn = () => {};
const tf = await import("@tensorflow/tfjs");
const wasm = await import("@tensorflow/tfjs-backend-wasm");
wasm.setWasmPaths(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + "/");
if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");
const { step } = tfjsTrainer(tf, MLP);
for (let i = 0; i < 200; ++i) step();
console.log(JSON.stringify({ steps: 200 }));
