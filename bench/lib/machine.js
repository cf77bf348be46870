// What the numbers were measured on: CPU model, cores and feature flags (lscpu), Node, load, and the fp32 FMA peak
// per core measured by bench/lib/peak_fma.cc (or the ANCHORS figure when no compiler is present).
import { execFileSync } from "node:child_process";
import os from "node:os";
import { buildTool, runJson } from "./native-tool.js";

const ANCHOR_PEAK_PER_CORE = 166; // ../shared/ANCHORS.md beside the checkout, AVX-512 FMA, 1 core

function lscpu() {
  try {
    const out = execFileSync("lscpu", { encoding: "utf8" });
    const field = (name) => out.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1].trim();
    return {
      model: field("Model name") ?? os.cpus()[0]?.model,
      cpus: Number(field("CPU\\(s\\)")) || os.cpus().length,
      flags: new Set((field("Flags") ?? "").split(/\s+/)),
    };
  } catch {
    return { model: os.cpus()[0]?.model ?? "unknown", cpus: os.cpus().length, flags: new Set() };
  }
}

export function machineInfo() {
  const cpu = lscpu();
  const tool = buildTool("lib/peak_fma.cc");
  const peak = tool.bin ? runJson(tool.bin, []) : tool;
  const measured = peak.gflopsPerCore > 0;
  return {
    ...cpu,
    node: process.version,
    loadAvg: os.loadavg()[0],
    peakPerCore: measured ? peak.gflopsPerCore : ANCHOR_PEAK_PER_CORE,
    peakSource: measured
      ? `measured: ${peak.isa} FMA loop, 12 chains, best of 5 (wall ${peak.gflopsWall})`
      : `ANCHORS.md figure (${peak.skipped ?? "peak program failed"})`,
  };
}
