#!/usr/bin/env bash
# Portability of the linux-x64 prebuild: run the training smoke test under user-mode QEMU on CPUs without
# AVX2/AVX-512 (qemu64) and with AVX2 only (Haswell). Any AVX2/AVX-512 instruction outside the dispatched
# kernels dies there with SIGILL. Also lists the glibc/libstdc++ symbol versions the binary needs.
# Usage: .ci/qemu-check.sh [tarball]   (without one, builds it like pack-install-check.sh)
set -euo pipefail
source "$(dirname "$0")/pack-lib.sh"

start=$SECONDS
if ! command -v qemu-x86_64 > /dev/null; then
  (apt-get install -y qemu-user > /dev/null 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y qemu-user > /dev/null 2>&1; }) || true
fi
if ! command -v qemu-x86_64 > /dev/null; then
  echo "SKIP qemu-check: qemu-user is not installed and apt-get could not install it"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

tgz="${1:-}"
[ -n "$tgz" ] || tgz="$(make_tarball "$tmp/pack" | tail -1)"
app="$tmp/app"
install_app "$(realpath "$tgz")" "$app" "$tmp/install.log" || { cat "$tmp/install.log"; echo "FAIL qemu-check: install"; exit 1; }
node_bin="$(command -v node)"

smoke() {  # smoke CPU ISA [ENV...]: the training script under qemu-x86_64 -cpu CPU must pick ISA
  local cpu="$1" isa="$2"; shift 2
  local t0=$SECONDS out
  if out="$(run_app "$app" env "$@" EXPECT_ISA="$isa" EXPECT_PREBUILD=1 qemu-x86_64 -cpu "$cpu" "$node_bin" train-smoke.mjs 2>&1 | grep -v "TCG doesn't support requested feature")"; then
    pass "-cpu $cpu $* -> $isa ($((SECONDS - t0)) s): $out"
  else
    fail "-cpu $cpu $* (expected $isa): $out"
  fi
}
smoke qemu64 scalar
smoke Haswell avx2
smoke Haswell avx2 TENSORGRAD_CPU=avx512

echo "== symbol versions needed by the prebuild"
bin="$(ls "$app"/node_modules/tensorgrad/prebuilds/linux-x64/*.node)"
objdump -T "$bin" | grep -oE '(GLIBC|GLIBCXX|CXXABI)_[0-9.]+' | sort -uV | tr '\n' ' '; echo
for lib in GLIBC GLIBCXX CXXABI; do
  top="$(objdump -T "$bin" | grep -oE "${lib}_[0-9.]+" | sort -uV | tail -1)"
  echo "highest $lib: $top (needed by: $(objdump -T "$bin" | grep "($top)" | awk '{print $NF}' | tr '\n' ' '))"
done

echo "qemu-check: $((SECONDS - start)) s"
if [ "$fails" -eq 0 ]; then echo "PASS qemu-check"; else echo "FAIL qemu-check ($fails failed)"; exit 1; fi
