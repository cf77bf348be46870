// The op registry (lib/ops/define.ts) is the one list of ops. This suite checks that everything derived
// from it agrees with it: every differentiable op passes gradCheck on its own sample; tg exports and
// Tensor methods are exactly the defined ops plus a fixed list of non-ops; the Tensor method types
// (lib/ops/methods.ts) and the README's op list are generated from it. After adding an op, regenerate
// both with:  UPDATE_OP_TABLES=1 npx vitest run test/ops/registry.test.ts
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";
import { OPS, type OpInfo } from "../../lib/ops/define.js";
import * as elementwise from "../../lib/ops/elementwise.js";
import * as reduce from "../../lib/ops/reduce.js";
import * as views from "../../lib/ops/views.js";
import * as indexing from "../../lib/ops/indexing.js";
import * as linalg from "../../lib/ops/linalg.js";
import * as softmax from "../../lib/ops/softmax.js";
import * as copy from "../../lib/ops/copy.js";
import * as moments from "../../lib/ops/moments.js";
import * as norm from "../../lib/ops/norm.js";
import * as logsumexp from "../../lib/ops/logsumexp.js";
import * as sort from "../../lib/ops/sort.js";
import * as cumsum from "../../lib/ops/cumsum.js";
import * as masking from "../../lib/ops/masking.js";
import * as inplace from "../../lib/ops/inplace.js";
import * as split from "../../lib/ops/split.js";
import * as logical from "../../lib/ops/logical.js";
import * as repeat from "../../lib/ops/repeat.js";
import * as nonzero from "../../lib/ops/nonzero.js";
import * as randomFill from "../../lib/ops/random-fill.js";

// The modules that define ops, by file name (the generated methods.ts imports them).
const MODULES: Record<string, Record<string, unknown>> = {
  elementwise, reduce, views, indexing, linalg, softmax, copy, moments, norm, logsumexp, sort, cumsum, masking, inplace, split, logical, repeat,
  nonzero, "random-fill": randomFill,
};

// tg exports that are not ops, by kind.
const NOT_OPS = new Set([
  "Tensor", "autograd", "nn", "optim",
  // creation and randomness
  "tensor", "zeros", "ones", "full", "zerosLike", "onesLike", "fullLike", "empty", "emptyLike", "arange", "linspace", "eye",
  "rand", "randn", "randint", "randperm", "randLike", "randnLike", "manualSeed",
  // autograd and runtime control
  "noGrad", "enableGrad", "isGradEnabled", "setGradEnabled", "gradCheck", "setPrintOptions", "getPrintOptions",
  "setNumThreads", "getNumThreads", "cpuIsa", "setCpuIsa", "memoryStats", "emptyCache",
  // model inspection, checkpoints, random generators and moving tensors between threads (copies; never on the tape)
  "summary", "Generator", "save", "load", "loadMetadata", "fromTransferable",
]);
// Tensor methods that are not ops: bookkeeping, read-out, serialisation, autograd.
const NOT_OP_METHODS = new Set([
  "constructor", "backward", "backwardAsync", "detach", "requiresGrad_", "retainGrad", "registerHook", "registerPostAccumulateGradHook",
  "dispose", "releaseGraphUse", "data", "item", "toArray", "tolist", "toString", "size", "numel", "nelement", "dim", "ndimension", "isContiguous", "toJSON", "toTransferable",
]);

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const update = process.env.UPDATE_OP_TABLES === "1";

// Writes (with UPDATE_OP_TABLES=1) or compares a generated text.
function generated(path: string, text: string, replaceIn?: (current: string) => string): void {
  const current = readFileSync(root(path), "utf8");
  const want = replaceIn ? replaceIn(current) : text;
  if (update && current !== want) writeFileSync(root(path), want);
  else expect(current, `${path} is stale: run UPDATE_OP_TABLES=1 npx vitest run test/ops/registry.test.ts`).toBe(want);
}

function moduleOf(op: OpInfo): string {
  const found = Object.entries(MODULES).find(([, m]) => m[op.name] === op.fn);
  if (!found) throw new Error(`op ${op.name} is not exported under its name by any of lib/ops/{${Object.keys(MODULES).join(",")}}.ts`);
  return found[0];
}

// The identifier a module is imported as in methods.ts: its file name in camelCase (random-fill → randomFill).
const ident = (m: string) => m.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export function methodsFile(): string {
  const methods = [...OPS.values()].filter((o) => o.method).sort((a, b) => a.name.localeCompare(b.name));
  const used = [...new Set(methods.map(moduleOf))].sort();
  return [
    "// Generated from the op definitions by test/ops/registry.test.ts (UPDATE_OP_TABLES=1 npx vitest run",
    "// test/ops/registry.test.ts); do not edit. The types of the methods define.ts attaches to Tensor.prototype.",
    'import type { MethodOf } from "./define.js";',
    ...used.map((m) => `import type * as ${ident(m)} from "./${m}.js";`),
    "",
    'declare module "../tensor.js" {',
    "  interface Tensor {",
    ...methods.map((o) => `    ${o.name}: MethodOf<typeof ${ident(moduleOf(o))}.${o.name}>;`),
    "  }",
    "}",
    "",
  ].join("\n");
}

