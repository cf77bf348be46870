// TF.js peer, run as its own process so its memory and GC stay out of tensorgrad's timings.
// Usage: node bench/peers/tfjs.js cpu|wasm  → prints one JSON object: {info, results: {rowKey: seconds}}.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { timeIt } from "../lib/timing.js";
import { GEMM_SHAPES, gemmFlops, tfjsSgemm, TFJS_CPU_MAX_FLOPS } from "../workloads/sgemm.js";
import { tfjsTinyAdd } from "../workloads/tiny-add.js";
import { tfjsSmallMlp } from "../workloads/mlp-small.js";
import { tfjsMlp } from "../workloads/mlp.js";
import { tfjsLenet } from "../workloads/lenet.js";

const backend = process.argv[2];
// tfjs greets Node users (at import and again later); keep the output to the results line.
console.warn = () => {};
const tf = await import("@tensorflow/tfjs");
if (backend === "wasm") {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const dir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  wasm.setWasmPaths(dir + "/");
}
if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
await tf.ready();

const results = {};
const notes = [];
for (const s of GEMM_SHAPES) {
  if (s.out || (backend === "cpu" && gemmFlops(s) > TFJS_CPU_MAX_FLOPS)) continue;  // TF.js has no out=
  results[`sgemm/${s.key}@1`] = tfjsSgemm(tf, timeIt, s);
}
if (backend === "cpu") notes.push("tfjs-cpu: sgemm above n=512 skipped (≈1 GFLOP/s: seconds per call)");
results["add4"] = tfjsTinyAdd(tf, timeIt);
results["mlp-small"] = tfjsSmallMlp(tf, timeIt);
results["mlp@1"] = tfjsMlp(tf, timeIt);
try {
  results["lenet@1"] = tfjsLenet(tf, timeIt);
} catch (e) {
  notes.push(`tfjs-${backend} cannot train LeNet-5: ${String(e.message).split("\n")[0]}`);
}

const threads = backend === "wasm" ? (await import("@tensorflow/tfjs-backend-wasm")).getThreadsCount() : 1;
console.log(JSON.stringify({ info: { version: tf.version.tfjs, backend, threads }, notes, results }));
