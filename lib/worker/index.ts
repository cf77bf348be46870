// tg.worker: training off the main thread. The main thread calls `run(file, {workerData, onProgress})`;
// the worker file wraps its work in `task(async (data, progress) => result)`. Progress messages and
// the result may hold tensors anywhere (moved as transferables). The main thread's event loop stays
// free: the worker has its own copy of the addon (own RNG and thread pool).
import { isMainThread, parentPort, Worker, workerData as rawWorkerData, type ResourceLimits } from "node:worker_threads";
import { options } from "../options.js";
import { decode, encode } from "./messages.js";
import { refuseSurplus } from "../arity.js";

type Message = { kind: "progress"; value: unknown } | { kind: "result"; value: unknown } | { kind: "error"; error: Error };

export interface RunOptions<P> {
  /** Input for the task (structured-cloned; tensors anywhere in it are transferred as copies). */
  workerData?: unknown;
  /** Called on the main thread with each progress(value) the task sends, in order. */
  onProgress?: (value: P) => void;
  /** Aborting terminates the worker and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Passed to `new Worker` (heap limits for the worker's JS; tensor memory is outside them). */
  resourceLimits?: ResourceLimits;
}

/**
 * Runs a task file in a worker thread and resolves with what its `task()` function returns
 * (no PyTorch counterpart; the pattern torch.multiprocessing serves). The file (path or file: URL,
 * ES module or CommonJS) must call `tg.worker.task(fn)`.
 * @throws (rejects with) the task's Error (same class for the standard ones, message and stack); Error when the
 *   worker exits without a result; the abort reason when `signal` aborts.
 */
export function run<R = unknown, P = unknown>(file: string | URL, opts: RunOptions<P> = {}): Promise<R> {
  refuseSurplus(run, arguments.length, opts);
  const o = options("worker.run", opts, ["workerData", "onProgress", "signal", "resourceLimits"]);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new TypeError("worker.run: onProgress must be a function");
  const transfer: ArrayBuffer[] = [];
  const data = encode(o.workerData, transfer, "worker.run");
  return new Promise<R>((resolve, reject) => {
    if (o.signal?.aborted) return reject(o.signal.reason);
    const w = new Worker(file, { workerData: data, transferList: transfer, resourceLimits: o.resourceLimits });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = () => settle(() => {
      void w.terminate();
      reject(o.signal!.reason);
    });
    o.signal?.addEventListener("abort", onAbort);
    w.on("message", (m: Message) => {
      if (m.kind === "progress") o.onProgress?.(decode(m.value) as P);
      else if (m.kind === "result") settle(() => resolve(decode(m.value) as R));
      else settle(() => reject(m.error));
    });
    w.on("error", (e) => settle(() => reject(e)));
    w.on("exit", (code) => settle(() => reject(new Error(`worker.run: ${String(file)} exited with code ${code} before its task() returned; does it call tg.worker.task(fn)?`))));
  });
}

/**
 * The worker side: runs `fn(workerData, progress)` and sends its result (or Error) to `run()`.
 * `progress(value)` sends a message to the main thread's onProgress at once.
 * @throws Error when called on the main thread.
 */
export function task<D = any, R = unknown>(fn: (data: D, progress: (value: unknown) => void) => R | Promise<R>): void {
  refuseSurplus(task, arguments.length);
  if (isMainThread || !parentPort) throw new Error("worker.task: call it in a worker file started with tg.worker.run(file)");
  const port = parentPort;
  const post = (kind: "progress" | "result", value: unknown) => {
    const transfer: ArrayBuffer[] = [];
    port.postMessage({ kind, value: encode(value, transfer, "worker.task") }, transfer);
  };
  Promise.resolve()
    .then(() => fn(decode(rawWorkerData) as D, (v) => post("progress", v)))
    .then(
      (r) => post("result", r),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        // Structured clone keeps the standard Error classes, message and stack; an error with
        // uncloneable extra fields is sent as a plain copy.
        try {
          port.postMessage({ kind: "error", error: err });
        } catch {
          port.postMessage({ kind: "error", error: Object.assign(new Error(err.message), { name: err.name, stack: err.stack }) });
        }
      },
    );
}
