#include "distributed/process_group.h"

#include <arpa/inet.h>
#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/broadcast.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>
#include <gloo/transport/unbound_buffer.h>
#include <gloo/types.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include "distributed/elementwise.h"
#include "distributed/gloo_reduce_scatter.h"
#include "distributed/kv_store.h"
#include "distributed/mpi_backend.h"

namespace tg::dist {
namespace {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Connect: return "initProcessGroup";
    case Kind::AllReduce: return "allReduce";
    case Kind::Broadcast: return "broadcast";
    case Kind::AllGather: return "allGather";
    case Kind::ReduceScatter: return "reduceScatter";
    case Kind::Barrier: return "barrier";
    case Kind::Close: return "destroyProcessGroup";
  }
  return "?";
}

template <class T>
gloo::AllreduceOptions::Func reduce_fn(ReduceOp op) {
  return [op](void* c, const void* a, const void* b, size_t n) {
    reduce_into<T>(op, static_cast<T*>(c), static_cast<const T*>(a), static_cast<const T*>(b), n);
  };
}

template <class T>
void all_reduce(const std::shared_ptr<gloo::Context>& ctx, T* data, size_t n, ReduceOp op, uint32_t tag,
                std::chrono::milliseconds timeout) {
  gloo::AllreduceOptions o(ctx);
  o.setOutput<T>(data, n);
  o.setReduceFunction(reduce_fn<T>(op));
  o.setTag(tag);
  o.setTimeout(timeout);
  gloo::allreduce(o);
  if (op == ReduceOp::Avg) divide(data, n, T(ctx->size));
}

// Calls f with a typed null pointer of the job's element type.
template <class F>
void visit(Elem e, F&& f) {
  switch (e) {
    case Elem::F32: f(static_cast<float*>(nullptr)); break;
    case Elem::F64: f(static_cast<double*>(nullptr)); break;
    case Elem::I32: f(static_cast<int32_t*>(nullptr)); break;
  }
}

// The local address a packet to `host` would leave from: the interface the other ranks can reach.
std::string route_to(const std::string& host) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_DGRAM;
  if (::getaddrinfo(host.c_str(), "9", &hints, &res) != 0) return "127.0.0.1";
  std::string out = "127.0.0.1";
  int fd = ::socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (fd >= 0 && ::connect(fd, res->ai_addr, res->ai_addrlen) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) {
    char buf[INET6_ADDRSTRLEN] = {0};
    const void* a = local.ss_family == AF_INET6 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr)
                                                 : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr);
    if (::inet_ntop(local.ss_family, a, buf, sizeof buf)) out = buf;
  }
  if (fd >= 0) ::close(fd);
  ::freeaddrinfo(res);
  return out;
}

const char* elem_name(int64_t e) { return e == int64_t(Elem::F64) ? "float64" : e == int64_t(Elem::I32) ? "int32" : "float32"; }
const char* op_name(int64_t o) {
  static const char* names[] = {"sum", "avg", "max", "min"};
  return o >= 0 && o < 4 ? names[o] : "?";
}

// The Gloo slot prefix of agree()'s headers (Gloo's own collectives use 0x01-0x08).
constexpr uint8_t kHeaderSlotPrefix = 0x40;

std::string rank_list(const std::vector<int>& ranks) {
  std::string s;
  for (size_t i = 0; i < ranks.size(); ++i) s += (i ? ", " : "") + std::to_string(ranks[i]);
  return s;
}

std::string describe(const int64_t* h) {
  const Kind k = Kind(h[0]);
  std::string s = kind_name(k);
  if (k == Kind::Barrier) return s;
  s += " of " + std::to_string(h[2]) + " " + elem_name(h[1]) + " elements";
  if (k == Kind::Broadcast) s += " from rank " + std::to_string(h[3]);
  if (k == Kind::AllReduce || k == Kind::ReduceScatter) s += std::string(" (op ") + op_name(h[4]) + ")";
  return s;
}

// A disagreement found before any data moved: the group stays usable.
struct Mismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Ranks that did not reach a collective within the timeout: the mesh is in an unknown state.
struct NotArrived : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<char> bytes(const std::string& s) { return std::vector<char>(s.begin(), s.end()); }
std::string text(const std::vector<char>& v) { return std::string(v.begin(), v.end()); }

}  // namespace

