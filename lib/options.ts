// The calling rule's last argument: PyTorch's defaulted arguments in one options object with
// camelCase keys. Every function or constructor that takes options reads them through
// `options()`, so an unknown key (a typo, or PyTorch's snake_case spelling) throws instead of
// being silently ignored. `pair()` reads a size argument given as a number or `[h, w]`.

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; ++i) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; ++j) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// The most edits a suggestion may be away from an n-letter key: 2 (a quarter of a long key), but for a
// short key at most a third of its letters, rounded up, and never all of them: every one- or two-letter
// key is within 2 edits of "a", so that bound would suggest "to" for x.uniform_({a: 0, b: 1}).
const maxEdits = (n: number) => Math.min(Math.max(2, Math.floor(n / 4)), Math.ceil(n / 3), n - 1);

// Other libraries' names for PyTorch's keys (Keras/TF.js, NumPy), lower-cased: too far from the key for edits.
const SYNONYMS: Readonly<Record<string, string>> = { learningrate: "lr", epsilon: "eps", axis: "dim", keepdims: "keepdim" };

// PyTorch keyword arguments that tensorgrad lacks: a PyTorch user passing one is told so, not "unknown option" with
// a list that reads as if it were a typo. `ops`: only these functions and modules (else every one).
const UNSUPPORTED: Readonly<Record<string, { ops?: readonly string[]; why: string }>> = {
  createGraph: { why: "tensorgrad has no higher-order gradients (backward rules do not record a graph of their own)" },
  weight: {
    ops: ["crossEntropy", "nllLoss", "CrossEntropyLoss", "NLLLoss"],
    why: "no per-class weights yet; pass {reduction: \"none\"}, multiply the per-sample losses by each target's weight, then take the sum ÷ the weights' sum",
  },
  device: { why: "tensorgrad computes on the CPU only; leave device out" },
};

// Why `op` lacks a PyTorch keyword, or undefined for a key that is simply unknown. Where op takes the key
// itself, a snake_case spelling of it is a typo (jacobian's create_graph), and so is no table entry.
function unsupported(key: string, op: string, allowed: readonly string[]): string | undefined {
  const c = camel(key);
  if (allowed.includes(c) || !Object.hasOwn(UNSUPPORTED, c)) return undefined;
  const { ops, why } = UNSUPPORTED[c];
  return !ops || ops.includes(op) ? why : undefined;
}

// PyTorch's factory keywords go together (`dtype=…, device=…`): where `dtype` (or `device` itself: randperm, whose
// dtype is always int32) is an option, `device: "cpu"` (the
// `x.device` of every tensor), null or undefined is taken and changes nothing, so `tg.zeros(n, {device: x.device})`
// runs as written.
function cpuDevice(op: string, d: unknown): true {
  if (d === "cpu" || d === "cpu:0" || d === undefined || d === null) return true;  // null: PyTorch's device=None, the default
  if (typeof d === "string") throw new Error(`${op}: tensorgrad runs on the CPU only, there is no "${d}" device; leave device out, or pass "cpu"`);
  throw new TypeError(`${op}: device must be "cpu" (tensorgrad runs on the CPU only), got ${describe(d)}`);
}

/**
 * PyTorch's keyword form `x.to(device=…, dtype=…)`, written `x.to({device, dtype})`: the positional pair it stands
 * for (`"cpu"` and the dtype). Other arguments pass through unchanged.
 * @throws Error naming an unknown key or a device other than the CPU.
 */
export function toArguments<D>(op: string, first: unknown, second: D | undefined): [unknown, D | undefined] {
  const proto = first !== null && typeof first === "object" ? Object.getPrototypeOf(first) : undefined;
  if (second !== undefined || (proto !== Object.prototype && proto !== null)) return [first, second];
  return ["cpu", options(op, first as { device?: unknown; dtype?: D }, ["device", "dtype"]).dtype];
}

/** The allowed key a mistyped one most likely meant, or undefined. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const c = camel(key), lower = c.toLowerCase();
  const exact = allowed.find((a) => a === c || a.toLowerCase() === lower || a === SYNONYMS[lower]);
  if (exact) return exact;
  let best: string | undefined, bestD = maxEdits(lower.length) + 1;
  for (const a of allowed) {
    const d = distance(lower, a.toLowerCase());
    if (d < bestD) [best, bestD] = [a, d];
  }
  return best;
}

/** How a wrong argument reads in an error message: "null", "string \"a\"", "an array", "an object", "a Map". */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "object") {
    const name = (v as object).constructor?.name;
    return !name || name === "Object" ? "an object" : `a ${name}`;
  }
  return `${typeof v} ${String(v)}`;
}

/**
 * Refuses any argument to a function that takes none, which JS would otherwise drop unseen.
 * @throws TypeError naming `op`, what was passed and `why` the function takes nothing.
 */
