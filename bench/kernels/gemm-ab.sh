#!/bin/sh
# Builds bench/kernels/gemm_ab.cc against the working tree's GEMM sources and Debian's OpenBLAS, then runs
# it at 1 and 2 threads. Usage: bench/kernels/gemm-ab.sh [M:N:K:TA:TB ...]  (default: the bench's GEMM rows
# below 1024 plus the MLP shapes). OPENBLAS_CORETYPE is chosen as bench/peers/openblas.js chooses it (an
# inherited value is overridden: Debian's 0.3.21 misreads newer CPUs); BENCH_OPENBLAS_CORETYPE forces one.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/bench/.cache/gemm_ab"
mkdir -p "$root/bench/.cache"
g++ -std=c++17 -O3 -fno-math-errno -I"$root/native" "$root/bench/kernels/gemm_ab.cc" "$root"/native/kernels/gemm/*.cc \
  "$root/native/runtime/cpu.cc" "$root/native/runtime/threadpool.cc" -lopenblas -lpthread -o "$out"
if [ -n "$BENCH_OPENBLAS_CORETYPE" ]; then export OPENBLAS_CORETYPE=$BENCH_OPENBLAS_CORETYPE
elif grep -q avx512bw /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
elif grep -q avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
echo "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"
shapes=${*:-"64:64:64:0:0 128:128:128:0:0 256:256:256:0:0 512:512:512:0:0 64:64:64:1:0 64:64:64:0:1 256:256:256:1:0 256:256:256:0:1 128:512:784:0:0 784:512:128:1:0 128:784:512:0:1"}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in 1 2; do "$out" "$t" $shapes; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
