// Loads the addon and gives its entries typed signatures. The addon reads operand layouts from
// `params` (see native/binding.cc); setLayout() in shape.ts fills it.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export type Storage = Float32Array | Float64Array | Int32Array;
type Maybe<T> = T | null;

export interface Binding {
  params: Float64Array;
  unaryOps: string[];
  binaryOps: string[];
  compareOps: string[];
  maxDims: number;
  alloc(dtype: number, n: number, zero?: boolean): Storage;
  release(a: Storage): void;
  memoryStats(out: Float64Array): void;
  emptyCache(): void;
  unary(op: number, x: Storage, out: Storage, a: number, b: number): void;
  unaryBackward(op: number, x: Storage, y: Storage, g: Storage, out: Storage, a: number, b: number): void;
  binary(op: number, a: Storage, b: Storage, out: Storage): void;
  compare(op: number, a: Storage, b: Storage, out: Int32Array): void;
  binaryBackward(op: number, a: Storage, b: Storage, g: Storage, ga: Storage, gb: Storage): void;
  where(cond: Int32Array, a: Storage, b: Storage, out: Storage): void;
  copy(x: Storage, out: Storage): void;
  fill(out: Storage, value: number): void;
  arange(out: Storage, start: number, step: number): void;
  sum(x: Storage, out: Storage, outNumel: number, scale: number): void;
  extreme(isMax: boolean, nkeep: number, x: Storage, vals: Maybe<Storage>, idx: Maybe<Int32Array>): void;
  gemm(a: Storage, b: Storage, c: Storage, transA: boolean, transB: boolean, M: number, N: number, K: number,
    lda: number, ldb: number, ldc: number, alpha: number, beta: number): void;
  linear(x: Storage, w: Storage, b: Maybe<Storage>, out: Storage, M: number, N: number, K: number, relu: boolean): void;
  softmax(log: boolean, x: Storage, y: Storage, outer: number, D: number, inner: number): void;
  softmaxBackward(log: boolean, y: Storage, g: Storage, gx: Storage, outer: number, D: number, inner: number): void;
  crossEntropy(x: Storage, t: Int32Array, loss: Storage, probs: Maybe<Storage>, N: number, C: number,
    ignoreIndex: number, smoothing: number): void;
  crossEntropyBackward(probs: Storage, t: Int32Array, gRow: Storage, gx: Storage, N: number, C: number,
    ignoreIndex: number, smoothing: number): void;
  indexSelect(src: Storage, idx: Int32Array, dst: Storage, outer: number, D: number, inner: number, n: number): void;
  indexAdd(src: Storage, idx: Int32Array, dst: Storage, outer: number, D: number, inner: number, n: number): void;
  gather(src: Storage, idx: Int32Array, dst: Storage, outer: number, D: number, inner: number, n: number): void;
  scatterAdd(src: Storage, idx: Int32Array, dst: Storage, outer: number, D: number, inner: number, n: number): void;
  sgdStep(p: Storage, g: Storage, buf: Maybe<Storage>, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: boolean, firstStep: boolean, maximize: boolean): void;
  adamStep(p: Storage, g: Storage, m: Storage, v: Storage, vmax: Maybe<Storage>, lr: number, beta1: number,
    beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean, amsgrad: boolean,
    maximize: boolean): void;
  rmspropStep(p: Storage, g: Storage, sq: Storage, buf: Maybe<Storage>, gavg: Maybe<Storage>, lr: number,
    alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean, maximize: boolean): void;
  adagradStep(p: Storage, g: Storage, sum: Storage, lr: number, lrDecay: number, weightDecay: number, eps: number,
    step: number, maximize: boolean): void;
  manualSeed(seed: number): void;
  randUniform(out: Storage, lo: number, hi: number): void;
  randNormal(out: Storage, mean: number, std: number): void;
  randInt(out: Int32Array, lo: number, hi: number): void;
  randPerm(out: Int32Array): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  getIsa(): string;
  setIsa(code: number): string;
}

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// node-gyp-build looks in build/Release (a local source build, which must win over a possibly stale
// prebuild), then prebuilds/<platform>-<arch>/ (chosen by the napi and libc tags in the file name).
function load(): Binding {
  try {
    return require("node-gyp-build")(root) as Binding;
  } catch (e) {
    throw new Error(
      `tensorgrad: no usable native binary for ${process.platform}-${process.arch} ` +
        `(${(e as Error).message.split("\n")[0]}).\n` +
        `Prebuilt binaries ship for linux-x64 (glibc); elsewhere, build from source: install CMake >= 3.15 and ` +
        `a C++17 compiler (g++ >= 9 or clang >= 10; Visual Studio 2022 C++ tools on Windows), then run\n` +
        `  npx --yes cmake-js@8 compile\n` +
        `in ${root} (npx fetches cmake-js from the npm registry; nothing else is downloaded).`,
    );
  }
}

export const native: Binding = load();

// Op name -> code, from the tables the addon exports (one source of truth: the C++ op tables).
function codes(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}
export const UNARY = codes(native.unaryOps);
export const BINARY = codes(native.binaryOps);
export const COMPARE = codes(native.compareOps);
