// Every member of Tensor.prototype, used on a disposed tensor: either a metadata read that keeps
// working, or an Error naming the member the user called. The members are enumerated, so a method
// added later is covered without editing this file.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

// What keeps working after dispose() (as TF.js keeps .shape readable), with what it returns for a
// disposed 2×2 float32 leaf; releaseGraphUse is the tape's bookkeeping, never called on a disposed tensor.
const METADATA: Record<string | symbol, (t: tg.Tensor) => void> = {
  constructor: () => {},
  ndim: (t) => expect(t.ndim).toBe(2),
  numel: (t) => expect(t.numel()).toBe(4),
  nelement: (t) => expect(t.nelement()).toBe(4),
  dim: (t) => expect(t.dim()).toBe(2),
  ndimension: (t) => expect(t.ndimension()).toBe(2),
  size: (t) => expect([t.size(), t.size(-1)]).toEqual([[2, 2], 2]),
  isContiguous: (t) => expect(t.isContiguous()).toBe(true),
  device: (t) => expect(t.device).toBe("cpu"),
  requiresGrad: (t) => expect(t.requiresGrad).toBe(false),
  gradFn: (t) => expect(t.gradFn).toBeNull(),
  grad: (t) => expect(t.grad).toBeNull(),
  isLeaf: (t) => expect(t.isLeaf).toBe(true),
  isDisposed: (t) => expect(t.isDisposed).toBe(true),
  dispose: (t) => expect(t.dispose()).toBeUndefined(),
  toString: (t) => expect(t.toString()).toBe("tensor(<disposed>)"),
  [INSPECT]: (t) => expect((t as unknown as Record<symbol, () => string>)[INSPECT]()).toContain("<disposed>"),
  releaseGraphUse: () => {},
};

const disposed = () => {
  const t = tg.tensor([[1, 2], [3, 4]]);
  t.dispose();
  return t;
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Every member name on the prototype chain up to Object.prototype, with its nearest descriptor.
function members(): [string | symbol, PropertyDescriptor][] {
  const out = new Map<string | symbol, PropertyDescriptor>();
  for (let p = tg.Tensor.prototype; p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const key of Reflect.ownKeys(p)) if (!out.has(key)) out.set(key, Object.getOwnPropertyDescriptor(p, key)!);
  return [...out];
}

// A snake_case hint (lib/snake-case-hints.ts), recognised by what it does on a live tensor: its getter
// throws a TypeError naming the camelCase spelling.
function hintOf(key: string | symbol): string | null {
  if (typeof key !== "string" || !key.includes("_")) return null;
  try {
    void (tg.tensor([1]) as unknown as Record<string, unknown>)[key];
  } catch (e) {
    if (e instanceof TypeError && /spells PyTorch's names in camelCase/.test(e.message)) return e.message;
  }
  return null;
}

// Uses member `key` of t: reads a getter, or calls a method with no arguments (the disposed check comes
// before any argument check); an async method's rejection counts as its throw.
async function use(t: tg.Tensor, key: string | symbol, desc: PropertyDescriptor): Promise<unknown> {
  const r = desc.get ? desc.get.call(t) : (desc.value as () => unknown).call(t);
  return r instanceof Promise ? await r : r;
}

describe("a disposed tensor", () => {
  it("every method and getter either is a metadata read or throws an Error naming it and saying the tensor was disposed", async () => {
    let refused = 0;
    const wrong: string[] = [];
    for (const [key, desc] of members()) {
      const name = String(key);
      if (key in METADATA) {
        try {
          METADATA[key as string](disposed());
        } catch (e) {
          wrong.push(`${name} (metadata) → ${(e as Error).message}`);
        }
        continue;
      }
      if (hintOf(key)) continue;  // checked below
      const msg = new RegExp(`^${escape(name)}: the tensor \\(shape \\[2, 2\\], float32\\) was disposed; use it before calling dispose\\(\\)$`);
      let err: unknown = undefined;
      try {
        await use(disposed(), key, desc);
      } catch (e) {
        err = e;
      }
      if (!(err instanceof Error) || !msg.test(err.message)) wrong.push(`${name} → ${err instanceof Error ? err.message : `no error (${String(err)})`}`);
      refused++;
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(100);
  });

  it("the snake_case hints still name the camelCase spelling", () => {
    const t = disposed() as unknown as Record<string, unknown>;
    let hints = 0;
    for (const [key] of members()) {
      const hint = hintOf(key);
      if (hint === null) continue;
      expect(() => t[key as string]).toThrow(hint);
      hints++;
    }
    expect(hints).toBeGreaterThan(10);
    expect(() => t.to_array).toThrow("x.to_array: tensorgrad spells PyTorch's names in camelCase; use x.toArray()");
  });

  it("JSON.stringify, spreading into an array and String() report as the methods do", () => {
    expect(() => JSON.stringify({ w: disposed() })).toThrow(/^toJSON: the tensor \(shape \[2, 2\], float32\) was disposed/);
    expect(() => disposed().item()).toThrow(/^item: the tensor \(shape \[2, 2\], float32\) was disposed/);
    expect(String(disposed())).toBe("tensor(<disposed>)");
  });

  it("isDisposed is true from dispose() on, also while a recorded graph still holds the storage", () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const y = x.exp();  // exp saves its output: disposing y only marks it until backward has run
    expect(y.isDisposed).toBe(false);
    const loss = y.sum();
    y.dispose();
    expect(y.isDisposed).toBe(true);
    loss.backward();
    expect(y.isDisposed).toBe(true);
    expect(() => y.sum()).toThrow(/^sum: /);
  });

  it("a view or detached handle over the same storage stays usable when one handle is disposed", () => {
    const t = tg.tensor([[1, 2], [3, 4]]);
    const v = t.T, d = t.detach();
    t.dispose();
    expect(v.isDisposed).toBe(false);
    expect(v.toArray()).toEqual([[1, 3], [2, 4]]);
    expect(d.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(() => t.T).toThrow(/^T: the tensor .* was disposed/);
  });
});