ProcessGroup::ProcessGroup(GroupConfig cfg, Done done) : cfg_(std::move(cfg)), done_(std::move(done)) {
  thread_ = std::thread([this] { loop(); });
}

ProcessGroup::~ProcessGroup() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(nullptr);  // stop marker
    }
    cv_.notify_one();
    thread_.join();
  }
}

void ProcessGroup::submit(Job* job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    job->tag = next_tag_++;
    queue_.push_back(job);
  }
  cv_.notify_one();
}

bool ProcessGroup::busy() {
  std::lock_guard<std::mutex> lock(mu_);
  return running_job_ || !queue_.empty();
}

void ProcessGroup::join() {
  if (thread_.joinable()) thread_.join();
}

void ProcessGroup::loop() {
  for (;;) {
    Job* job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty(); });
      job = queue_.front();
      queue_.pop_front();
      running_job_ = job != nullptr;
    }
    if (!job) return;
    const Kind kind = job->kind;
    if (!broken_.empty() && kind != Kind::Close) {
      job->error = std::string(kind_name(kind)) + ": the process group failed earlier and cannot be used (" + broken_ +
                   "); call destroyProcessGroup() and start again";
    } else {
      try {
        run(*job);
      } catch (const Mismatch& e) {
        job->error = explain(*job, e.what(), true);
      } catch (const NotArrived& e) {
        job->error = explain(*job, e.what(), true);
        broken_ = job->error;
      } catch (const std::exception& e) {
        job->error = explain(*job, e.what(), false);
        if (kind != Kind::Close) broken_ = job->error;
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_job_ = false;
    }
    done_(job);
    if (kind == Kind::Close) return;
  }
}

void ProcessGroup::run(Job& job) {
  switch (job.kind) {
    case Kind::Connect: connect(); return;
    case Kind::Close:
      if (cfg_.mpi) mpi::finalize();
      reduce_scatter_.reset();
      header_send_.reset();
      header_recv_.reset();
      ctx_.reset();
      store_.reset();
      server_.reset();
      return;
    default: break;
  }
  agree(job);  // returns only once every rank has reached the collective, so it is the barrier
  if (job.kind == Kind::Barrier || job.count == 0) return;  // every rank holds the same (empty) size: nothing to exchange
  if (cfg_.mpi) return mpi::run(job, cfg_.size, std::chrono::steady_clock::now() + cfg_.timeout);
  if (job.kind == Kind::ReduceScatter) return reduce_scatter_->run(job, cfg_.timeout);
  visit(job.elem, [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    T* data = static_cast<T*>(job.data);
    switch (job.kind) {
      case Kind::AllReduce: all_reduce<T>(ctx_, data, job.count, job.op, job.tag, cfg_.timeout); break;
      case Kind::Broadcast: {
        gloo::BroadcastOptions o(ctx_);
        o.setOutput<T>(data, job.count);
        o.setRoot(job.root);
        o.setTag(job.tag);
        o.setTimeout(cfg_.timeout);
        gloo::broadcast(o);
        break;
      }
      case Kind::AllGather: {
        gloo::AllgatherOptions o(ctx_);
        o.setInput<T>(data, job.count);
        o.setOutput<T>(static_cast<T*>(job.out), job.out_count);
        o.setTag(job.tag);
        o.setTimeout(cfg_.timeout);
        gloo::allgather(o);
        break;
      }
      default: break;
    }
  });
}

// Before any data moves, the ranks exchange what they are about to do (a few bytes each) and all
// refuse a collective they disagree on: Gloo itself aborts the process when sizes differ. A rank
// whose header does not come within the timeout is named: it hangs, is slower than timeoutMs, or
// is waiting in another collective.
void ProcessGroup::agree(const Job& job) {
  const bool reduces = job.kind == Kind::AllReduce || job.kind == Kind::ReduceScatter;
  const bool barrier = job.kind == Kind::Barrier;
  int64_t* mine = headers_.data() + size_t(cfg_.rank) * kHeader;
  const int64_t h[kHeader] = {int64_t(job.kind), barrier ? 0 : int64_t(job.elem), barrier ? 0 : int64_t(job.count),
                              job.kind == Kind::Broadcast ? job.root : 0, reduces ? int64_t(job.op) : 0, int64_t(job.tag)};
  std::copy(h, h + kHeader, mine);
  const std::vector<int> missing =
      cfg_.mpi ? mpi::exchange(headers_.data(), kHeader, job.tag, std::chrono::steady_clock::now() + cfg_.timeout)
               : exchange_headers(job.tag);
  if (!missing.empty())
    throw NotArrived("timed out after " + std::to_string(cfg_.timeout.count()) + " ms waiting for rank(s) " + rank_list(missing) +
                     ", which did not reach it (hung, slower than timeoutMs, or waiting in a different collective)");
  for (int r = 1; r < cfg_.size; ++r) {
    const int64_t* other = headers_.data() + size_t(r) * kHeader;
    if (!std::equal(other, other + kHeader, headers_.data()))
      throw Mismatch("the ranks called different collectives: rank 0 " + describe(headers_.data()) + ", rank " +
                     std::to_string(r) + " " + describe(other) + "; nothing was exchanged");
  }
}

