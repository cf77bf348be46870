// Element types. The numeric codes match native/runtime/dtype.h.
import type { Storage } from "./native.js";

export type DType = "float32" | "float64" | "int32";

export const DTYPE_CODE: Record<DType, number> = { float32: 0, float64: 1, int32: 2 };

export const ARRAY_TYPE = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
} as const;

export function dtypeOf(a: Storage): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  return "int32";
}

export function isFloat(d: DType): boolean {
  return d !== "int32";
}

// PyTorch's promotion among our three types: float64 > float32 > int32.
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  return "float32";
}

// PyTorch code moves tensors and models with to(device), cuda() and cpu(); tensorgrad has one device, the
// CPU. True for "cpu" (to("cpu") changes nothing), an Error saying so for another device's name (`call`:
// how the user asked for it), false otherwise.
export function isCpuDevice(d: unknown, op: string, call = `.to("${String(d)}")`): boolean {
  if (d === "cpu" || d === "cpu:0") return true;
  if (typeof d === "string" && /^(cuda|mps|xpu|hip|xla|meta|vulkan)(:\d+)?$/.test(d)) throw noDevice(d, op, call);
  return false;
}

export const noDevice = (d: string, op: string, call: string) =>
  new Error(`${op}: tensorgrad runs on the CPU only, there is no "${d}" device; drop the ${call} (to("cpu") changes nothing)`);

export function checkDType(d: unknown, op: string): DType {
  if (d === "float32" || d === "float64" || d === "int32") return d;
  const shown = typeof d === "string" ? d : d !== null && typeof d === "object" ? `(an object: ${JSON.stringify(d)})` : String(d);
  // PyTorch's integer and bool dtypes have one stand-in here; say which.
  const hint = d === "int64" || d === "long" || d === "bool" ? `; tensorgrad's integer dtype is int32 (labels, indices and masks)` : "";
  throw new TypeError(`${op}: unknown dtype ${shown}${hint}; use "float32", "float64" or "int32"`);
}
