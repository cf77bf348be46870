// The argument forms of full and randint, whose size must be one array (PyTorch's torch.full(size,
// fill_value) and torch.randint(low, high, size)): a call in another form throws a TypeError that
// shows the call as written and the call it most likely meant, built from the values it was given.
// zeros(2, 3)'s sizes-as-arguments form cannot work here: the sizes could not be told from the value.
import type { TensorOptions } from "./creation.js";
import { describe } from "../options.js";

type Options = Record<string, unknown>;
const isOptions = (v: unknown): v is Options => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
// A placeholder in a suggested call, for a value the wrong call did not give: tg.full([n], 7).
class Hole {
  constructor(readonly text: string) {}
}
const [N, FILL, LOW, HIGH] = ["n", "fillValue", "low", "high"].map((t) => new Hole(t));

// An argument as it would be typed: 2, [2, 3], "float64", {dtype: "float64"}.
function argText(v: unknown): string {
  if (v instanceof Hole) return v.text;
  if (typeof v === "number" || typeof v === "boolean" || v === undefined) return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(argText).join(", ")}]`;
  if (isOptions(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${argText(x)}`).join(", ")}}`;
  return describe(v);
}
const callText = (op: string, args: unknown[]) => `tg.${op}(${args.map(argText).join(", ")})`;

// What a wrong call was given: its numbers in order, its size (an array, or PyTorch's `size=` keyword
// written as an option), and its other options.
function parts(args: unknown[]): { nums: number[]; size?: unknown[]; opts: Options[] } {
  const nums = args.filter((v): v is number => typeof v === "number");
  const objs = args.filter(isOptions);
  const size = (args.find(Array.isArray) ?? objs.find((o) => Array.isArray(o.size))?.size) as unknown[] | undefined;
  const opts = objs.map(({ size: _, ...rest }) => rest).filter((o) => Object.keys(o).length > 0);
  return { nums, size, opts };
}

/**
 * full's arguments `(size: number[], fillValue, options?)`; the values are checked by full itself.
 * @throws TypeError showing the call given and the one meant (`tg.full(2, 2, 7)` → `tg.full([2, 2], 7)`).
 */
export function fullArgs(args: unknown[]): [number[], number, TensorOptions | undefined] {
  const [shape, value, o] = args;
  if (Array.isArray(shape) && value !== undefined && args.length <= 3) return [shape, value as number, o as TensorOptions];
  const { nums, size, opts } = parts(args);
  const meant = size ? [size, nums[0] ?? FILL] : nums.length > 1 ? [nums.slice(0, -1), nums[nums.length - 1]] : [[N], nums[0] ?? FILL];
  throw new TypeError(`full: takes the size as one array, then the fill value (as torch.full(size, fill_value)): ` +
    `got ${callText("full", args)}; call ${callText("full", [...meant, ...opts])}`);
}

/**
 * randint's arguments `(low, high, size: number[], options?)` or `(high, size, options?)` (low 0); the values
 * are checked by randint itself.
 * @throws TypeError showing the call given and the ones meant (`tg.randint(0, 10, 5)` → `tg.randint(0, 10, [5])`).
 */
export function randintArgs(args: unknown[]): [number, number, number[], TensorOptions | undefined] {
  const at = args.findIndex(Array.isArray);
  if (at === 2 && args.length <= 4) return args as [number, number, number[], TensorOptions];
  if (at === 1 && args.length <= 3) return [0, args[0] as number, args[1] as number[], args[2] as TensorOptions];
  throw new TypeError(`randint: takes low, high, then the size as one array (as torch.randint(low, high, size)), ` +
    `or high and the size (low 0): got ${callText("randint", args)}; call ${randintMeant(args)}`);
}

// The calls a wrong randint call may have meant. Two numbers without a size are either low and high
// (the size forgotten) or high and a size of one dim; only the valid readings are offered.
function randintMeant(args: unknown[]): string {
  const { nums, size, opts } = parts(args);
  const call = (...a: unknown[]) => callText("randint", [...a, ...opts]);
  if (size && nums.length <= 2) return call(...(nums.length > 0 ? nums : [HIGH]), size);
  if (nums.length > 2) return call(nums[0], nums[1], nums.slice(2));
  if (nums.length < 2) return `${call(nums[0] ?? HIGH, [N])} for n integers in [0, ${nums[0] ?? "high"})`;
  const [a, b] = nums, meant: string[] = [];
  if (a < b) meant.push(`${call(a, b, [N])} for n integers in [${a}, ${b})`);
  if (a > 0 && Number.isInteger(b) && b >= 0) meant.push(`${call(a, [b])} for ${b} integers in [0, ${a})`);
  return meant.join(", or ") || call(LOW, HIGH, [N]);
}