// Sends this rank's header to every other rank and receives theirs, each into its row of
// headers_; returns the ranks whose header for `tag` had not come when the timeout struck.
std::vector<int> ProcessGroup::exchange_headers(uint32_t tag) {
  const uint64_t slot = gloo::Slot::build(kHeaderSlotPrefix, tag);
  const size_t row = kHeader * sizeof(int64_t);
  for (int r = 0; r < cfg_.size; ++r)
    if (r != cfg_.rank) header_recv_->recv(r, slot, size_t(r) * row, row);
  for (int r = 0; r < cfg_.size; ++r)
    if (r != cfg_.rank) header_send_->send(r, slot, size_t(cfg_.rank) * row, row);
  const auto deadline = std::chrono::steady_clock::now() + cfg_.timeout;
  try {
    for (int i = 1; i < cfg_.size; ++i) header_recv_->waitRecv(time_left(deadline));
    for (int i = 1; i < cfg_.size; ++i) header_send_->waitSend(time_left(deadline));
  } catch (const std::exception& e) {
    // Only a timeout means "did not come": a closed connection is a lost rank (explain()).
    if (std::string(e.what()).find("imed out") == std::string::npos) throw;
    std::vector<int> missing = not_arrived(tag);
    if (missing.empty()) throw;
    return missing;
  }
  return {};
}

// The ranks whose row does not carry this tag: their header never landed. (Gloo has failed every
// pending transfer by now, so nothing writes the rows any more.)
std::vector<int> ProcessGroup::not_arrived(uint32_t tag) const {
  std::vector<int> missing;
  for (int r = 0; r < cfg_.size; ++r)
    if (r != cfg_.rank && headers_[size_t(r) * kHeader + kHeader - 1] != int64_t(tag)) missing.push_back(r);
  return missing;
}

void ProcessGroup::connect() {
  headers_.assign(size_t(kHeader) * size_t(cfg_.size), -1);  // -1: no collective's tag
  if (cfg_.mpi) return mpi::init(cfg_.rank, cfg_.size);
  if (cfg_.file_store) {
    ::mkdir(cfg_.path.c_str(), 0777);  // may exist already; FileStore reports a bad path itself
    store_ = std::make_unique<gloo::rendezvous::FileStore>(cfg_.path);
  } else {
    if (cfg_.rank == 0) server_ = std::make_unique<KvServer>(cfg_.port);
    store_ = std::make_unique<KvClient>(cfg_.host, cfg_.port, cfg_.rank, cfg_.timeout);
  }
  check_world_size();
  gloo::transport::tcp::attr attr;
  if (!cfg_.iface.empty()) attr.iface = cfg_.iface;
  else attr.hostname = cfg_.file_store ? "127.0.0.1" : route_to(cfg_.host);
  auto device = gloo::transport::tcp::CreateDevice(attr);
  auto ctx = std::make_shared<gloo::rendezvous::Context>(cfg_.rank, cfg_.size);
  ctx->setTimeout(cfg_.timeout);
  ctx->connectFullMesh(*store_, device);
  ctx_ = ctx;
  const size_t bytes = headers_.size() * sizeof(int64_t);
  header_send_ = ctx_->createUnboundBuffer(headers_.data(), bytes);
  header_recv_ = ctx_->createUnboundBuffer(headers_.data(), bytes);
  reduce_scatter_ = std::make_unique<GlooReduceScatter>(ctx_);
  learn_peer_addresses();
}

