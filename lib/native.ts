// Loads the addon and binds its entries. The entries' TypeScript signatures are generated from the
// addon's own table (lib/native-entries.ts); a strided entry takes its operand layouts as
// (shape, operands) and this module writes them into the addon's `params` block in the same call.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { bindEntries, type Entries, type RawEntries, type Storage, type Strided } from "./native-entries.js";

export type { Isa, Storage, Strided } from "./native-entries.js";

// What the addon exports besides its entries: the op tables, ISA names and limits.
interface Constants {
  params: Float64Array;
  entrySpecs: Record<string, { args: [string, string][]; layout: boolean; returns: string }>;
  unaryOps: string[];
  binaryOps: string[];
  compareOps: string[];
  isas: string[];
  maxDims: number;
  maxOperands: number;
}

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// node-gyp-build looks in build/Release (a local source build, which must win over a possibly stale
// prebuild), then prebuilds/<platform>-<arch>/ (chosen by the napi and libc tags in the file name).
function load(): RawEntries & Constants {
  try {
    return require("node-gyp-build")(root) as RawEntries & Constants;
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

// The raw addon: for the boundary tests only. Library code calls `native`.
export const addon = load();
const P = addon.params;

// params[0] = ndim, params[1..8] = shape; operand k at 9 + 9k: offset, then its strides over the
// shape (right-aligned; broadcast dims get stride 0).
function writeLayout(shape: readonly number[], operands: readonly (Strided | null)[]): void {
  const nd = shape.length;
  if (nd > addon.maxDims) throw new RangeError(`tensors have at most ${addon.maxDims} dims, got shape [${shape.join(", ")}]`);
  P[0] = nd;
  for (let i = 0; i < nd; ++i) P[1 + i] = shape[i];
  for (let k = 0; k < operands.length; ++k) {
    const t = operands[k];
    if (t === null) continue;
    const base = 9 + 9 * k, lead = nd - t.shape.length;
    P[base] = t.offset;
    for (let i = 0; i < nd; ++i) {
      const j = i - lead;
      P[base + 1 + i] = j < 0 || t.shape[j] === 1 ? 0 : t.strides[j];
    }
  }
}

export const native: Entries & Omit<Constants, "params" | "entrySpecs"> = Object.assign(bindEntries(addon, writeLayout), {
  unaryOps: addon.unaryOps,
  binaryOps: addon.binaryOps,
  compareOps: addon.compareOps,
  isas: addon.isas,
  maxDims: addon.maxDims,
  maxOperands: addon.maxOperands,
});

// Op name -> code, from the tables the addon exports (one source of truth: the C++ op tables).
function codes(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}
export const UNARY = codes(native.unaryOps);
export const BINARY = codes(native.binaryOps);
export const COMPARE = codes(native.compareOps);
