#include "distributed/mpi_backend.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef TG_WITH_MPI
#include <mpi.h>
#endif

namespace tg::dist::mpi {

#ifdef TG_WITH_MPI
namespace {

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char msg[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, msg, &len);
  throw std::runtime_error(std::string(what) + ": " + std::string(msg, size_t(len)));
}

MPI_Datatype type_of(Elem e) { return e == Elem::F64 ? MPI_DOUBLE : e == Elem::I32 ? MPI_INT : MPI_FLOAT; }
MPI_Op op_of(ReduceOp o) { return o == ReduceOp::Max ? MPI_MAX : o == ReduceOp::Min ? MPI_MIN : MPI_SUM; }

// MPI counts are int: larger jobs go in pieces.
constexpr size_t kMaxCount = size_t(1) << 30;

template <class T>
void divide(void* data, size_t n, int size) {
  T* p = static_cast<T*>(data);
  for (size_t i = 0; i < n; ++i) p[i] /= T(size);
}

}  // namespace

void init(int rank, int size) {
  int done = 0;
  MPI_Finalized(&done);
  if (done) throw std::runtime_error("MPI was finalized by an earlier destroyProcessGroup(); MPI cannot start twice in one process");
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided), "MPI_Init_thread");
  check(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
  int r = 0, s = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  if (r != rank || s != size)
    throw std::runtime_error("MPI says rank " + std::to_string(r) + " of " + std::to_string(s) + ", but initProcessGroup was given rank " +
                             std::to_string(rank) + " of " + std::to_string(size) + "; start the job with mpirun and leave rank/worldSize out");
}

void allgather(const int64_t* in, int64_t* out, int n) {
  check(MPI_Allgather(in, n, MPI_INT64_T, out, n, MPI_INT64_T, MPI_COMM_WORLD), "MPI_Allgather");
}

void run(Job& job, int size) {
  const MPI_Datatype t = type_of(job.elem);
  const size_t esize = job.elem == Elem::F64 ? 8 : 4;
  auto* data = static_cast<char*>(job.data);
  switch (job.kind) {
    case Kind::AllReduce:
      for (size_t at = 0; at < job.count; at += kMaxCount)
        check(MPI_Allreduce(MPI_IN_PLACE, data + at * esize, int(std::min(kMaxCount, job.count - at)), t, op_of(job.op), MPI_COMM_WORLD), "MPI_Allreduce");
      if (job.op == ReduceOp::Avg) job.elem == Elem::F64 ? divide<double>(data, job.count, size) : divide<float>(data, job.count, size);
      break;
    case Kind::Broadcast:
      for (size_t at = 0; at < job.count; at += kMaxCount)
        check(MPI_Bcast(data + at * esize, int(std::min(kMaxCount, job.count - at)), t, job.root, MPI_COMM_WORLD), "MPI_Bcast");
      break;
    case Kind::AllGather:
      if (job.count > kMaxCount) throw std::runtime_error("allGather with MPI: at most 2^30 elements per rank");
      check(MPI_Allgather(data, int(job.count), t, job.out, int(job.count), t, MPI_COMM_WORLD), "MPI_Allgather");
      break;
    case Kind::ReduceScatter:
      if (job.out_count > kMaxCount) throw std::runtime_error("reduceScatter with MPI: at most 2^30 elements per rank");
      check(MPI_Reduce_scatter_block(data, job.out, int(job.out_count), t, op_of(job.op), MPI_COMM_WORLD), "MPI_Reduce_scatter_block");
      if (job.op == ReduceOp::Avg) job.elem == Elem::F64 ? divide<double>(job.out, job.out_count, size) : divide<float>(job.out, job.out_count, size);
      break;
    default: break;
  }
}

void finalize() {
  int done = 0;
  MPI_Finalized(&done);
  if (!done) MPI_Finalize();
}

#else

void init(int, int) {
  throw std::runtime_error(
      "the \"mpi\" backend is not part of this build of tensorgrad: install MPI (Debian: apt-get install libopenmpi-dev "
      "openmpi-bin) and rebuild from source with TENSORGRAD_WITH_MPI=1 npx cmake-js compile; or use backend \"gloo\"");
}
void allgather(const int64_t*, int64_t*, int) {}
void run(Job&, int) {}
void finalize() {}

#endif

}  // namespace tg::dist::mpi
