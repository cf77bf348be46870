// Checkpoints across processes: a save killed with SIGKILL at random moments never leaves a file
// that fails to load or mixes two versions, and a run resumed in a fresh process from a checkpoint
// ends bit-identical to an uninterrupted one. The children run the compiled library (dist/).
import { describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, watch, type FSWatcher } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";
import type { Tensor } from "../../lib/tensor.js";

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
if (!existsSync(fileURLToPath(new URL("../../dist/index.js", import.meta.url))))
  throw new Error("checkpoint-process tests run the compiled library: dist/ is missing; run `npm run build:ts`");
const dir = mkdtempSync(join(tmpdir(), "tg-ckpt-"));

// Starts the save loop, waits until it reports version `after` saved, then SIGKILLs it: `when` ms later (the
// next save is then under way, or between steps), or, for "tmp", as soon as the next save's temporary file
// appears, so that kill lands inside the write whatever the machine's speed (a timed kill can miss every
// write where a save's write and fsync take a small part of its time).
function killMidSave(path: string, after: number, when: number | "tmp"): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture("save-loop.mjs"), path], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "", out = "", armed = false, watcher: FSWatcher | undefined;
    const kill = () => child.kill("SIGKILL");
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (armed || !out.split("\n").includes(String(after))) return;
      armed = true;
      // (A file system that reports no events still gets its kill, a second later, rather than a hang.)
      if (when === "tmp") watcher = watch(dirname(path), (_event, file) => file?.endsWith(".tmp") && kill());
      setTimeout(kill, when === "tmp" ? 1000 : when);
    });
    child.on("exit", (code, signal) => {
      watcher?.close();
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`save loop exited ${code}: ${err}`));
    });
  });
}

describe("atomic saves (kill -9 while saving in a loop)", () => {
  it("after every kill the file loads and holds exactly one version", async () => {
    const loopDir = join(dir, "loop");
    mkdirSync(loopDir);
    const path = join(loopDir, "loop.safetensors");
    const versions = new Set<number>();
    for (let round = 0; round < 10; ++round) {
      await killMidSave(path, round % 3, round % 2 ? "tmp" : (round * 7) % 5);
      const ck = tg.load(path) as Record<string, Tensor>;
      const k = ck.k.item();
      expect(tg.loadMetadata(path)).toEqual({ k: String(k) });
      expect(ck.w.shape).toEqual([512, 256]);
      expect([ck.w.min().item(), ck.w.max().item()]).toEqual([k, k]);
      versions.add(k);
    }
    // Each kill came after version round % 3 was saved, so the file holds that one or a later one.
    expect(versions.size).toBeGreaterThan(1);
    // What a kill leaves: only temporary files beside the target, never a partial target. At least one
    // kill landed mid-save (it left its temporary file), so the test exercised a torn write.
    const others = readdirSync(loopDir).filter((f) => f !== "loop.safetensors");
    for (const f of others) expect(f).toMatch(/^\.loop\.safetensors\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(others.length).toBeGreaterThan(0);
  });
});

describe("resume from a checkpoint in a fresh process", () => {
  it("train 10 steps == train 5, save model+optimizer+scheduler+shuffle state, load in a new process, train 5 (bit for bit)", () => {
    const run = (...args: string[]) => execFileSync(process.execPath, [fixture("resume.mjs"), ...args], { encoding: "utf8", timeout: 60_000 });
    const full = join(dir, "full.safetensors"), ckpt = join(dir, "half.safetensors"), resumed = join(dir, "resumed.safetensors");
    run("full", full);
    run("first", ckpt);
    run("second", ckpt, resumed);
    const a = tg.load(full) as Record<string, Record<string, unknown>>, b = tg.load(resumed) as typeof a;
    // The run really moved: the checkpoint differs from the end state, Adam took 10 steps, lr halved twice.
    expect(Buffer.compare(readFileSync(ckpt), readFileSync(full))).not.toBe(0);
    expect((a.optimizer.state as Record<number, { step: number }>)[0].step).toBe(10);
    expect((a.scheduler as { lastEpoch: number }).lastEpoch).toBe(2);
    // Every byte equal: weights, Adam moments, step counts, lr, scheduler and generator state.
    expect(Buffer.compare(readFileSync(resumed), readFileSync(full))).toBe(0);
    for (const [k, t] of Object.entries(a.model as Record<string, Tensor>))
      expect(Buffer.from((b.model[k] as Tensor).data().buffer).equals(Buffer.from(t.data().buffer))).toBe(true);
  });
});
