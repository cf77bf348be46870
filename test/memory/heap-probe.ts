// Runs a probe of glibc's heap in a fresh Node process over dist/, where the process's growth of the heap
// can be read off /proc/self/maps. In about 1 % of Node processes on this machine one of V8's mappings
// lies just above the break, and the heap cannot grow at all (malloc then maps its growth elsewhere): what
// a probe measures about heap growth is then not there to measure, so that process is replaced by another.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const dist = new URL("../../dist/index.js", import.meta.url);
export const hasDist = existsSync(fileURLToPath(dist));
if (process.env.CI && !hasDist) throw new Error("heap probes: dist/ is missing; the install should have built it");
// Under AddressSanitizer (CI's sanitize step) malloc is ASan's own, which never grows glibc's heap.
export const underAsan = (process.env.LD_PRELOAD ?? "").includes("libasan");

// The child: `room()` is the free address space above the heap's top, in bytes (0 without a heap);
// `heapBytes()`, for the probe's body too, the heap's size, from its first [heap] mapping to the end of its
// last (huge-page advice splits it in several).
const child = (body: string) => `
  const fs = require("node:fs");
  const maps = () => fs.readFileSync("/proc/self/maps", "utf8").split("\\n").filter(Boolean)
    .map((l) => ({ l, r: l.split(" ")[0].split("-").map((x) => parseInt(x, 16)) }));
  const heapMaps = () => maps().filter((m) => m.l.endsWith("[heap]"));
  const heapBytes = () => { const h = heapMaps(); return h.length ? h[h.length - 1].r[1] - h[0].r[0] : 0; };
  const room = () => {
    const h = heapMaps();
    if (!h.length) return 0;
    const top = h[h.length - 1].r[1], above = maps().filter((m) => m.r[0] >= top).map((m) => m.r[0]);
    return above.length ? Math.min(...above) - top : Infinity;
  };
  import(${JSON.stringify(dist.href)}).then((tg) => {
    const before = room();
    const value = (() => { ${body} })();
    console.log(JSON.stringify({ blocked: before < 2 ** 29 || room() < 2 ** 20, value }));
  });`;

/**
 * The value `body` returns (JSON), run with `tg`, `fs` and `heapBytes()` in scope in a child process whose heap had at least 512 MiB
 * to grow into and was not stopped by a mapping; up to 6 processes are tried. `anyHeap` takes the first
 * process whatever its heap (for probes of a heap that is blocked on purpose).
 */
export function heapProbe(body: string, env: Record<string, string> = {}, anyHeap = false): any {
  for (let tries = 0; ; ++tries) {
    const out = execFileSync(process.execPath, ["-e", child(body)], { encoding: "utf8", env: { ...process.env, ...env } });
    const { blocked, value } = JSON.parse(out);
    if (anyHeap || !blocked) return value;
    if (tries === 5) throw new Error("heapProbe: 6 processes in a row had no room to grow the heap");
  }
}
