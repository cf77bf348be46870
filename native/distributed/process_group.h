// A process group: one Gloo context (a full mesh of TCP pairs) and the communication thread that
// runs its collectives one at a time, in the order they were submitted, each with its sequence
// number as Gloo's tag. Nothing here touches N-API: a finished job is handed to `Done`, which the
// binding uses to settle the job's promise on the JS thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gloo {
class Context;
namespace rendezvous {
class Store;
}
namespace transport {
class UnboundBuffer;
}
}  // namespace gloo

namespace tg::dist {

class KvServer;
class GlooReduceScatter;

// What is left until a deadline, at least 1 ms: never negative (Gloo reads -1 ms as "the context's default").
inline std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return ms > std::chrono::milliseconds(1) ? ms : std::chrono::milliseconds(1);
}

// What a rank announces before a collective (agree()): kind, element type, count, root, reduce op,
// and the sequence number, which also tells a header that arrived from a stale one.
constexpr int kHeader = 6;

enum class Kind { Connect, AllReduce, Broadcast, AllGather, ReduceScatter, Barrier, Close };
enum class Elem { F32, F64, I32 };
enum class ReduceOp { Sum, Avg, Max, Min };

struct Job {
  Kind kind = Kind::Barrier;
  Elem elem = Elem::F32;
  void* data = nullptr;  // the tensor reduced/broadcast in place, or the input of allGather
  size_t count = 0;      // elements at data (reduceScatter: in all inputs together)
  std::vector<void*> inputs;  // reduceScatter: worldSize inputs of out_count elements each
  void* out = nullptr;   // the output of allGather / reduceScatter
  size_t out_count = 0;
  ReduceOp op = ReduceOp::Sum;
  int root = 0;
  uint32_t tag = 0;    // the sequence number, set by submit()
  std::string error;   // set when the job failed
  bool stranded = false;  // the failed job's buffers may still be written (MPI): keep them alive for good
  void* owner = nullptr;  // the binding's bookkeeping (promise, references)
};

struct GroupConfig {
  int rank = 0, size = 1;
  std::chrono::milliseconds timeout{1800000};
  bool file_store = false;
  std::string host;  // env://: MASTER_ADDR
  int port = 0;      // env://: MASTER_PORT
  std::string path;  // file://: a directory shared by every rank
  std::string iface; // GLOO_SOCKET_IFNAME, or empty
  bool mpi = false;  // the MPI backend (mpi_backend.h) instead of Gloo
};

class ProcessGroup {
 public:
  using Done = std::function<void(Job*)>;
  ProcessGroup(GroupConfig cfg, Done done);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  // Queues a job (FIFO). Its result comes back through Done, on the communication thread.
  void submit(Job* job);
  // True while the thread is running a job or has some queued.
  bool busy();
  // Waits for the thread to end (after a Close job has been handed to Done).
  void join();

 private:
  void loop();
  void run(Job& job);
  void connect();
  void agree(const Job& job);
  std::vector<int> exchange_headers(uint32_t tag);
  std::vector<int> not_arrived(uint32_t tag) const;
  void check_world_size();
  void learn_peer_addresses();
  std::string missing_ranks(const std::string& what);
  std::string explain(const Job& job, const std::string& what, bool named);

  const GroupConfig cfg_;
  const Done done_;
  std::unique_ptr<KvServer> server_;
  std::unique_ptr<gloo::rendezvous::Store> store_;
  std::shared_ptr<gloo::Context> ctx_;
  std::vector<std::string> peer_address_;  // rank -> the address Gloo names that peer's pair by
  std::vector<int64_t> headers_;           // agree(): every rank's header, rank-major (this rank's too)
  std::unique_ptr<gloo::transport::UnboundBuffer> header_send_, header_recv_;
  std::unique_ptr<GlooReduceScatter> reduce_scatter_;
  std::string broken_;                     // the first failure: the mesh is unusable after it

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool running_job_ = false;
  uint32_t next_tag_ = 0;
  std::thread thread_;
};

}  // namespace tg::dist
