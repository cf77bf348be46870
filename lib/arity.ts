// How many arguments a function declares, read from its source: `Function.length` stops at the first
// default value (`(x, dim = 0, options = {})` has length 1), and the check for surplus arguments needs all
// of them. PyTorch refuses a call with too many ("sum() takes from 1 to 3 positional arguments but 4 were
// given"); JavaScript ignores them, so `tg.cat(ts, 1, {dim: 0})` would use 1 without a word.

// A function, or a class (whose constructor's parameters are read).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callable = ((...args: any[]) => unknown) | (abstract new (...args: any[]) => unknown);

// Walks `text` from `start`, skipping comments and string and template literals, and calls `visit` for every other
// character with the bracket depth before it; stops when `visit` returns true. Returns where it stopped.
function scan(text: string, start: number, visit: (c: string, depth: number, i: number) => boolean | void): number {
  let depth = 0, quote = "";
  for (let i = start; i < text.length; ++i) {
    const c = text[i];
    if (quote) {
      if (c === "\\") ++i;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && text[i + 1] === "/") i = text.indexOf("\n", i) >>> 0;  // (not found: past the end)
    else if (c === "/" && text[i + 1] === "*") i = (text.indexOf("*/", i + 2) >>> 0) + 1;
    else {
      if (visit(c, depth, i)) return i;
      if (c === "(" || c === "[" || c === "{") ++depth;
      else if (c === ")" || c === "]" || c === "}") --depth;
    }
  }
  return text.length;
}

// The parameter list's text: from the first "(" of a function, method or arrow (or a class's own
// constructor; "" when it has none) to its matching ")", or the lone name of `x => …`.
function parameterList(source: string): string {
  const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (arrow) return arrow[1];
  let open = source.indexOf("(");
  if (/^class\b/.test(source)) {
    const at = scan(source, source.indexOf("{"), (c, depth, i) => depth === 1 && c === "c" &&
      /^constructor\s*\(/.test(source.slice(i, i + 20)) && !/[\w$.]/.test(source[i - 1]));
    if (at === source.length) return "";
    open = source.indexOf("(", at);
  }
  const close = scan(source, open, (c, depth) => c === ")" && depth === 1);
  if (open < 0 || close === source.length) throw new Error(`parameterNames: cannot read the parameters of ${source.slice(0, 60)}`);
  return source.slice(open + 1, close);
}

/**
 * The names of the parameters `fn` declares, defaulted ones included ("options" for a destructured one);
 * null with a rest parameter, which takes any number of arguments.
 */
export function parameterNames(fn: Callable): string[] | null {
  const source = fn.toString(), list = parameterList(source), names: string[] = [];
  // A class without a constructor of its own takes its parent's parameters.
  const parent = Object.getPrototypeOf(fn);
  if (list === "" && /^class\b/.test(source) && parent !== Function.prototype) return parameterNames(parent);
  let start = 0, rest = false;
  const push = (end: number) => {
    const text = list.slice(start, end).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").trim();
    if (text) names.push(/^[A-Za-z_$][\w$]*/.exec(text)?.[0] ?? "options");
    start = end + 1;
  };
  scan(list, 0, (c, depth, i) => {
    if (depth !== 0) return;
    if (c === ",") push(i);
    else if (c === "." && list.startsWith("...", i)) return (rest = true);
  });
  if (rest) return null;
  push(list.length);
  return names;
}

/**
 * A TypeError for a call with more arguments than `names`, as PyTorch's "takes from 1 to 3 positional
 * arguments but 4 were given": JavaScript would drop the surplus without a word.
 */
export function surplusArguments(op: string, names: readonly string[], got: number): TypeError {
  if (names.length === 0) return new TypeError(`${op}: takes no arguments, got ${got}`);
  const options = /^opt(ion)?s$/.test(names[names.length - 1]);
  return new TypeError(`${op}: takes at most ${names.length} argument${names.length === 1 ? "" : "s"} ` +
    `(${names.join(", ")}), got ${got}` + (options ? "; PyTorch's other defaulted arguments go by name in the options object" : ""));
}

const COUNTS = new WeakMap<object, number>();

/**
 * Throws surplusArguments when a call of the public function (or class) `fn` passed `got` arguments, more
 * than it declares. The first statement of such a function: `refuseSurplus(conv2d, arguments.length, opts)`,
 * with the options argument where the function takes one: when that is not an object, the call put
 * PyTorch's defaulted arguments positionally (`uniform_(t, -1, 1)`), and the options check that follows
 * says so, naming the keys.
 */
export function refuseSurplus(fn: Callable, got: number, options?: unknown, op = fn.name): void {
  if (got <= fn.length || (options !== undefined && typeof options !== "object")) return;  // fn.length: up to the first defaulted parameter
  let max = COUNTS.get(fn);
  if (max === undefined) COUNTS.set(fn, (max = parameterNames(fn)?.length ?? Infinity));
  if (got > max) throw surplusArguments(op, parameterNames(fn)!, got);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method = (...args: any[]) => unknown;

/**
 * `method`, refusing more arguments than `names` (an async method rejects instead of throwing); `label(this)`
 * names it in the error. `apply(this, arguments)`: optimised code forwards the arguments without allocating.
 */
export function refusingSurplus(method: Method, names: string[], label: (self: unknown) => string): Method {
  const async = method.constructor.name === "AsyncFunction", max = names.length;
  const wrapped = function (this: unknown) {
    if (arguments.length > max) {
      const error = surplusArguments(label(this), names, arguments.length);
      if (async) return Promise.reject(error);
      throw error;
    }
    return method.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(wrapped, "name", { value: method.name });
  return wrapped;
}

/** The classes tensorgrad exports (filled by lib/class-arity-guard.ts), to tell them from a user's subclasses. */
export const LIBRARY_CLASSES = new WeakSet<object>();
