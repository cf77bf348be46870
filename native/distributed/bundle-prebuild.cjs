// Puts tg.distributed's prebuild together after the CMake build (called by prebuildify-cmake.cjs):
// prebuilds/<platform>-<arch>/tensorgrad_dist/ gets tensorgrad_dist.node, every shared library it
// needs beyond the C/C++ runtime (libgloo.so.0 and, through it, libhiredis, libibverbs, libnl), and
// those libraries' Debian copyright files under licenses/. The addon's RPATH is $ORIGIN (CMakeLists.txt),
// so it finds them there and needs no system Gloo. Without a built addon (no Gloo), the folder is removed.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

// Libraries every Linux system has: never bundled (the C and C++ runtimes must be the process's own).
const SYSTEM = /^(linux-vdso|ld-linux|libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s)\.so/;

function bundle(root, platform, arch) {
  const addon = path.join(root, "build", "Release", "dist", "tensorgrad_dist.node");
  const dest = path.join(root, "prebuilds", `${platform}-${arch}`, "tensorgrad_dist");
  fs.rmSync(dest, { recursive: true, force: true });
  if (!fs.existsSync(addon)) {
    console.warn("tensorgrad: Gloo was not found at build time, so the prebuild has no tg.distributed (apt-get install libgloo-dev)");
    return;
  }
  fs.mkdirSync(path.join(dest, "licenses"), { recursive: true });
  fs.copyFileSync(addon, path.join(dest, "tensorgrad_dist.node"));
  execFileSync("strip", ["--strip-all", path.join(dest, "tensorgrad_dist.node")]);
  const ldd = execFileSync("ldd", [addon], { encoding: "utf8" });
  for (const m of ldd.matchAll(/^\s*(\S+) => (\/\S+)/gm)) {
    const [, soname, file] = m;
    if (SYSTEM.test(soname)) continue;
    fs.copyFileSync(fs.realpathSync(file), path.join(dest, soname));
    licence(file, path.join(dest, "licenses"));
  }
}

// The Debian copyright file of the package that ships `file` (BSD for Gloo; see README "Licences").
function licence(file, dir) {
  const real = fs.realpathSync(file);
  // With merged /usr, dpkg may know the file under /lib or /usr/lib.
  for (const f of new Set([file, real, real.replace(/^\/usr\//, "/"), `/usr${real}`])) {
    try {
      const pkg = execFileSync("dpkg", ["-S", f], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split(":")[0];
      fs.copyFileSync(`/usr/share/doc/${pkg}/copyright`, path.join(dir, `${pkg}.copyright`));
      return;
    } catch {
      // try the next spelling
    }
  }
  console.warn(`tensorgrad: no licence file found for ${file}; add it to prebuilds by hand`);
}

module.exports = { bundle };
