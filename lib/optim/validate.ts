// Hyper-parameter checks shared by the optimizers. Errors name the optimizer, the
// hyper-parameter and the offending value, e.g. "SGD: invalid learning rate NaN".

function fail(opt: string, label: string, v: unknown, want: string): never {
  if (typeof v !== "number") throw new TypeError(`${opt}: invalid ${label} ${String(v)}; expected ${want}`);
  throw new RangeError(`${opt}: invalid ${label} ${v}; expected ${want}`);
}

export function finite(opt: string, label: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(opt, label, v, "a finite number");
}

export function nonNegative(opt: string, label: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(opt, label, v, "a finite number >= 0");
}

// Decay rates such as Adam's betas: 0 <= v < 1.
export function unitInterval(opt: string, label: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0 && v < 1)) fail(opt, label, v, "a number in [0, 1)");
}

export function flag(opt: string, label: string, v: unknown): void {
  if (typeof v !== "boolean") throw new TypeError(`${opt}: invalid ${label} ${String(v)}; expected true or false`);
}
