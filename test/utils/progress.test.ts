// tg.utils.progress: a redrawn bar on a terminal (cli-progress), plain throttled lines elsewhere.
import { spawnSync } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

// A stream that records what is written; `tty` makes it report itself as a terminal (what
// cli-progress checks), as process.stderr does in a terminal.
function sink(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } });
  return { stream: Object.assign(stream, tty ? { isTTY: true, columns: 120 } : {}), text: () => chunks.join("") };
}
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

describe("progress", () => {
  it("wraps an array: yields every item, counts after each body, total from length", () => {
    const out = sink(false);
    const bar = tg.utils.progress(["a", "b", "c"], { desc: "epoch 1", stream: out.stream });
    const seen: [string, number][] = [];
    for (const item of bar) seen.push([item, bar.n]);
    expect(seen).toEqual([["a", 0], ["b", 1], ["c", 2]]);
    expect(bar.n).toBe(3);
    expect(out.text()).toMatch(/^epoch 1: 3\/3 \[\d\d:\d\d<00:00, [\d.]+ it\/s\] 100%\n$/);  // one final line only (interval 10 s)
  });
  it("without a terminal prints a plain line at most every logInterval seconds, postfix included", async () => {
    const out = sink(false);
    const start = performance.now();
    const bar = tg.utils.progress(6, { stream: out.stream, logInterval: 0.05, unit: "batch" });
    for await (const i of bar) {
      bar.setPostfix({ loss: 1 / (i + 1), acc: tg.tensor(0.5) });
      await new Promise((r) => setTimeout(r, 30));
    }
    const elapsed = performance.now() - start;
    const lines = out.text().trim().split("\n");
    // Six updates at least 30 ms apart span more than one 50 ms interval: a throttled line and the
    // last. Timers run late on a loaded machine, so the upper bound comes from the time measured: at
    // most one line per 50 ms, plus the last.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(Math.floor(elapsed / 50) + 1);
    expect(lines.length).toBeLessThan(7);  // not one line per update
    expect(lines[lines.length - 1]).toMatch(/^6\/6 \[\d\d:\d\d<00:00, [\d.]+ batch\/s, loss=0.167, acc=0.5\] 100%$/);
  });
  it("on a terminal draws a bar with count, percentage, elapsed<ETA, rate and postfix", () => {
    const out = sink(true);
    const bar = tg.utils.progress([1, 2, 3, 4], { desc: "train", stream: out.stream });
    for (const _ of bar) bar.setPostfix({ loss: 0.25 });
    const text = plain(out.text());
    expect(text).toMatch(/train: 100%\|█{25}\| 4\/4 \[\d\d:\d\d<00:00, [\d.]+ it\/s, loss=0.25\]/);
  });
  it("manual counting with update(n), unknown totals, break closes the bar", () => {
    const out = sink(false);
    const bar = new tg.utils.Progress(null, { total: 100, unit: "samples", stream: out.stream });
    bar.update(64);
    bar.update(36);
    bar.close();
    bar.close();
    expect(out.text()).toMatch(/^100\/100 \[.* samples\/s\] 100%\n$/);
    const out2 = sink(false);
    function* gen() { yield 1; yield 2; yield 3; }
    const b2 = tg.utils.progress(gen(), { stream: out2.stream });
    for (const x of b2) if (x === 2) break;
    expect(out2.text()).toMatch(/^1 \[\d\d:\d\d, [\d.]+ it\/s\]\n$/);  // no total: no ETA, no percentage
  });
  it("checks its arguments", () => {
    expect(() => tg.utils.progress(5 as never, { totl: 5 } as never)).toThrow(/progress: unknown option "totl"; did you mean "total"/);
    expect(() => tg.utils.progress(null as never)).toThrow("progress: expected an iterable (array, DataLoader, generator) or a count, got null");
    expect(() => tg.utils.progress(-1)).toThrow("progress: a count must be an integer >= 0, got -1");
    expect(() => tg.utils.progress([1], { logInterval: 0 })).toThrow("progress: logInterval must be a number of seconds > 0, got 0");
    expect(tg.utils.formatDuration(3725)).toBe("1:02:05");
    expect(tg.utils.formatDuration(75)).toBe("01:15");
  });
  it("in a child process whose stderr is a pipe (as in CI), the default writes plain lines to stderr", () => {
    const dist = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
    const script = `const tg = await import(${JSON.stringify(dist)}); for (const _ of tg.utils.progress(3, {desc: "ci"})) {}`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ci: 3\/3 \[\d\d:\d\d<00:00, [\d.]+ it\/s\] 100%\n$/);
  });
});
