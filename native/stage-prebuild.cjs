#!/usr/bin/env node
// `npm pack` step (prepack, after the incremental `npm run build`): puts the addon that build/ holds
// into prebuilds/<platform>-<arch>/ under the name node-gyp-build selects at run time
// (tensorgrad.glibc.node on glibc Linux), stripped as prebuildify --strip does. Reusing build/ is
// what keeps `npm pack` from compiling the addon again from scratch; `npm run prebuildify` remains
// the clean-room build for release machines.
const { copyFileSync, mkdirSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
const built = join(root, "build", "Release", "tensorgrad.node");
// node-gyp-build's libc tag: glibc or musl on Linux, none elsewhere.
const libc = process.platform !== "linux" ? null : process.report.getReport().header.glibcVersionRuntime ? "glibc" : "musl";
const dir = join(root, "prebuilds", `${process.platform}-${process.arch}`);
const target = join(dir, libc ? `tensorgrad.${libc}.node` : "tensorgrad.node");

mkdirSync(dir, { recursive: true });
copyFileSync(built, target);
if (process.platform !== "win32") {
  const strip = spawnSync("strip", process.platform === "darwin" ? ["-Sx", target] : ["--strip-all", target], { stdio: "inherit" });
  if (strip.status !== 0) console.warn(`stage-prebuild: strip failed (${strip.error?.message ?? `exit ${strip.status}`}); packing the unstripped addon`);
}
console.log(`stage-prebuild: ${target}`);
