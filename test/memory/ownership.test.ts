// The ownership rule (README, Memory): storage has an owner count; dispose() ends one handle and
// releases memory only when no other live tensor or recorded graph uses it; memory tensorgrad did
// not allocate is never released; data() is a standalone copy. One test per hole found in issue 9.
import { describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import * as tg from "../../lib/index.js";
import { released } from "./released.js";

// Sends `a` to a worker with its buffer transferred (detached here), as zero-copy hand-offs do.
function transfer(a: ArrayBufferView): Promise<void> {
  const w = new Worker("require('worker_threads').parentPort.on('message', () => process.exit(0))", { eval: true });
  return new Promise((resolve, reject) => {
    w.on("exit", () => resolve());
    w.on("error", reject);
    w.postMessage(a, [a.buffer as ArrayBuffer]);
  });
}

describe("data() is a standalone copy", () => {
  it("transferring data() of a small non-contiguous tensor leaves every other tensor intact", async () => {
    const weight = tg.tensor([[1, 2], [3, 4]]), bias = tg.tensor([5, 6]);
    const x = tg.tensor([[1, 2, 3], [4, 5, 6]]);
    const d = x.t().data();
    expect(Array.from(d)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(d.byteOffset).toBe(0);
    expect(d.buffer.byteLength).toBe(d.byteLength);
    await transfer(d);
    expect(d.length).toBe(0); // detached: it really was transferred
    expect(weight.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(bias.toArray()).toEqual([5, 6]);
    expect(x.sum().item()).toBe(21);
  });
  it("data() of a large contiguous tensor does not share its storage", () => {
    const x = tg.ones([1000]);
    const d = x.data();
    d[0] = 42;
    expect(x.sum().item()).toBe(1000);
  });
  // Before: structuredClone(t) gave a plain object whose storage carried the whole 16 KiB slab, other
  // tensors' values included (a newcomer found an unrelated tensor's [42, 43, 44] in it).
  it("structuredClone and postMessage of a tensor throw, naming toTransferable; its transferable form travels", () => {
    const secret = tg.tensor([42, 43, 44]), t = tg.tensor([[1, 2], [3, 4]]);
    expect(() => structuredClone(t)).toThrow(/TensorCannotBeCloned_sendTensorToTransferableAndRebuildWithTgFromTransferable/);
    const { port1 } = new MessageChannel();
    expect(() => port1.postMessage({ batch: [t] })).toThrow(/could not be cloned/);
    port1.close();
    const m = t.toTransferable();
    expect(m.buffer.byteLength).toBe(16);  // its own buffer: nothing of `secret` travels
    expect(tg.fromTransferable(structuredClone(m, { transfer: [m.buffer] })).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(secret.toArray()).toEqual([42, 43, 44]);
  });
});

describe("dispose() never touches memory tensorgrad did not allocate", () => {
  it("a tensor over a view into Node's shared Buffer pool", () => {
    const neighbour = Buffer.from("neighbour");
    const raw = Buffer.alloc(4096 + 64);
    const arr = new Float32Array(raw.buffer, raw.byteOffset, 1024);
    const t = new tg.Tensor(arr, [1024]);
    t.dispose();
    expect(() => t.sum()).toThrow(/disposed/);
    expect(arr.length).toBe(1024);
    expect(neighbour.toString()).toBe("neighbour");
    expect(Buffer.from("hello").toString()).toBe("hello");
  });
  it("a Parameter over a caller's large array", () => {
    const arr = new Float32Array(4096).fill(2);
    const p = new tg.nn.Parameter(new tg.Tensor(arr, [4096]));
    p.dispose();
    expect(arr[4095]).toBe(2);
  });
});

describe("new Tensor(array, shape, strides?, offset?) over a caller's array", () => {
  it("reads only what the array holds: a view beyond it, another kind of array or a transferred buffer is refused", () => {
    expect(() => new tg.Tensor(new Float32Array([1, 2, 3]), [2, 2])).toThrow(
      new RangeError("Tensor: shape [2, 2] with strides [2, 1] from offset 0 reads elements 0..3, but the Float32Array has 3"));
    expect(() => new tg.Tensor(new Float32Array(4), [4], [1], 1e6)).toThrow(/reads elements 1000000\.\.1000003, but the Float32Array has 4$/);
    expect(() => new tg.Tensor(new Float32Array(3), [3], [-1], 2)).toThrow(/^Tensor: strides must be 1 non-negative integer \(one per dim of shape \[3\]; as PyTorch, no negative strides\), got \[-1\]/);
    expect(() => new tg.Tensor(new Uint8Array(4) as never, [4])).toThrow(/^Tensor: storage must be a Float32Array, Float64Array or Int32Array, got a Uint8Array/);
    expect(() => new tg.Tensor(new Float32Array(4), [2, 2], [2])).toThrow(/^Tensor: strides must be 2 non-negative integers/);
    expect(() => new tg.Tensor(new Float32Array(4), [2, -2])).toThrow(/^Tensor: shape must be an array of non-negative integers/);
    expect(() => new tg.Tensor(new Float32Array(4), [2], [1], 0.5)).toThrow(/^Tensor: offset must be a non-negative integer/);
    const arr = new Float32Array([1, 2, 3]);
    structuredClone(arr, { transfer: [arr.buffer] });
    expect(() => new tg.Tensor(arr, [3])).toThrow(/has 0 \(an empty array, or one whose buffer was transferred\)$/);
  });
  it("takes any view inside the array: strided, offset, broadcast (stride 0), empty and 0-d", () => {
    expect(new tg.Tensor(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 2], [3, 1], 1).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(new tg.Tensor(new Int32Array([7]), [3], [0]).toArray()).toEqual([7, 7, 7]);
    expect(new tg.Tensor(new Float32Array(0), [0, 3]).shape).toEqual([0, 3]);
    expect(new tg.Tensor(new Float32Array([5]), []).item()).toBe(5);
  });
});

describe("dispose() of an alias ends only that handle", () => {
  const big = () => tg.arange(0, 1024, 1, { dtype: "float32" });
  const aliases: [string, (x: tg.Tensor) => tg.Tensor][] = [
    ["float() of float32", (x) => x.float()],
    ["to() of the same dtype", (x) => x.to("float32")],
    ["contiguous() of a contiguous tensor", (x) => x.contiguous()],
    ["contiguous(true) of a dense tensor", (x) => x.contiguous(true)],
    ["detach()", (x) => x.detach()],
    ["reshape()", (x) => x.reshape([32, 32])],
    ["view()", (x) => x.view([2, 512])],
    ["a slice", (x) => x.slice(0, 1, 3)],
  ];
  for (const [what, make] of aliases) {
    it(what, () => {
      const x = big();
      const y = make(x);
      expect(y).not.toBe(x);
      y.dispose();
      expect(() => y.sum()).toThrow(/disposed/);
      expect(x.sum().item()).toBe((1023 * 1024) / 2);
    });
  }
  it("the memory goes when the last handle is disposed", () => {
    const x = big(), y = x.reshape([32, 32]);
    const storage = x.storage;
    x.dispose();
    expect(released(storage)).toBe(false); // still owned by y
    y.dispose();
    expect(released(storage)).toBe(true); // now, not at the next GC
  });
  it("an alias of a tensor that requires grad carries the gradient back", () => {
    const w = tg.ones([600], { requiresGrad: true });
    w.float().mul(3).sum().backward();
    expect(w.grad!.sum().item()).toBe(1800);
  });
});

describe("backward never silently loses a path", () => {
  it("disposing an intermediate before backward still trains every parameter", () => {
    tg.manualSeed(1);
    const model = new tg.nn.Sequential(new tg.nn.Linear(8, 32), new tg.nn.ReLU(), new tg.nn.Linear(32, 1));
    const x = tg.randn([64, 8]), y = tg.randn([64, 1]);
    const pred = model.call(x);
    const loss = tg.nn.functional.mseLoss(pred, y);
    pred.dispose();
    loss.backward();
    for (const p of model.parameters()) {
      expect(p.grad).not.toBeNull();
      expect(p.grad!.abs().sum().item()).toBeGreaterThan(0);
    }
    // Disposal completed once backward had used it.
    expect(() => pred.sum()).toThrow(/disposed/);
  });
  it("the same gradients as without the dispose", () => {
    const run = (dispose: boolean) => {
      const w = tg.arange(0, 1024, 1, { dtype: "float32" }).div(1024).requiresGrad_();
      const h = w.tanh();
      const loss = h.mul(h).sum();
      if (dispose) h.dispose();
      loss.backward();
      return w.grad!.data();
    };
    expect(run(true)).toEqual(run(false));
  });
  it("backward of a disposed root throws, naming the cause", () => {
    const w = tg.ones([3], { requiresGrad: true });
    const loss = w.sum();
    loss.dispose();
    expect(() => loss.backward()).toThrow(/^backward: the tensor \(shape \[\], float32\) was disposed/);
  });
  it("a tensor no recorded node saved is released at dispose(); backward still reaches past it", () => {
    const w = tg.ones([1024], { requiresGrad: true });
    const h = w.mul(2);
    const storage = h.storage;
    const out = h.sum(); // sum's rule reads only shapes, so its node saves nothing
    h.dispose();
    expect(released(storage)).toBe(true);
    out.backward();
    expect(w.grad!.sum().item()).toBe(2048);
  });
  it("a tensor a node saved stays until that node has run its backward, then is released", () => {
    const w = tg.ones([1024], { requiresGrad: true });
    const h = w.mul(2);
    const storage = h.storage;
    const out = h.mul(h).sum(); // mul saves both operands: h twice
    expect(h.graphUses).toBe(2);
    h.dispose();
    expect(released(storage)).toBe(false); // pending
    out.backward();
    expect(h.graphUses).toBe(0);
    // Given back as mul's node ran: the gradient made after it (w's) may already have taken it.
    expect(w.grad!.storage === storage || released(storage)).toBe(true);
    expect(w.grad!.sum().item()).toBe(8 * 1024); // d(sum 4w²)/dw = 8w
  });
  it("backward with retainGraph keeps a saved tensor alive for the next backward", () => {
    const w = tg.ones([1024], { requiresGrad: true });
    const h = w.mul(2);
    const storage = h.storage;
    const out = h.mul(h).sum();
    h.dispose();
    out.backward({ retainGraph: true });
    expect(released(storage)).toBe(false);
    out.backward();
    expect(released(storage)).toBe(true);
    expect(w.grad!.sum().item()).toBe(16 * 1024);
  });
});
