// Threads and SIMD path of the native kernels.
import { native, type Isa } from "./native.js";

export type { Isa } from "./native.js";

// Threads used by every native kernel (one process-wide pool). Defaults to the CPUs this process
// may use (affinity mask and container quota) or TENSORGRAD_NUM_THREADS.
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  native.setNumThreads(n);
}
export function getNumThreads(): number {
  return native.getNumThreads();
}

const ISAS = native.isas as Isa[];

// The kernel path in use: chosen from CPUID at start-up, lowered by TENSORGRAD_CPU.
export function cpuIsa(): Isa {
  return native.getIsa() as Isa;
}
// Forces a lower kernel path (for tests and comparisons); returns the path now in use.
export function setCpuIsa(isa: Isa): Isa {
  const code = ISAS.indexOf(isa);
  if (code < 0) throw new RangeError(`setCpuIsa: expected one of ${ISAS.join(", ")}, got ${String(isa)}`);
  return native.setIsa(code) as Isa;
}
