// TF.js peers (cpu and wasm backends from devDependencies), each run in a child process.
import { createRequire } from "node:module";
import { join } from "node:path";
import { BENCH_DIR, runJson } from "../lib/native-tool.js";

const require = createRequire(import.meta.url);
const PACKAGE = { cpu: "@tensorflow/tfjs", wasm: "@tensorflow/tfjs-backend-wasm" };

export function tfjsPeer(backend) {
  try {
    require.resolve(PACKAGE[backend]);
  } catch {
    return { skipped: `${PACKAGE[backend]} not installed (npm install --include=dev)` };
  }
  const r = runJson(process.execPath, [join(BENCH_DIR, "peers/tfjs.js"), backend]);
  if (r.skipped) return r;
  return { info: `TF.js ${r.info.version} ${backend} backend, ${r.info.threads} thread`, notes: r.notes, results: r.results };
}
