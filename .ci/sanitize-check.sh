#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into build-sanitize/ and runs
# the whole test suite once against it (the default kernel path). Any report aborts the test
# process (-fno-sanitize-recover=undefined; ASan always halts), so a green run means no report.
# The regular build/Release addon is put back afterwards.
# Flags as /work/shared/TOOLCHAIN.md §7: cmake-js appends its own CMAKE_CXX_FLAGS, so the sanitizer
# flags go in CMAKE_CXX_FLAGS_RELEASE and CMAKE_SHARED_LINKER_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
flags="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
start=$SECONDS
npx cmake-js compile -O build-sanitize -l warn -p "$(nproc)" \
  --CDCMAKE_CXX_FLAGS_RELEASE="$flags" --CDCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
addon=build-sanitize/Release/tensorgrad.node
# grep without -q reads all of nm's output: with pipefail, `grep -q` quitting at the first match could
# kill nm with SIGPIPE and fail the pipeline although the symbol is there.
if ! nm -D "$addon" | grep __asan_report > /dev/null; then
  echo "sanitize-check: the sanitizer flags did not reach the compiler ($addon has no ASan symbols)"
  exit 1
fi
echo "sanitize-check: built in $((SECONDS - start)) s"
keep="$(mktemp -d)"
cp build/Release/tensorgrad.node "$keep/"
trap 'cp "$keep/tensorgrad.node" build/Release/tensorgrad.node; rm -rf "$keep"' EXIT
cp "$addon" build/Release/tensorgrad.node
start=$SECONDS
# detect_leaks=0: V8 owns tensor memory; allocator_may_return_null=1: a boundary test asks for 2^40
# elements and expects a RangeError; quarantine_size_mb=4: the default quarantine breaks the memory test.
LD_PRELOAD="$(g++ -print-file-name=libasan.so)" \
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:quarantine_size_mb=4 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  npx vitest run "$@"
echo "sanitize-check: suite ran in $((SECONDS - start)) s with no sanitizer report"
