// Argument checks shared by the op definitions.
import { Tensor } from "../tensor.js";
import { normalizeDim } from "../shape.js";

export function checkTensor(x: unknown, op: string, what = "input"): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor as ${what}, got ${x === null ? "null" : typeof x}`);
  return x;
}

// dim of x, negative counting from the end, checked against x's dims.
export function dimOf(x: Tensor, dim: number, op: string): number {
  return normalizeDim(dim, checkTensor(x, op).ndim, op);
}

// Accepts f(2, 3), f([2, 3]) and f(...[2, 3]) alike.
export function shapeArgs(args: (number | number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);
}
