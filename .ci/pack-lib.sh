# Shared by pack-install-check.sh and qemu-check.sh (source it; needs bash, `set -euo pipefail`).
# Builds in a scratch copy of the checkout, so the working tree's build/ and prebuilds/ stay untouched.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# make_tarball DEST: copy the checkout (tracked and not-ignored files) and run a plain `npm pack` there, as a
# maintainer would: its prepack builds (cmake-js compile, incremental; tsc), stages build/'s addon as
# prebuilds/<platform>-<arch>/tensorgrad.glibc.node (native/stage-prebuild.cjs), and clean-package drops the
# repo-only `prepare` script and devDependencies from the packed package.json (postpack restores it). Why drop
# `prepare`: npm 11 counts it as an install script of a package installed from a file or URL (not from the
# registry), so a user installing this tarball with --strict-allow-scripts=true would be refused.
# Prints the tarball's path last; the pack log is DEST/pack.log.
make_tarball() {
  local dest="$1" src="$1/src"
  mkdir -p "$src"
  (cd "$REPO" && git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$src"
  ln -s "$REPO/node_modules" "$src/node_modules"
  if ! (cd "$src" && npm pack --foreground-scripts --pack-destination "$dest" > "$dest/pack.log" 2>&1); then
    cat "$dest/pack.log" >&2
    return 1
  fi
  ls "$dest"/tensorgrad-*.tgz
}

# install_app TARBALL DIR LOG: a fresh project in DIR with the tarball installed as a user would (no
# approved scripts, strict), with failing decoys for every compiler/build tool first on PATH.
install_app() {
  local tgz="$1" app="$2" log="$3"
  mkdir -p "$app/decoys"
  for tool in cmake make ninja gcc g++ cc c++ clang clang++ node-gyp; do
    printf '#!/bin/sh\necho "%s $*" >> "%s/decoys.log"\nexit 1\n' "$tool" "$app" > "$app/decoys/$tool"
    chmod +x "$app/decoys/$tool"
  done
  printf '{ "name": "app", "version": "1.0.0", "private": true, "type": "module" }\n' > "$app/package.json"
  cp "$REPO/.ci/train-smoke.mjs" "$app/"
  (cd "$app" && PATH="$app/decoys:$PATH" npm install --strict-allow-scripts=true --foreground-scripts \
    --prefer-offline --no-audit --no-fund "$tgz" > "$log" 2>&1)
}

# In DIR, with the decoys first on PATH.
run_app() {
  local app="$1"; shift
  (cd "$app" && PATH="$app/decoys:$PATH" "$@")
}
