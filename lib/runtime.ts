// Threads and SIMD path of the native kernels.
import { native, type Isa } from "./native.js";
import { refuseSurplus } from "./arity.js";
import { noArguments } from "./options.js";

export type { Isa } from "./native.js";

/**
 * Sets the number of threads every native kernel uses (one process-wide pool; results are bit-identical at
 * any count). Default: the CPUs this process may use (affinity mask and container quota) or
 * `TENSORGRAD_NUM_THREADS`. Mirrors `torch.set_num_threads`.
 * @throws RangeError for a non-positive or non-integer n.
 */
export function setNumThreads(n: number): void {
  refuseSurplus(setNumThreads, arguments.length);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  native.setNumThreads(n);
}
/**
 * The number of threads native kernels use now. Mirrors `torch.get_num_threads`.
 * @throws TypeError when given any argument (`getNumThreads(4)` meant {@link setNumThreads}).
 */
export function getNumThreads(): number;
export function getNumThreads(...args: unknown[]): number {
  noArguments("getNumThreads", args, "to set the count, call setNumThreads(n)");
  return native.getNumThreads();
}

const ISAS = native.isas as Isa[];

/**
 * The kernel path in use (`"avx512"`, `"avx2"` or `"scalar"`): chosen from CPUID at start-up, lowered by
 * the `TENSORGRAD_CPU` environment variable or {@link setCpuIsa}.
 * @throws TypeError when given any argument.
 */
export function cpuIsa(): Isa;
export function cpuIsa(...args: unknown[]): Isa {
  noArguments("cpuIsa", args, "to force a lower path, call setCpuIsa(name)");
  return native.getIsa() as Isa;
}
/**
 * Forces a lower kernel path (for tests and comparisons); a path the CPU lacks is lowered to the best it has.
 * @returns the path now in use.
 * @throws RangeError for an unknown name.
 */
export function setCpuIsa(isa: Isa): Isa {
  refuseSurplus(setCpuIsa, arguments.length);
  const code = ISAS.indexOf(isa);
  if (code < 0) throw new RangeError(`setCpuIsa: expected one of ${ISAS.join(", ")}, got ${String(isa)}`);
  return native.setIsa(code) as Isa;
}
