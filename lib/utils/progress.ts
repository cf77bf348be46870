// tg.utils.progress: tqdm for training loops. On a terminal, a redrawn bar through cli-progress
// (throttled, cursor handling, terminal width); elsewhere (CI, a log file, a pipe) one plain
// line at most every `logInterval` seconds and a last one at the end, so logs stay readable.
// cli-progress is loaded only when a bar is first drawn on a terminal.
import { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { lazyRequire } from "./lazy.js";
import { refuseSurplus } from "../arity.js";

export interface ProgressOptions {
  /** Number of iterations (or units) expected; defaults to the iterable's length/size. */
  total?: number;
  /** Text before the bar, e.g. "epoch 3". */
  desc?: string;
  /** What is counted, for the rate ("it" → "it/s"; "samples" → "samples/s"). */
  unit?: string;
  /** Without a terminal: seconds between plain progress lines (default 10). */
  logInterval?: number;
  /** Where to draw (default process.stderr, as tqdm). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Draw nothing (e.g. on worker ranks other than 0). */
  disable?: boolean;
}

interface CliBar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  stop(): void;
}
interface CliProgress {
  SingleBar: new (opts: object) => CliBar;
}

export type Postfix = Record<string, number | string | Tensor>;

// 75 → "01:15", 3725 → "1:02:05" (tqdm's format_interval).
export function formatDuration(seconds: number): string {
  refuseSurplus(formatDuration, arguments.length);
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (x: number) => String(x).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

// Numbers as tqdm's postfix shows them: 3 significant digits, exponent when tiny or huge.
function formatValue(v: number | string | Tensor): string {
  const x = v instanceof Tensor ? v.item() : v;
  if (typeof x !== "number") return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

function totalOf(iterable: unknown): number | undefined {
  if (iterable === null || typeof iterable !== "object") return undefined;
  const o = iterable as { length?: unknown; size?: unknown };
  if (typeof o.length === "number") return o.length;
  if (typeof o.size === "number") return o.size;
  return undefined;
}

/**
 * A progress bar over an iterable (sync or async) or a manual counter (`update(n)`), like tqdm.
 * Iterating counts one per item, after the loop body ran; leaving the loop (also by break or
 * an exception) closes the bar.
 */
export class Progress<T = number> implements Iterable<T>, AsyncIterable<T> {
  n = 0;
  total: number | undefined;
  desc: string;
  readonly unit: string;
  private readonly logInterval: number;
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly disabled: boolean;
  private readonly start = performance.now();
  private lastLog = performance.now();
  private loggedN = -1;  // n at the last plain line, so close() doesn't repeat it
  private postfix = "";
  private bar: CliBar | null = null;
  private closed = false;

  /** @throws TypeError/RangeError for bad options (unknown keys, negative total, non-positive logInterval). */
  constructor(private readonly iterable: Iterable<T> | AsyncIterable<T> | null = null, opts?: ProgressOptions) {
    refuseSurplus(Progress, arguments.length, opts);
    const o = options("progress", opts, ["total", "desc", "unit", "logInterval", "stream", "disable"]);
    const total = o.total ?? totalOf(iterable);
    if (total !== undefined && !(Number.isFinite(total) && total >= 0)) throw new RangeError(`progress: total must be a number >= 0, got ${total}`);
    if (o.logInterval !== undefined && !(o.logInterval > 0)) throw new RangeError(`progress: logInterval must be a number of seconds > 0, got ${o.logInterval}`);
    this.total = total;
    this.desc = o.desc ?? "";
    this.unit = o.unit ?? "it";
    this.logInterval = o.logInterval ?? 10;
    this.stream = o.stream ?? process.stderr;
    this.disabled = o.disable ?? false;
  }

  /** Seconds since the bar was created. */
  get elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** Counts `n` more units (e.g. the batch size, with unit "samples") and redraws as needed. */
  update(n = 1): void {
    if (typeof n !== "number" || !Number.isFinite(n)) throw new TypeError(`progress.update: n must be a finite number, got ${n}`);
    this.n += n;
    this.draw(false);
  }

  /** Shows `key=value` pairs after the rate (`loss=0.231, acc=0.94`); tensors are read with item(). */
  setPostfix(values: Postfix): void {
    if (values === null || typeof values !== "object") throw new TypeError("progress.setPostfix: expected an object such as {loss, acc}");
    this.postfix = Object.entries(values).map(([k, v]) => `${k}=${formatValue(v)}`).join(", ");
    this.draw(false);
  }

  setDescription(desc: string): void {
    this.desc = String(desc);
    this.draw(false);
  }

  /** Draws the final state and releases the terminal; further calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.draw(true);
    this.bar?.stop();
  }

  /** The status line without the bar: `desc: 450/1000 [00:12<00:15, 37.5 it/s, loss=0.123]`. */
  toString(): string {
    const { count, times } = this.fields();
    return `${this.desc ? `${this.desc}: ` : ""}${count} [${times}]`;
  }

  *[Symbol.iterator](): Iterator<T> {
    const it = this.iterable as Iterable<T> | null;
    if (!it || typeof it[Symbol.iterator] !== "function") throw new TypeError("progress: this iterable is async (or absent); use for await … of");
    try {
      for (const x of it) {
        yield x;
        this.update(1);
      }
    } finally {
      this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.iterable;
    if (!it) throw new TypeError("progress: no iterable to iterate; call update(n) instead");
    try {
      for await (const x of it as AsyncIterable<T>) {
        yield x;
        this.update(1);
      }
    } finally {
      this.close();
    }
  }

  private fields(): { count: string; times: string; pct: number } {
    const t = this.elapsed, rate = t > 0 ? this.n / t : 0;
    const total = this.total;
    const eta = total !== undefined && rate > 0 ? (total - this.n) / rate : NaN;
    const rateText = rate >= 1 || rate === 0 ? `${rate.toFixed(rate < 100 ? 2 : 0)} ${this.unit}/s` : `${(1 / rate).toFixed(2)} s/${this.unit}`;
    const times = `${formatDuration(t)}${total !== undefined ? `<${formatDuration(eta)}` : ""}, ${rateText}${this.postfix ? `, ${this.postfix}` : ""}`;
    return { count: total !== undefined ? `${this.n}/${total}` : `${this.n}`, times, pct: total ? Math.min(100, (100 * this.n) / total) : 0 };
  }

  private draw(final: boolean): void {
    if (this.disabled) return;
    if (this.stream.isTTY) return this.drawBar(final);
    const now = performance.now();
    if (final ? this.loggedN === this.n : now - this.lastLog < this.logInterval * 1000) return;
    this.lastLog = now;
    this.loggedN = this.n;
    const { pct } = this.fields();
    this.stream.write(`${this.toString()}${this.total ? ` ${pct.toFixed(0)}%` : ""}\n`);
  }

  private drawBar(final: boolean): void {
    const { count, times, pct } = this.fields();
    const payload = { desc: this.desc ? `${this.desc}: ` : "", pct: pct.toFixed(0).padStart(3), count, times };
    if (!this.bar) {
      const cli = lazyRequire<CliProgress>("cli-progress", "tg.utils.progress");
      const withTotal = this.total !== undefined;
      this.bar = new cli.SingleBar({
        stream: this.stream,
        format: withTotal ? "{desc}{pct}%|{bar}| {count} [{times}]" : "{desc}{count} [{times}]",
        barCompleteChar: "█",
        barIncompleteChar: " ",
        barsize: 25,
        hideCursor: true,
        clearOnComplete: false,
        linewrap: false,
        fps: 10,
      });
      this.bar.start(Math.max(this.total ?? 1, 1), this.n, payload);
    }
    this.bar.update(this.total !== undefined ? Math.min(this.n, Math.max(this.total, 1)) : 0, payload);
    if (final) this.bar.update(this.total ?? 0, payload);
  }
}

/**
 * Wraps an iterable (array, DataLoader, generator, async iterable) or a count `n` (0…n−1) in a
 * progress bar, like tqdm: `for (const batch of tg.utils.progress(loader, {desc: "epoch 1"}))`.
 * @throws TypeError when `iterable` is neither iterable nor a count; option errors as Progress.
 */
export function progress<T>(iterable: Iterable<T> | AsyncIterable<T>, opts?: ProgressOptions): Progress<T>;
export function progress(n: number, opts?: ProgressOptions): Progress<number>;
export function progress<T>(iterable: Iterable<T> | AsyncIterable<T> | number, opts?: ProgressOptions): Progress<T | number> {
  refuseSurplus(progress, arguments.length, opts);
  if (typeof iterable === "number") {
    if (!Number.isInteger(iterable) || iterable < 0) throw new RangeError(`progress: a count must be an integer >= 0, got ${iterable}`);
    const n = iterable;
    const range = { length: n, *[Symbol.iterator]() { for (let i = 0; i < n; ++i) yield i; } };
    return new Progress<number>(range, opts);
  }
  const ok = iterable !== null && typeof iterable === "object" && (Symbol.iterator in iterable || Symbol.asyncIterator in iterable);
  if (!ok) throw new TypeError(`progress: expected an iterable (array, DataLoader, generator) or a count, got ${iterable === null ? "null" : typeof iterable}`);
  return new Progress<T>(iterable, opts);
}