// Every rank announces itself with its world size; a rank that never comes is named, and so is
// one started with a different world size.
void ProcessGroup::check_world_size() {
  const std::string me = std::to_string(cfg_.rank);
  store_->set("tg/joined/" + me, bytes(std::to_string(cfg_.size)));
  const auto deadline = std::chrono::steady_clock::now() + cfg_.timeout;
  std::vector<int> missing;
  for (int r = 0; r < cfg_.size; ++r) {
    const std::string key = "tg/joined/" + std::to_string(r);
    try {
      store_->wait({key}, time_left(deadline));
    } catch (const std::exception&) {
      missing.push_back(r);
      continue;
    }
    const std::string size = text(store_->get(key));
    if (size != std::to_string(cfg_.size))
      throw std::runtime_error("rank " + std::to_string(r) + " was started with worldSize " + size + ", this rank (" + me +
                               ") with " + std::to_string(cfg_.size) + "; every rank needs the same worldSize");
  }
  if (!missing.empty()) {
    std::ostringstream s;
    for (size_t i = 0; i < missing.size(); ++i) s << (i ? ", " : "") << missing[i];
    throw std::runtime_error("rank(s) " + s.str() + " of " + std::to_string(cfg_.size) + " did not join within " +
                             std::to_string(cfg_.timeout.count()) + " ms");
  }
}

// Gloo names a failed pair by the peer's address; each rank publishes the address of its pair to
// every other rank, so a failure can be reported as "rank N".
void ProcessGroup::learn_peer_addresses() {
  std::string mine;
  for (int r = 0; r < cfg_.size; ++r) {
    auto& pair = ctx_->getPair(r);
    mine += (r == cfg_.rank || !pair ? std::string() : pair->address().str()) + "\n";
  }
  store_->set("tg/addr/" + std::to_string(cfg_.rank), bytes(mine));
  peer_address_.assign(size_t(cfg_.size), std::string());
  for (int r = 0; r < cfg_.size; ++r) {
    if (r == cfg_.rank) continue;
    std::istringstream lines(text(store_->get("tg/addr/" + std::to_string(r))));
    std::string line;
    for (int i = 0; std::getline(lines, line); ++i)
      if (i == cfg_.rank) peer_address_[size_t(r)] = line;
  }
}

// Which rank a failure is due to: with rank 0's store, the ranks whose store connection dropped
// (a process that ends closes its sockets at once; rank 0's own death cuts the store); otherwise
// the peer address Gloo's message names, when it is one that was published.
std::string ProcessGroup::missing_ranks(const std::string& what) {
  if (auto* kv = dynamic_cast<KvClient*>(store_.get())) {
    try {
      for (int tries = 0; tries < 50; ++tries) {  // the server may see the drop a moment after we did
        std::vector<int> g = kv->gone(cfg_.size);
        if (!g.empty()) {
          std::string s;
          for (size_t i = 0; i < g.size(); ++i) s += (i ? ", " : "") + std::to_string(g[i]);
          return s;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    } catch (const std::exception&) {
      return "0";
    }
  }
  for (int r = 0; r < cfg_.size && !peer_address_.empty(); ++r) {
    const std::string& a = peer_address_[size_t(r)];
    const size_t at = a.empty() ? std::string::npos : what.find(a);
    if (at != std::string::npos && !std::isdigit(static_cast<unsigned char>(what[at + a.size()])))  // :1702 is not :17020
      return std::to_string(r);
  }
  return "";
}

// `named`: the message already says which ranks and what happened.
std::string ProcessGroup::explain(const Job& job, const std::string& what, bool named) {
  std::string head = std::string(kind_name(job.kind));
  if (job.kind != Kind::Connect && job.kind != Kind::Close) head += " #" + std::to_string(job.tag);
  head += " on rank " + std::to_string(cfg_.rank) + ": ";
  if (named || job.kind == Kind::Connect || job.kind == Kind::Close || !ctx_) return head + what;
  const std::string lost = missing_ranks(what);
  if (!lost.empty())
    return head + "lost rank " + lost + " (its process ended or its machine is unreachable) [" + what + "]";
  if (what.find("imed out") != std::string::npos)
    return head + "timed out after " + std::to_string(cfg_.timeout.count()) +
           " ms in the data exchange, after every rank had agreed to it (a peer stalled mid-transfer) [" + what + "]";
  return head + "lost a peer [" + what + "]";
}

}  // namespace tg::dist
