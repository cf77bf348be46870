#include "distributed/mpi_backend.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "distributed/elementwise.h"

#ifdef TG_WITH_MPI
#include <mpi.h>
#endif

namespace tg::dist::mpi {

#ifdef TG_WITH_MPI
namespace {

// The communicator of agree()'s headers, apart from the collectives' MPI_COMM_WORLD.
MPI_Comm g_headers = MPI_COMM_NULL;
// Set once a collective was left running past its deadline: MPI_Finalize would wait for it.
bool g_stranded = false;
// exchange()'s rows while MPI owns them (replaced, not freed, when MPI may still write them).
std::vector<int64_t>* g_rows = new std::vector<int64_t>();
// reduceScatter's contiguous send buffer, kept between calls (and never freed once stranded).
std::vector<char>* g_scratch = new std::vector<char>();

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

// AVG's division of the job's float32 or float64 elements by the world size.
void divide_by(Elem e, void* data, size_t n, int size) {
  if (e == Elem::F64) divide(static_cast<double*>(data), n, double(size));
  else divide(static_cast<float*>(data), n, float(size));
}

// Polls the requests until all are done or the deadline passes (MPI's blocking calls cannot time
// out). Spins briefly, then sleeps a little longer each round, at most 200 us, so a long wait does
// not take a core from the compute threads. Returns whether all completed.
bool wait_all(std::vector<MPI_Request>& reqs, Deadline deadline, const char* what) {
  auto nap = std::chrono::microseconds(1);
  for (int spins = 0;; ++spins) {
    int done = 0;
    check(MPI_Testall(int(reqs.size()), reqs.data(), &done, MPI_STATUSES_IGNORE), what);
    if (done) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (spins > 100) {
      std::this_thread::sleep_for(nap);
      nap = std::min(nap * 2, std::chrono::microseconds(200));
    }
  }
}

// One nonblocking collective, waited for until the deadline.
void finish(MPI_Request req, Job& job, Deadline deadline, const char* what) {
  std::vector<MPI_Request> reqs{req};
  if (wait_all(reqs, deadline, what)) return;
  g_stranded = job.stranded = true;
  throw std::runtime_error(std::string("timed out in ") + what +
                           " after every rank had agreed to it (a rank stalled mid-transfer); MPI cannot cancel a "
                           "collective, so this process group is unusable and its buffers stay allocated");
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
  check(MPI_Comm_dup(MPI_COMM_WORLD, &g_headers), "MPI_Comm_dup");
}

std::vector<int> exchange(int64_t* rows, int n, uint32_t tag, Deadline deadline) {
  int rank = 0, size = 0;
  MPI_Comm_rank(g_headers, &rank);
  MPI_Comm_size(g_headers, &size);
  const int mtag = int(tag % 32768);  // MPI guarantees tags up to 32767; messages between two ranks keep their order
  g_rows->assign(rows, rows + size_t(size) * n);
  int64_t* buf = g_rows->data();
  std::vector<MPI_Request> recvs, sends;
  for (int r = 0; r < size; ++r) {
    if (r == rank) continue;
    recvs.emplace_back();
    check(MPI_Irecv(buf + size_t(r) * n, n, MPI_INT64_T, r, mtag, g_headers, &recvs.back()), "MPI_Irecv");
  }
  for (int r = 0; r < size; ++r) {
    if (r == rank) continue;
    sends.emplace_back();
    check(MPI_Isend(buf + size_t(rank) * n, n, MPI_INT64_T, r, mtag, g_headers, &sends.back()), "MPI_Isend");
  }
  std::vector<MPI_Request> all(recvs);
  all.insert(all.end(), sends.begin(), sends.end());
  if (wait_all(all, deadline, "agreeing on the collective")) {
    std::copy(g_rows->begin(), g_rows->end(), rows);
    return {};
  }
  // Who did not come: the receives still open (MPI_Testall changes no request unless all are done).
  std::vector<int> missing;
  for (size_t i = 0; i < recvs.size(); ++i) {
    int came = 0;
    check(MPI_Test(&all[i], &came, MPI_STATUS_IGNORE), "MPI_Test");
    if (came) continue;
    missing.push_back(int(i) < rank ? int(i) : int(i) + 1);
    MPI_Cancel(&all[i]);
    MPI_Request_free(&all[i]);
  }
  // A send may still be open: its rows stay MPI's, and the group is given up anyway.
  if (missing.empty()) std::copy(g_rows->begin(), g_rows->end(), rows);
  g_rows = new std::vector<int64_t>();
  g_stranded = true;
  return missing;
}

void run(Job& job, int size, Deadline deadline) {
  const MPI_Datatype t = type_of(job.elem);
  const size_t esize = job.elem == Elem::F64 ? 8 : 4;
  auto* data = static_cast<char*>(job.data);
  MPI_Request req;
  switch (job.kind) {
    case Kind::AllReduce:
      for (size_t at = 0; at < job.count; at += kMaxCount) {
        check(MPI_Iallreduce(MPI_IN_PLACE, data + at * esize, int(std::min(kMaxCount, job.count - at)), t, op_of(job.op), MPI_COMM_WORLD, &req), "MPI_Iallreduce");
        finish(req, job, deadline, "MPI_Iallreduce");
      }
      if (job.op == ReduceOp::Avg) divide_by(job.elem, data, job.count, size);
      break;
    case Kind::Broadcast:
      for (size_t at = 0; at < job.count; at += kMaxCount) {
        check(MPI_Ibcast(data + at * esize, int(std::min(kMaxCount, job.count - at)), t, job.root, MPI_COMM_WORLD, &req), "MPI_Ibcast");
        finish(req, job, deadline, "MPI_Ibcast");
      }
      break;
    case Kind::AllGather:
      if (job.count > kMaxCount) throw std::runtime_error("allGather with MPI: at most 2^30 elements per rank");
      check(MPI_Iallgather(data, int(job.count), t, job.out, int(job.count), t, MPI_COMM_WORLD, &req), "MPI_Iallgather");
      finish(req, job, deadline, "MPI_Iallgather");
      break;
    case Kind::ReduceScatter: {
      if (job.out_count > kMaxCount) throw std::runtime_error("reduceScatter with MPI: at most 2^30 elements per rank");
      const size_t chunk = job.out_count * esize;
      g_scratch->resize(chunk * job.inputs.size());
      for (size_t r = 0; r < job.inputs.size(); ++r) std::memcpy(g_scratch->data() + r * chunk, job.inputs[r], chunk);
      check(MPI_Ireduce_scatter_block(g_scratch->data(), job.out, int(job.out_count), t, op_of(job.op), MPI_COMM_WORLD, &req),
            "MPI_Ireduce_scatter_block");
      try {
        finish(req, job, deadline, "MPI_Ireduce_scatter_block");
      } catch (...) {
        g_scratch = new std::vector<char>();  // the old one stays MPI's: left allocated on purpose
        throw;
      }
      if (job.op == ReduceOp::Avg) divide_by(job.elem, job.out, job.out_count, size);
      break;
    }
    default: break;
  }
}

void finalize() {
  int done = 0;
  MPI_Finalized(&done);
  if (done || g_stranded) return;
  if (g_headers != MPI_COMM_NULL) MPI_Comm_free(&g_headers);
  MPI_Finalize();
}

#else

void init(int, int) {
  throw std::runtime_error(
      "the \"mpi\" backend is not part of this build of tensorgrad: install MPI (Debian: apt-get install libopenmpi-dev "
      "openmpi-bin) and rebuild from source with TENSORGRAD_WITH_MPI=1 npx cmake-js compile; or use backend \"gloo\"");
}
std::vector<int> exchange(int64_t*, int, uint32_t, Deadline) { return {}; }
void run(Job&, int, Deadline) {}
void finalize() {}

#endif

}  // namespace tg::dist::mpi
