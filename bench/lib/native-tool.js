// Builds the bench's small C++ programs into bench/.cache/ (only when the source changed) and runs
// them. A missing compiler or library is reported as a reason string, never thrown.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = join(BENCH_DIR, ".cache");

export function hasCommand(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

// Path of the built binary, or { skipped: reason }.
export function buildTool(source, libs = []) {
  if (!hasCommand("g++")) return { skipped: "g++ not found" };
  const src = join(BENCH_DIR, source), bin = join(CACHE, basename(source, ".cc"));
  if (existsSync(bin) && statSync(bin).mtimeMs > statSync(src).mtimeMs) return { bin };
  mkdirSync(CACHE, { recursive: true });
  const r = spawnSync("g++", ["-O2", src, "-o", bin, ...libs], { encoding: "utf8" });
  if (r.status !== 0) return { skipped: `g++ ${basename(source)} ${libs.join(" ")} failed: ${firstLine(r.stderr)}` };
  return { bin };
}

// Runs a program that prints one JSON line last; returns the parsed object or { skipped: reason }.
export function runJson(cmd, args, env = {}) {
  try {
    const out = execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 24 });
    const line = out.trim().split("\n").reverse().find((l) => l.startsWith("{"));
    return line ? JSON.parse(line) : { skipped: `${basename(cmd)} printed no JSON` };
  } catch (e) {
    return { skipped: `${basename(cmd)} ${args[0] ?? ""} failed: ${firstLine(e.stderr || e.message)}` };
  }
}

const firstLine = (s) => String(s).trim().split("\n").filter(Boolean).at(-1)?.slice(0, 160) ?? "";
