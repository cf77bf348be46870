// memoryStats().hits counts the large tensors whose memory was already faulted in. Two cases it used to
// get wrong: a block at an address emptyCache() had handed back the pages of (counted a hit); and every
// block when glibc's heap cannot grow (a mapping lies just above the break; V8 puts one there in about
// 1 % of Node processes on this machine), where malloc maps the main arena's growth outside the heap and
// the unmoved break read as reuse. A preloaded shim (block-heap.c, built here with the system's C
// compiler) blocks the heap in a child process.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { hasDist, heapProbe, underAsan } from "./heap-probe.js";

function buildShim(): string | undefined {
  const out = join(mkdtempSync(join(tmpdir(), "tg-block-heap-")), "block-heap.so");
  try {
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", out, fileURLToPath(new URL("block-heap.c", import.meta.url))]);
    return out;
  } catch (e) {
    if (process.env.CI) throw new Error(`blocked-heap test: cannot build the shim with cc: ${(e as Error).message}`);
    return undefined;
  }
}
const shim = process.platform === "linux" && hasDist && !underAsan ? buildShim() : undefined;

// 32 MiB tensors made by `make` (tg.ones: malloc; tg.zeros: calloc, which clears a reused block itself, and
// leaves fresh memory untouched: each is written once made, as a tensor in use is):
// fresh; the first's block again; fresh (the second holds that block); then, after emptyCache() handed back
// the pages of the freed second block (the third, alive above it, keeps the heap from shrinking there), a
// 64 MiB tensor from the heap's top, and the second's block once more: fresh pages at a reused address.
const sequence = (make: string) => `
    const hits = () => tg.memoryStats().hits, h0 = hits();
    const a = tg.${make}([8 << 20]).fill_(2);
    const fresh = hits() - h0;
    a.dispose();
    const b = tg.${make}([8 << 20]).fill_(2);
    const reused = hits() - h0 - fresh;
    const c = tg.${make}([8 << 20]).fill_(2);
    const third = hits() - h0 - fresh - reused;
    b.dispose();
    tg.emptyCache();
    const top = tg.${make}([16 << 20]).fill_(2);
    const h1 = hits();
    const d = tg.${make}([8 << 20]).fill_(2);
    const afterEmpty = hits() - h1;
    const heapMiB = heapBytes() / 2 ** 20;
    c.dispose(), d.dispose(), top.dispose();
    return { fresh, reused, third, afterEmpty, heapMiB };`;

it.skipIf(!shim).each(["ones", "zeros"])("with the heap blocked, fresh large tensors are not hits and reused ones are (tg.%s)", (make) => {
  const r = heapProbe(sequence(make), { LD_PRELOAD: shim! }, true);
  expect(r.heapMiB).toBeLessThan(16);  // the shim did block the heap (else this tests the usual path)
  expect(r).toMatchObject({ fresh: 0, reused: 1, third: 0, afterEmpty: 0 });
});

it.skipIf(!hasDist || underAsan || process.platform !== "linux").each(["ones", "zeros"])("on the usual heap too, memory that emptyCache() handed back is not a hit (tg.%s)", (make) => {
  const r = heapProbe(sequence(make));
  expect(r.heapMiB).toBeGreaterThan(64);  // the heap grew: this is the usual path
  expect(r).toMatchObject({ fresh: 0, reused: 1, third: 0, afterEmpty: 0 });
});