export function noArguments(op: string, args: readonly unknown[], why: string): void {
  if (args.length > 0) throw new TypeError(`${op}: takes no arguments, got ${args.map(describe).join(", ")} (${why})`);
}

// What a PyTorch user passing a required argument as a keyword gets told.
export const positionalHint = (v: unknown, name: string) =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? ` (${name} is a positional argument, not an option)` : "";

// A PyTorch user writes defaulted arguments positionally (`nn.Dropout(0.5)`, `uniform_(w, -0.1, 0.1)`):
// show the option form. Only the first of them reaches here, so the other keys are shown unfilled.
function keywordHint(v: unknown, allowed: readonly string[]): string {
  if (allowed.length === 0 || (typeof v !== "number" && typeof v !== "boolean")) return "";
  const rest = allowed.slice(1, 4).map((k) => `, ${k}: …`).join("") + (allowed.length > 4 ? ", …" : "");
  return ` (PyTorch's defaulted arguments are options here, by name: {${allowed[0]}: ${v}${rest}})`;
}

/**
 * Checks an options object against the keys `op` accepts and returns it (`{}` for undefined).
 * @throws TypeError when `opts` is not a plain object; Error naming the unknown key, its likely
 *   spelling (`weight_decay` → `weightDecay`) and the allowed keys, or saying that a PyTorch keyword
 *   tensorgrad lacks (`createGraph`, a loss's class `weight`, `device`) is not supported.
 */
export function options<T extends object>(op: string, opts: T | undefined | null, allowed: readonly (keyof T & string)[]): Partial<T> {
  if (opts === undefined || opts === null) return {};
  const proto = typeof opts === "object" ? Object.getPrototypeOf(opts) : undefined;
  if (typeof opts !== "object" || Array.isArray(opts) || (proto !== Object.prototype && proto !== null))
    throw new TypeError(`${op}: expected an options object {${allowed.join(", ")}} as the last argument, got ${describe(opts)}${keywordHint(opts, allowed)}`);
  for (const key of Object.keys(opts)) {
    if (key === "device" && (allowed as readonly string[]).some((k) => k === "dtype" || k === "device")) {
      cpuDevice(op, (opts as { device?: unknown }).device);
      continue;
    }
    if ((allowed as readonly string[]).includes(key)) continue;
    const why = unsupported(key, op, allowed);
    if (why) throw new Error(`${op}: option "${key}" is not supported: ${why}`);
    const hint = suggestKey(key, allowed);
    throw new Error(`${op}: unknown option "${key}"${hint ? `; did you mean "${hint}"?` : ""} (allowed: ${allowed.join(", ") || "none"})`);
  }
  return opts;
}

/**
 * `value` when it is one of the string choices `allowed` (a mode, a reduction).
 * @throws Error naming `op`, the argument, the choices, the value and the choice it most likely meant
 *   (`"fan_out"` → `"fanOut"`, `"sume"` → `"sum"`).
 */
export function oneOf<T extends string>(op: string, name: string, value: unknown, allowed: readonly T[]): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  const list = allowed.map((a) => JSON.stringify(a));
  const choices = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list[0];
  const hint = typeof value === "string" ? suggestKey(value, allowed) : undefined;
  throw new Error(`${op}: ${name} must be ${choices}, got ${JSON.stringify(value) ?? describe(value)}${hint ? `; did you mean "${hint}"?` : ""}`);
}

/** The largest size, stride, padding or dilation: the kernels take these as int32. */
export const INT32_MAX = 2147483647;

/**
 * A size argument as PyTorch takes an int or a tuple: `n` → `[n, n]`, `[h, w]` → `[h, w]`.
 * @throws TypeError/RangeError naming `op`, the argument and the value when it is not one or two
 *   integers >= `min`, or one is above 2^31 − 1 (the kernels' int32; a larger one would wrap).
 */
export function pair(v: unknown, name: string, op: string, min = 0): [number, number] {
  const ok = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x >= min;
  const fits = (x: number) => {
    if (x > INT32_MAX) throw new RangeError(`${op}: ${name} must be at most 2^31 - 1 = ${INT32_MAX}, got ${x}`);
    return x;
  };
  if (typeof v === "number") {
    if (!ok(v)) throw new RangeError(`${op}: ${name} must be an integer >= ${min}, got ${v}`);
    return [fits(v), v];
  }
  if (Array.isArray(v) && v.length === 2) {
    if (!ok(v[0]) || !ok(v[1])) throw new RangeError(`${op}: ${name} must be integers >= ${min}, got [${v.join(", ")}]`);
    return [fits(v[0]), fits(v[1])];
  }
  throw new TypeError(`${op}: ${name} must be an integer or a pair [h, w], got ${describe(v)}${positionalHint(v, name)}`);
}
