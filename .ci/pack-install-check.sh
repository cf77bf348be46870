#!/usr/bin/env bash
# Issue 4 end-to-end: build the prebuild, pack, install the tarball into a fresh project with install scripts
# strictly unapproved and no compiler on PATH, then train a small model there through `import * as tg from
# "tensorgrad"`. Set TG_KEEP_TARBALL=<file> to keep the tarball (qemu-check.sh can reuse it).
set -euo pipefail
source "$(dirname "$0")/pack-lib.sh"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
fails=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

echo "== plain npm pack (in a copy of the checkout)"
tgz="$(make_tarball "$tmp/pack" | tail -1)"
echo "tarball: $(basename "$tgz"), $(stat -c %s "$tgz") bytes"
tar -tzf "$tgz" | sort > "$tmp/files.txt"
sed 's/^/  /' "$tmp/files.txt"
if grep -vE '^package/(package\.json|README\.md|LICENSE|CMakeLists\.txt|dist/.*|prebuilds/.*|native/.*)$' "$tmp/files.txt"; then
  fail "tarball holds files outside dist/, prebuilds/, native/, CMakeLists.txt, README.md, LICENSE (listed above)"
else
  pass "tarball holds only the package's files"
fi
grep -qE '^package/prebuilds/linux-x64/tensorgrad\.glibc\.node$' "$tmp/files.txt" \
  && pass "tarball has prebuilds/linux-x64/tensorgrad.glibc.node" || fail "no linux-x64 glibc prebuild in the tarball"
for f in tensorgrad_dist.node libgloo.so.0 licenses/libgloo0.copyright; do
  grep -qx "package/prebuilds/linux-x64/tensorgrad_dist/$f" "$tmp/files.txt" \
    && pass "tarball has prebuilds/linux-x64/tensorgrad_dist/$f" || fail "tarball lacks prebuilds/linux-x64/tensorgrad_dist/$f (tg.distributed)"
done
for f in package/LICENSE package/README.md package/dist/index.js package/dist/index.d.ts; do
  grep -qx "$f" "$tmp/files.txt" || fail "tarball lacks ${f#package/}"
done
manifest="$(tar -xzOf "$tgz" package/package.json)"
if node -e 'const s = JSON.parse(process.argv[1]).scripts ?? {}; process.exit(["preinstall", "install", "postinstall", "prepare"].some((k) => k in s) ? 1 : 0)' "$manifest"; then
  pass "packed package.json has no prepare or install scripts"
else
  fail "packed package.json keeps an install-time script: $(node -p 'JSON.stringify(JSON.parse(process.argv[1]).scripts)' "$manifest")"
fi
grep -q '"prepare"' "$REPO/package.json" && (cd "$tmp/pack/src" && grep -q '"prepare"' package.json) \
  && pass "postpack restored the checkout's package.json" || fail "package.json in the packed checkout lost its prepare script"

echo "== a second npm pack with build/ current compiles nothing"
start2=$SECONDS
(cd "$tmp/pack/src" && npm pack --dry-run --foreground-scripts > "$tmp/repack.log" 2>&1) || { cat "$tmp/repack.log"; fail "second npm pack"; }
if grep -q 'Building CXX' "$tmp/repack.log"; then fail "second npm pack recompiled: $(grep -c 'Building CXX' "$tmp/repack.log") objects"
else pass "second npm pack reused build/ ($((SECONDS - start2)) s)"; fi

echo "== install into a fresh project (strict allowScripts, decoy compilers first on PATH)"
app="$tmp/app"
if install_app "$tgz" "$app" "$tmp/install.log"; then pass "npm install --strict-allow-scripts=true"; else fail "npm install"; fi
sed 's/^/  | /' "$tmp/install.log"
if grep -iE 'warn|err' "$tmp/install.log" | grep -i tensorgrad > /dev/null; then fail "install output warns about tensorgrad"; else pass "no install warning mentions tensorgrad"; fi
if grep -qi allowScripts "$tmp/install.log"; then fail "install output mentions allowScripts"; else pass "nothing asked for allowScripts"; fi
if [ -s "$app/decoys.log" ]; then fail "build tools were called: $(tr '\n' ';' < "$app/decoys.log")"; else pass "no compiler or build tool was called"; fi
[ -e "$app/node_modules/tensorgrad/build" ] && fail "installed package has a build/ directory" || pass "installed package has no build/"

echo "== train in the fresh project"
smoke() {  # smoke LABEL ENV...: run the training script with the given environment
  local label="$1"; shift
  if out="$(run_app "$app" env "$@" EXPECT_PREBUILD=1 node train-smoke.mjs 2>&1)"; then pass "$label: $out"; else fail "$label: $out"; fi
}
smoke "default"
smoke "PREBUILDS_ONLY=1" PREBUILDS_ONLY=1
smoke "TENSORGRAD_CPU=scalar" TENSORGRAD_CPU=scalar EXPECT_ISA=scalar
if grep -qw avx2 /proc/cpuinfo; then smoke "TENSORGRAD_CPU=avx2" TENSORGRAD_CPU=avx2 EXPECT_ISA=avx2; fi

echo "== require(\"tensorgrad\") from CommonJS"
printf 'const tg = require("tensorgrad");\nconsole.log(tg.tensor([1, 2, 3]).sum().item());\n' > "$app/require-smoke.cjs"
if out="$(run_app "$app" node require-smoke.cjs 2>&1)" && [ "$out" = "6" ]; then pass "require(\"tensorgrad\") works: $out"; else fail "require: $out"; fi
echo "== tg.distributed: 2-rank DDP through npx tensorgrad-run, with the system's Gloo hidden"
cp "$REPO/.ci/ddp-smoke.mjs" "$app/"
ddp=(npx --no-install tensorgrad-run --nproc-per-node 2 --master-port 29517 ddp-smoke.mjs)
if [ "$(id -u)" = 0 ] && command -v unshare > /dev/null && [ -e /usr/lib/libgloo.so.0 ]; then
  # A private mount namespace where the system's libgloo is an empty file: loading it would fail.
  hide='mount --bind /dev/null "$(readlink -f /usr/lib/libgloo.so.0)" && exec "$@"'
  if out="$(run_app "$app" unshare -m sh -c "$hide" sh "${ddp[@]}" 2>&1)"; then pass "DDP with system Gloo masked: $out"; else fail "DDP with system Gloo masked: $out"; fi
else
  if out="$(run_app "$app" env LD_LIBRARY_PATH=/nonexistent "${ddp[@]}" 2>&1)"; then pass "DDP (system Gloo not masked: needs root and unshare): $out"; else fail "DDP: $out"; fi
fi

echo "== loader error without a binary"
out="$(run_app "$app" env TENSORGRAD_PREBUILD="$tmp/none" node -e 'import("tensorgrad")' 2>&1 || true)"
if grep -q 'npx --yes cmake-js@8 compile' <<<"$out"; then pass "missing binary gives build-from-source instructions"; else fail "loader error: $out"; fi

[ -n "${TG_KEEP_TARBALL:-}" ] && cp "$tgz" "$TG_KEEP_TARBALL"
echo "pack-install-check: $((SECONDS - start)) s"
if [ "$fails" -eq 0 ]; then echo "PASS pack-install-check"; else echo "FAIL pack-install-check ($fails failed)"; exit 1; fi
