#pragma once
// One persistent, process-wide thread pool shared by every kernel.
//
// Model:
// - The pool owns num_threads()-1 std::threads (no OpenMP, so no libgomp dependency). The thread that calls
//   parallel_for takes part as participant 0. Workers spin briefly after a region, then park on a
//   condition variable.
// - The pool serves one parallel region at a time. The addon is context-aware and may be called from several
//   Node worker_threads at once: a caller that finds the pool busy, or that is itself inside a region (a pool
//   worker or a caller running its own chunk), runs all chunks inline on its own thread. So the pool never
//   oversubscribes the cores, never nests and never deadlocks.
// - The chunk split depends only on (n, grain, num_threads()), never on who runs the chunks, so kernels that
//   reduce per chunk give the same bits whether the region ran in parallel or inline.
// - Chunk c belongs to participant c (cache affinity from call to call), but is claimed before it runs; a
//   participant that has finished takes any chunk not yet claimed. So a worker the OS has not scheduled (the
//   other core busy with another process) costs the region nothing: the caller runs that chunk itself.
// - An exception thrown by f on a worker is caught there and rethrown on the calling thread after the region,
//   as the same standard kind (std::bad_alloc, std::invalid_argument, else std::runtime_error) with the same what().
// - Only symbols of old libstdc++ versions are used (see condvar.h), so a prebuilt addon loads on older distros.
// - The pool is leaked on purpose: its parked workers are never joined at exit, so exit cannot hang on them.
#include <cstdint>
#include <functional>

namespace tg {

// Far above any core count; bounds what set_num_threads may spawn.
constexpr int kMaxThreads = 1024;

int num_threads();
// n >= 1 (smaller values are raised to 1). Resizes the pool; waits for a running region to finish.
// Ignored when called from inside a parallel region.
void set_num_threads(int n);
// env TENSORGRAD_NUM_THREADS if > 0, else min(CPUs in the affinity mask, cgroup CPU quota), at least 1.
int default_num_threads();

// Runs f(begin, end) over [0, n) split into at most num_threads() contiguous chunks of at least `grain` items
// (chunk c is [n*c/k, n*(c+1)/k) for k chunks). Runs inline when n <= grain or num_threads() == 1.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f);

}  // namespace tg
