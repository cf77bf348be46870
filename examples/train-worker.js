// Training off the event loop: a worker thread trains an MLP on Fashion-MNIST while this thread keeps
// serving HTTP and measures how late its timers fire. Progress streams here as messages; the trained
// weights come back as tensors and are saved with tg.save.
//   node examples/train-worker.js [--samples 60000] [--epochs 1]
// Needs Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist).
import * as tg from "../dist/index.js";
import { Agent, createServer, get } from "node:http";
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";

const { values: args } = parseArgs({ options: { samples: { type: "string", default: "60000" }, epochs: { type: "string", default: "1" }, out: { type: "string" } } });
const root = "/usr/share/datasets/fashion-mnist";

// 1. A server on this thread, and a client that calls it every 20 ms, timing each answer. The client keeps
// one connection, in use every 20 ms, so the server never closes it for idling while a request is on its
// way; a request that fails anyway is counted, not thrown.
let served = 0, failed = 0;
const server = createServer((_req, res) => {
  served++;
  res.end("ok");
}).listen(0);
await new Promise((r) => server.once("listening", r));
const port = server.address().port;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const httpMs = [], inFlight = new Set();
const client = setInterval(() => {
  const t0 = performance.now();
  const answered = new Promise((done) => {
    get(`http://127.0.0.1:${port}/`, { agent }, (res) => {
      res.resume().on("end", () => httpMs.push(performance.now() - t0));
      res.on("close", done);
    }).on("error", () => (failed++, done()));
  });
  inFlight.add(answered);
  answered.then(() => inFlight.delete(answered));
}, 20);

// 2. A 5 ms timer: how late each tick fires is the event loop's latency. One second of it before
// training starts gives the machine's own baseline (a loaded machine delays timers by itself).
const PERIOD = 5;
let lateMs = [], expected = performance.now() + PERIOD;
const ticker = setInterval(() => {
  const now = performance.now();
  lateMs.push(Math.max(0, now - expected));
  expected = now + PERIOD;
}, PERIOD);
await new Promise((r) => setTimeout(r, 1000));
const baseline = lateMs;
lateMs = [];
served = 0;  // count and time only the requests answered during training
httpMs.length = 0;

// 3. Training in the worker; progress arrives as messages.
const t0 = performance.now();
const { accuracy, state } = await tg.worker.run(new URL("./train-worker-task.js", import.meta.url), {
  // Leave one core to this thread: the worker's kernels use the rest.
  workerData: { root, samples: Number(args.samples), epochs: Number(args.epochs), batchSize: 64, threads: Math.max(1, availableParallelism() - 1) },
  onProgress: (p) => console.log(`epoch ${p.epoch} batch ${String(p.batch).padStart(4)}/${p.batches}  loss ${p.loss.toFixed(4)}  batch accuracy ${(100 * p.acc).toFixed(1)}%`),
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(ticker);
clearInterval(client);
// Closing drops connections whose request the server has not read yet: let the requests sent finish first.
await Promise.all(inFlight);
agent.destroy();
server.close();

const pct = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))] ?? NaN;
console.log(`trained in ${seconds.toFixed(1)} s; test accuracy ${(100 * accuracy).toFixed(2)}%`);
const lateness = (a) => `median ${pct(a, 0.5).toFixed(2)} ms, p99 ${pct(a, 0.99).toFixed(2)} ms, max ${Math.max(...a).toFixed(2)} ms`;
console.log(`main thread: ${lateMs.length} timer ticks during training, lateness ${lateness(lateMs)}`);
console.log(`main thread: ${baseline.length} timer ticks before training (baseline), lateness ${lateness(baseline)}`);
console.log(`main thread: served ${served} HTTP requests during training, answer time median ${pct(httpMs, 0.5).toFixed(2)} ms, max ${Math.max(...httpMs).toFixed(2)} ms${failed ? `; ${failed} requests failed` : ""}`);
if (args.out) {
  tg.save(state, args.out);
  console.log(`weights (${Object.keys(state).join(", ")}) saved to ${args.out}`);
}
