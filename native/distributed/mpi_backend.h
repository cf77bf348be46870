// The optional MPI backend: the same jobs as Gloo's, run with MPI calls on the process group's
// communication thread. Compiled in only where CMake found MPI and TENSORGRAD_WITH_MPI=1 was set
// (TG_WITH_MPI); otherwise init() throws saying how to build it.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "distributed/process_group.h"

namespace tg::dist::mpi {

// MPI_Init_thread (MPI_THREAD_MULTIPLE) on the calling thread; checks that MPI's rank and size are
// the ones JS was given (from mpirun's environment).
void init(int rank, int size);
using Deadline = std::chrono::steady_clock::time_point;

// agree()'s exchange: sends this rank's row of `rows` (n int64 each, rank-major) to every other
// rank and receives theirs, with `tag` as the sequence number. Returns the ranks whose row had not
// come by the deadline (empty when all came).
std::vector<int> exchange(int64_t* rows, int n, uint32_t tag, Deadline deadline);
// Runs a job's data exchange with MPI's nonblocking collectives. MPI cannot cancel a collective:
// past the deadline it throws and sets job.stranded, since MPI may still write the job's buffers;
// the group is unusable from then on, and finalize() leaves MPI as it is (MPI_Finalize would wait
// for the stranded collective).
void run(Job& job, int size, Deadline deadline);
void finalize();

}  // namespace tg::dist::mpi
