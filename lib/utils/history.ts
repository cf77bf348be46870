// tg.utils.History: the scalars of a training run (loss, accuracy, learning rate, …) per step or
// epoch and per split (train, val), and two ways to see them: history.plot(path) writes an SVG
// of the curves through Vega-Lite (compiled and rendered headless by Vega, loaded on first use),
// history.ascii() draws them in the terminal through asciichart.
import { writeFile } from "node:fs/promises";
import { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { lazyImport, lazyRequire } from "./lazy.js";
import { refuseSurplus } from "../arity.js";

export interface HistoryRecord {
  metric: string;
  split: string;
  /** Epoch (possibly fractional) or step the value belongs to. */
  x: number;
  value: number;
}

export interface LogAt {
  /** Epoch of the value (fractional epochs place per-step values between epochs). */
  epoch?: number;
  /** Step of the value, when no epoch is given. */
  step?: number;
  /** "train" (default), "val", "test", … */
  split?: string;
}

export interface PlotOptions {
  /** Metrics to draw, one panel each (default: all, in the order first logged). */
  metrics?: string[];
  title?: string;
  /** Size of each panel in pixels (default 320 × 220). */
  width?: number;
  height?: number;
}

export interface AsciiOptions {
  /** Rows of the chart (default 10). */
  height?: number;
  /** Columns: each split is resampled to this many points (default 60). */
  width?: number;
  /** ANSI colours (default: only when stdout is a terminal). */
  color?: boolean;
}

interface Asciichart {
  plot(series: number[] | number[][], cfg: { height: number; min?: number; max?: number; colors?: string[]; format?: (x: number) => string }): string;
  blue: string; yellow: string; green: string; magenta: string;
}

/** Records scalars and draws their curves. `JSON.stringify(history)` and `History.fromJSON` save and restore it. */
export class History {
  readonly records: HistoryRecord[] = [];
  // Whether a metric was logged with epochs (axis "epoch") or only steps.
  private readonly byEpoch = new Map<string, boolean>();

  /** An empty history. @throws TypeError when given any argument. */
  constructor() {
    refuseSurplus(History, arguments.length);
  }

  /**
   * Adds one value per metric: `history.log({loss, acc}, {epoch: 3, split: "val"})`. Values
   * may be numbers or one-element tensors. Without epoch or step, x counts the metric's values (1, 2, …).
   * @throws TypeError for non-numeric values or bad positions.
   */
  log(values: Record<string, number | Tensor>, at?: LogAt): void {
    const { epoch, step, split = "train" } = options("History.log", at, ["epoch", "step", "split"]);
    if (values === null || typeof values !== "object") throw new TypeError("History.log: expected an object of scalars such as {loss: 0.3, acc: 0.9}");
    for (const [name, pos] of [["epoch", epoch], ["step", step]] as const)
      if (pos !== undefined && (typeof pos !== "number" || !Number.isFinite(pos))) throw new TypeError(`History.log: ${name} must be a finite number, got ${pos}`);
    for (const [metric, v] of Object.entries(values)) {
      const value = v instanceof Tensor ? v.item() : v;
      if (typeof value !== "number") throw new TypeError(`History.log: value of "${metric}" must be a number or a one-element Tensor, got ${typeof v}`);
      const x = epoch ?? step ?? this.series(metric, split).x.length + 1;
      this.byEpoch.set(metric, (this.byEpoch.get(metric) ?? true) && epoch !== undefined);
      this.records.push({ metric, split, x, value });
    }
  }

  /** Metric names in the order first logged. */
  metrics(): string[] {
    return [...new Set(this.records.map((r) => r.metric))];
  }

  /** The splits a metric was logged for ("train", "val", …). */
  splits(metric: string): string[] {
    return [...new Set(this.records.filter((r) => r.metric === metric).map((r) => r.split))];
  }

  /** One curve: positions and values in logging order. */
  series(metric: string, split = "train"): { x: number[]; y: number[] } {
    const rs = this.records.filter((r) => r.metric === metric && r.split === split);
    return { x: rs.map((r) => r.x), y: rs.map((r) => r.value) };
  }

  /** The latest value of a metric, or undefined. */
  last(metric: string, split = "train"): number | undefined {
    const { y } = this.series(metric, split);
    return y[y.length - 1];
  }

  /** "epoch" when every value of the metric was logged with an epoch, else "step". */
  xLabel(metric: string): string {
    return this.byEpoch.get(metric) ? "epoch" : "step";
  }

  /** What JSON.stringify writes; `key` (the property name it passes) is not used. */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  toJSON(key?: string): { records: HistoryRecord[]; byEpoch: Record<string, boolean> } {
    return { records: this.records.map((r) => ({ ...r })), byEpoch: Object.fromEntries(this.byEpoch) };
  }

  static fromJSON(json: { records: HistoryRecord[]; byEpoch?: Record<string, boolean> }): History {
    const h = new History();
    if (!json || !Array.isArray(json.records)) throw new TypeError("History.fromJSON: expected {records: [...]} as written by JSON.stringify(history)");
    for (const r of json.records) h.records.push({ metric: String(r.metric), split: String(r.split), x: Number(r.x), value: Number(r.value) });
    for (const [k, v] of Object.entries(json.byEpoch ?? {})) h.byEpoch.set(k, Boolean(v));
    return h;
  }

  /**
   * The Vega-Lite specification plot() renders: one line chart per metric, one coloured line per
   * split, labelled axes. Useful to embed the chart elsewhere.
   */
  vegaLiteSpec(opts?: PlotOptions): object {
    const { metrics = this.metrics(), title, width = 320, height = 220 } = options("History.plot", opts, ["metrics", "title", "width", "height"]);
    if (metrics.length === 0) throw new Error("History.plot: nothing to plot; log some values first (history.log({loss}, {epoch}))");
    for (const m of metrics) if (!this.byEpoch.has(m)) throw new Error(`History.plot: no values for metric "${m}" (logged: ${this.metrics().join(", ")})`);
    const panel = (metric: string) => ({
      title: metric,
      width,
      height,
      data: { values: this.records.filter((r) => r.metric === metric) },
      mark: { type: "line", point: { size: 18 }, strokeWidth: 1.5 },
      encoding: {
        x: { field: "x", type: "quantitative", title: this.xLabel(metric), scale: { zero: false } },
        y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
        color: { field: "split", type: "nominal", title: "split", sort: ["train", "val", "test"] },
      },
    });
    return { $schema: "https://vega.github.io/schema/vega-lite/v5.json", ...(title ? { title } : {}), hconcat: metrics.map(panel), config: { font: "Helvetica, Arial, sans-serif" } };
  }

  /**
   * Writes the curves as an SVG file (train vs validation per metric, labelled axes), rendered
   * headless by Vega: no browser, no canvas package.
   * @returns the path written.
   * @throws Error when there is nothing to plot or a metric is unknown; file-system errors.
   */
  async plot(path: string, opts?: PlotOptions): Promise<string> {
    if (typeof path !== "string" || path === "") throw new TypeError("History.plot: expected a file path such as \"curves.svg\"");
    await writeFile(path, await this.svg(opts));
    return path;
  }

  /** The SVG document plot() writes. */
  async svg(opts?: PlotOptions): Promise<string> {
    const spec = this.vegaLiteSpec(opts);
    const vl = await lazyImport<{ compile(spec: object): { spec: object } }>("vega-lite", "History.plot");
    const vega = await lazyImport<{ parse(spec: object): unknown; View: new (rt: unknown, o: object) => { toSVG(): Promise<string>; finalize(): void } }>("vega", "History.plot");
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  }

  /**
   * A terminal chart of one metric (default "loss"), every split on the same axes, with a legend line.
   * @throws Error when the metric has no values.
   */
  ascii(metric = "loss", opts?: AsciiOptions): string {
    const { height = 10, width = 60, color = Boolean(process.stdout.isTTY) } = options("History.ascii", opts, ["height", "width", "color"]);
    const splits = this.splits(metric);
    if (splits.length === 0) throw new Error(`History.ascii: no values for metric "${metric}" (logged: ${this.metrics().join(", ") || "none"})`);
    const chart = lazyRequire<Asciichart>("asciichart", "History.ascii");
    const curves = splits.map((s) => this.series(metric, s));
    const lo = Math.min(...curves.map((c) => c.x[0])), hi = Math.max(...curves.map((c) => c.x[c.x.length - 1]));
    const series = curves.map((c) => resample(c.x, c.y, lo, hi, width));
    const header = `${metric} per ${this.xLabel(metric)} (${lo} … ${hi})`;
    if (!color) {
      // Without colours two curves on one chart can't be told apart: one chart per split, same y range.
      const all = series.flat().filter((v) => !Number.isNaN(v));
      const cfg = { height, min: Math.min(...all), max: Math.max(...all), format: (v: number) => v.toPrecision(4).padStart(10) };
      return [header, ...splits.map((s, i) => `${s}:\n${chart.plot(series[i], cfg)}`)].join("\n");
    }
    const colors = [chart.blue, chart.yellow, chart.green, chart.magenta];
    const plot = chart.plot(series, { height, colors, format: (v) => v.toPrecision(4).padStart(10) });
    const legend = splits.map((s, i) => `${colors[i % colors.length]}── ${s}\u001b[0m`).join("   ");
    return `${header}   ${legend}\n${plot}`;
  }
}

// The curve (x ascending as logged) at n evenly spaced positions in [lo, hi], linearly
// interpolated; positions outside the curve's own range are NaN (asciichart leaves them blank).
function resample(x: number[], y: number[], lo: number, hi: number, n: number): number[] {
  if (x.length === 1) return Array.from({ length: n }, (_, i) => (i === 0 || hi === lo ? y[0] : NaN));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < n; ++i) {
    const at = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
    if (at < x[0] || at > x[x.length - 1]) {
      out.push(NaN);
      continue;
    }
    while (j < x.length - 2 && x[j + 1] < at) ++j;
    const t = x[j + 1] === x[j] ? 0 : (at - x[j]) / (x[j + 1] - x[j]);
    out.push(y[j] + t * (y[j + 1] - y[j]));
  }
  return out;
}
