// tg.worker.run / task: results, progress and errors between threads, tensors moved as transferables,
// abort; toTransferable / fromTransferable and JSON.stringify of tensors. Workers run dist/.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";
import { Tensor } from "../../lib/tensor.js";

if (!existsSync(fileURLToPath(new URL("../../dist/index.js", import.meta.url))))
  throw new Error("worker tests run the compiled library in worker threads: dist/ is missing; run `npm run build:ts`");
const task = (f: string) => new URL(`./fixtures/${f}`, import.meta.url);

describe("tensors between threads and in JSON", () => {
  it("toTransferable copies into a buffer of its own; fromTransferable rebuilds the tensor", () => {
    const small = tg.arange(6, undefined, undefined, { dtype: "float64" }).reshape(2, 3).transpose(0, 1);
    const neighbour = tg.full([4], 7);  // likely in the same 16 KiB slab as `small`
    const tr = small.toTransferable();
    expect([tr.dtype, tr.shape, tr.buffer.byteLength]).toEqual(["float64", [3, 2], 48]);
    expect(tr.buffer).not.toBe(small.storage.buffer);
    // Moving the buffer detaches only the copy.
    structuredClone(tr, { transfer: [tr.buffer] });
    expect(tr.buffer.byteLength).toBe(0);
    expect(small.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(neighbour.toArray()).toEqual([7, 7, 7, 7]);
    const back = tg.fromTransferable(tg.tensor([1, 2, 3, 4], { dtype: "int32" }).reshape(2, 2).toTransferable());
    expect([back.dtype, back.toArray()]).toEqual(["int32", [[1, 2], [3, 4]]]);
    expect(() => tg.fromTransferable({ dtype: "float32", shape: [3], buffer: new ArrayBuffer(8) })).toThrow(/needs 12 bytes, the buffer has 8/);
    expect(() => tg.fromTransferable({ dtype: "int8" as never, shape: [1], buffer: new ArrayBuffer(1) })).toThrow(/unknown dtype int8/);
  });
  it("JSON.stringify(tensor) gives {dtype, shape, data}", () => {
    expect(JSON.stringify(tg.tensor([[1.5, 2], [3, 4]]))).toBe('{"dtype":"float32","shape":[2,2],"data":[1.5,2,3,4]}');
    expect(JSON.parse(JSON.stringify({ w: tg.tensor(3, { dtype: "int32" }) }))).toEqual({ w: { dtype: "int32", shape: [], data: [3] } });
  });
});

describe("tg.worker", () => {
  it("runs a task: tensors in and out, result resolved", async () => {
    const r = await tg.worker.run<{ doubled: Tensor; sum: number; dtype: string }>(task("echo-task.mjs"), { workerData: { x: tg.tensor([1, 2, 3]), steps: 1 } });
    expect(r.doubled).toBeInstanceOf(Tensor);
    expect(r.doubled.toArray()).toEqual([2, 4, 6]);
    expect([r.sum, r.dtype]).toEqual([6, "float32"]);
  });
  it("streams progress messages in order before the result", async () => {
    const seen: { step: number; t: Tensor }[] = [];
    const r = await tg.worker.run(task("progress-task.mjs"), { workerData: { steps: 5 }, onProgress: (p: { step: number; t: Tensor }) => seen.push(p) });
    expect(r).toBe("done");
    expect(seen.map((p) => p.step)).toEqual([0, 1, 2, 3, 4]);
    expect(seen[3].t.toArray()).toEqual([3, 3, 3]);
  });
  it("rejects with the task's own error, and on abort", async () => {
    await expect(tg.worker.run(task("echo-task.mjs"), { workerData: { x: tg.ones([1]), steps: 3, fail: true } })).rejects.toThrow(new RangeError("asked to fail after 3 steps"));
    const ac = new AbortController();
    const p = tg.worker.run(task("echo-task.mjs"), { workerData: { x: tg.ones([1]), hang: true }, signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop")), 200);
    await expect(p).rejects.toThrow("stop");
    await expect(tg.worker.run(new URL("./fixtures/no-task.mjs", import.meta.url))).rejects.toThrow();
    expect(() => tg.worker.task(() => 1)).toThrow(/call it in a worker file/);
    expect(() => tg.worker.run(task("echo-task.mjs"), { data: 1 } as object)).toThrow(/unknown option "data"/);
  });
});
