// tg.utils: progress bars and training-curve history (their libraries load on first use).
export { progress, Progress, formatDuration, type ProgressOptions, type Postfix } from "./progress.js";
export { History, type HistoryRecord, type LogAt, type PlotOptions, type AsciiOptions } from "./history.js";