function readmeList(): string {
  const ops = [...OPS.values()].sort((a, b) => a.name.localeCompare(b.name));
  const where = (o: OpInfo) => (o.exported && o.method ? "`tg` and method" : o.exported ? "`tg`" : "method");
  // In-place ops are recorded (lib/ops/write.ts) but not gradChecked here: a leaf cannot be written in place.
  const grad = (o: OpInfo) => (o.differentiable ? "" : o.name.endsWith("_") ? "; in place" : "; no gradient");
  return ops.map((o) => `- \`${o.name}\` (${where(o)}${grad(o)}): ${o.doc}`).join("\n");
}

// The float tensors inside a sample's arguments (top level or in arrays), in order.
function tensorsIn(args: unknown[]): tg.Tensor[] {
  return args.flatMap((a) => (a instanceof tg.Tensor ? [a] : Array.isArray(a) ? tensorsIn(a) : [])).filter((t) => t.dtype !== "int32");
}
// args with its float tensors replaced, in order, by xs.
function substitute(args: unknown[], xs: tg.Tensor[]): unknown[] {
  let k = 0;
  const walk = (a: unknown): unknown =>
    a instanceof tg.Tensor && a.dtype !== "int32" ? xs[k++] : Array.isArray(a) ? a.map(walk) : a;
  return args.map(walk);
}

const exportedFunctions = Object.entries(tg).filter(([, v]) => typeof v === "function").map(([n]) => n);
const tensorMethods = Object.getOwnPropertyNames(tg.Tensor.prototype).filter(
  (n) => typeof Object.getOwnPropertyDescriptor(tg.Tensor.prototype, n)!.value === "function",
);

describe("op registry", () => {
  it("finds the ops (sanity)", () => {
    expect(OPS.get("matmul")?.method).toBe(true);
    expect(OPS.size).toBeGreaterThan(60);
  });
  it("tg exports exactly the ops defined for tg, plus the listed non-ops", () => {
    const expected = [...[...OPS.values()].filter((o) => o.exported).map((o) => o.name), ...[...NOT_OPS].filter((n) => typeof (tg as Record<string, unknown>)[n] === "function")];
    expect(exportedFunctions.sort()).toEqual([...new Set(expected)].sort());
    for (const o of OPS.values()) if (o.exported) expect((tg as Record<string, unknown>)[o.name], o.name).toBe(o.fn);
  });
  it("Tensor methods are exactly the ops defined with a method, plus the listed non-ops", () => {
    const expected = [...[...OPS.values()].filter((o) => o.method).map((o) => o.name), ...NOT_OP_METHODS];
    expect(tensorMethods.sort()).toEqual(expected.sort());
  });
  it("lib/ops/methods.ts (the method types) is generated from the definitions", () => {
    generated("lib/ops/methods.ts", methodsFile());
  });
  it("the README's op list is generated from the definitions", () => {
    const begin = "<!-- ops:begin (generated by test/ops/registry.test.ts) -->", end = "<!-- ops:end -->";
    generated("README.md", "", (current) => {
      const i = current.indexOf(begin), j = current.indexOf(end);
      expect(i >= 0 && j > i, "README.md has the op-list markers").toBe(true);
      return `${current.slice(0, i + begin.length)}\n${readmeList()}\n${current.slice(j)}`;
    });
  });
  it("every differentiable op has a sample; non-differentiable ops never record a backward", () => {
    const a = tg.tensor([1, 2, 3], { requiresGrad: true });
    for (const o of OPS.values()) {
      if (o.differentiable) expect(o.sample, `${o.name} has no sample for gradCheck`).toBeTypeOf("function");
    }
    for (const out of [a.eq(2), a.gt(a), a.argmax(), a.argmin(0), a.int()]) {
      expect(out.requiresGrad).toBe(false);
      expect(out.gradFn).toBeNull();
    }
  });
  it.each([...OPS.values()].filter((o) => o.differentiable).map((o) => [o.name, o] as const))("%s passes gradCheck on its sample", (_n, o) => {
    const args = o.sample!();
    const inputs = tensorsIn(args);
    expect(inputs.length, `${o.name}'s sample has no float tensor`).toBeGreaterThan(0);
    // Ops returning [values, indices] (sort, topk) are checked through their values.
    const first = (r: unknown) => (Array.isArray(r) ? r[0] : r) as tg.Tensor;
    expect(tg.gradCheck((...xs) => first(o.fn(...substitute(args, xs))), inputs, o.check)).toBe(true);
  });
});
