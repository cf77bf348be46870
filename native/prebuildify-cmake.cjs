#!/usr/bin/env node
// Stand-in for node-gyp under prebuildify (`--node-gyp`), so CMakeLists.txt stays the only build description.
// prebuildify runs: <this> rebuild --target=V --devdir=D --arch=A --release|--debug. The target and devdir
// are for node-gyp's header download; cmake-js uses node-api-headers (package.json "binary.napi_versions").
const { spawnSync } = require("node:child_process");

const args = process.argv.slice(2);
const arch = args.find((a) => a.startsWith("--arch="))?.slice("--arch=".length);
const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
const cmd = [cmakeJs, "rebuild", "-l", "warn"];
if (args.includes("--debug")) cmd.push("--debug");
if (arch) cmd.push("--arch", arch);

const run = spawnSync(process.execPath, cmd, { stdio: "inherit" });
if (run.status === 0 && process.platform === "linux") require("./distributed/bundle-prebuild.cjs").bundle(process.cwd(), process.platform, arch ?? process.arch);
process.exit(run.status ?? 1);
