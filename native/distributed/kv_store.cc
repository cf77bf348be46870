#include "distributed/kv_store.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tg::dist {
namespace {

enum Cmd : uint8_t { kSet = 1, kGet = 2, kAdd = 3, kHas = 4, kHello = 5 };

bool read_all(int fd, void* p, size_t n) {
  auto* c = static_cast<char*>(p);
  while (n > 0) {
    ssize_t r = ::recv(fd, c, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    c += r;
    n -= size_t(r);
  }
  return true;
}

bool write_all(int fd, const void* p, size_t n) {
  auto* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t r = ::send(fd, c, n, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    c += r;
    n -= size_t(r);
  }
  return true;
}

bool write_message(int fd, uint8_t cmd, const std::string& key, const std::vector<char>& value) {
  const uint32_t kl = uint32_t(key.size()), vl = uint32_t(value.size());
  std::vector<char> buf(1 + 4 + kl + 4 + vl);
  char* p = buf.data();
  *p++ = char(cmd);
  std::memcpy(p, &kl, 4), p += 4;
  std::memcpy(p, key.data(), kl), p += kl;
  std::memcpy(p, &vl, 4), p += 4;
  if (vl) std::memcpy(p, value.data(), vl);
  return write_all(fd, buf.data(), buf.size());
}

bool read_message(int fd, uint8_t& cmd, std::string& key, std::vector<char>& value) {
  uint32_t kl = 0, vl = 0;
  if (!read_all(fd, &cmd, 1) || !read_all(fd, &kl, 4) || kl > (1u << 20)) return false;
  key.resize(kl);
  if (!read_all(fd, key.data(), kl) || !read_all(fd, &vl, 4) || vl > (1u << 30)) return false;
  value.resize(vl);
  return read_all(fd, value.data(), vl);
}

std::vector<char> int_bytes(int64_t v) {
  std::vector<char> b(8);
  std::memcpy(b.data(), &v, 8);
  return b;
}

}  // namespace

KvServer::KvServer(int port) {
  listen_fd_ = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool v6 = listen_fd_ >= 0;
  if (!v6) listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(std::string("store: socket() failed: ") + std::strerror(errno));
  int one = 1, zero = 0;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc;
  if (v6) {
    ::setsockopt(listen_fd_, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);  // serve IPv4 too
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(uint16_t(port));
    rc = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    a.sin_port = htons(uint16_t(port));
    rc = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (rc != 0 || ::listen(listen_fd_, 128) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error("store: rank 0 cannot listen on port " + std::to_string(port) + " (" + why +
                             "); choose a free MASTER_PORT");
  }
  acceptor_ = std::thread([this] { accept_loop(); });
}

KvServer::~KvServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

void KvServer::accept_loop() {
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // shut down
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    client_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void KvServer::serve(int fd) {
  uint8_t cmd;
  std::string key;
  std::vector<char> value;
  std::string rank;  // from the hello
  while (read_message(fd, cmd, key, value)) {
    std::vector<char> reply;
    uint8_t status = 1;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = data_.find(key);
      switch (cmd) {
        case kSet: data_[key] = value; break;
        case kGet:
          if (it == data_.end()) status = 0;
          else reply = it->second;
          break;
        case kAdd: {
          int64_t cur = 0, delta = 0;
          if (it != data_.end() && it->second.size() == 8) std::memcpy(&cur, it->second.data(), 8);
          if (value.size() == 8) std::memcpy(&delta, value.data(), 8);
          reply = data_[key] = int_bytes(cur + delta);
          break;
        }
        case kHas: status = it != data_.end(); break;
        case kHello: rank = key; break;
        default: status = 2;
      }
    }
    if (!write_message(fd, status, key, reply)) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!rank.empty() && !stopping_) data_["tg/gone/" + rank] = {'1'};
  ::close(fd);
  for (auto& f : client_fds_)
    if (f == fd) f = -1;
}

KvClient::KvClient(const std::string& host, int port, int rank, std::chrono::milliseconds timeout)
    : where_(host + ":" + std::to_string(port)), timeout_(timeout) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  const int gai = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (gai != 0)
    throw std::runtime_error("store: cannot resolve MASTER_ADDR " + host + " (" + ::gai_strerror(gai) + ")");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no address";
  while (fd_ < 0) {
    for (addrinfo* ai = res; ai && fd_ < 0; ai = ai->ai_next) {
      int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) fd_ = fd;
      else last = std::strerror(errno), ::close(fd);
    }
    if (fd_ >= 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::freeaddrinfo(res);
      throw std::runtime_error("store: rank 0's store at " + where_ + " did not answer within " +
                               std::to_string(timeout.count()) + " ms (" + last +
                               "); is rank 0 running, and are MASTER_ADDR/MASTER_PORT the same on every rank?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::freeaddrinfo(res);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  request(kHello, std::to_string(rank), {});
}

std::vector<int> KvClient::gone(int world_size) {
  std::vector<int> out;
  for (int r = 0; r < world_size; ++r)
    if (has("tg/gone/" + std::to_string(r))) out.push_back(r);
  return out;
}

KvClient::~KvClient() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<char> KvClient::request(uint8_t cmd, const std::string& key, const std::vector<char>& value) {
  std::lock_guard<std::mutex> lock(mu_);
  uint8_t status;
  std::string k;
  std::vector<char> reply;
  if (!write_message(fd_, cmd, key, value) || !read_message(fd_, status, k, reply))
    throw std::runtime_error("store: lost the connection to rank 0's store at " + where_ + " (rank 0 died?)");
  if (status == 0) throw std::out_of_range(key);
  return reply;
}

void KvClient::set(const std::string& key, const std::vector<char>& data) { request(kSet, key, data); }

bool KvClient::has(const std::string& key) {
  try {
    request(kHas, key, {});
    return true;
  } catch (const std::out_of_range&) {
    return false;
  }
}

int64_t KvClient::add(const std::string& key, int64_t delta) {
  const std::vector<char> r = request(kAdd, key, int_bytes(delta));
  int64_t v;
  std::memcpy(&v, r.data(), 8);
  return v;
}

std::vector<char> KvClient::get(const std::string& key) {
  wait({key});
  return request(kGet, key, {});
}

void KvClient::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& k : keys) {
    while (!has(k)) {
      if (std::chrono::steady_clock::now() >= deadline)
        throw std::runtime_error("store: timed out after " + std::to_string(timeout.count()) + " ms waiting for key " + k);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

}  // namespace tg::dist
