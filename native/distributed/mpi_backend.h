// The optional MPI backend: the same jobs as Gloo's, run with MPI calls on the process group's
// communication thread. Compiled in only where CMake found MPI and TENSORGRAD_WITH_MPI=1 was set
// (TG_WITH_MPI); otherwise init() throws saying how to build it.
#pragma once

#include <cstdint>

#include "distributed/process_group.h"

namespace tg::dist::mpi {

// MPI_Init_thread (MPI_THREAD_MULTIPLE) on the calling thread; checks that MPI's rank and size are
// the ones JS was given (from mpirun's environment).
void init(int rank, int size);
// Every rank's n int64 values, rank-major, into out (for agree()).
void allgather(const int64_t* in, int64_t* out, int n);
void run(Job& job, int size);
void finalize();

}  // namespace tg::dist::mpi
