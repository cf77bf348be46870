// The key-value store behind `env://` rendezvous. Gloo has no TCP store of its own (PyTorch's
// TCPStore lives in c10d), so rank 0 serves this one on MASTER_ADDR:MASTER_PORT and every rank,
// rank 0 included, talks to it through KvClient, which implements Gloo's rendezvous::Store.
// A connection starts with a hello naming its rank; when a connection with a rank drops, the server
// sets the key tg/gone/<rank>, which is how survivors learn which rank died.
// Wire format, both directions: u8 command, u32 key length, key, u32 value length, value.
#pragma once

#include <gloo/rendezvous/store.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tg::dist {

// One thread accepts; each connection gets a thread that answers its requests in order.
class KvServer {
 public:
  // Binds every interface on `port`; throws std::runtime_error naming the port when it is taken.
  explicit KvServer(int port);
  ~KvServer();
  KvServer(const KvServer&) = delete;
  KvServer& operator=(const KvServer&) = delete;

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;  // guards data_, client_fds_, threads_
  std::map<std::string, std::vector<char>> data_;
  std::vector<int> client_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

class KvClient : public gloo::rendezvous::Store {
 public:
  // Connects to host:port as `rank`, retrying until `timeout` (rank 0 may start after the others).
  // The server marks a rank whose connection drops as gone (see gone()).
  KvClient(const std::string& host, int port, int rank, std::chrono::milliseconds timeout);
  ~KvClient() override;

  void set(const std::string& key, const std::vector<char>& data) override;
  std::vector<char> get(const std::string& key) override;
  void wait(const std::vector<std::string>& keys) override { wait(keys, timeout_); }
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;
  // Adds `delta` to the integer stored at `key` (0 when absent) and returns the new value.
  int64_t add(const std::string& key, int64_t delta);
  bool has(const std::string& key);
  // The ranks whose connection to the store dropped (their process ended), in rank order.
  std::vector<int> gone(int world_size);

 private:
  std::vector<char> request(uint8_t cmd, const std::string& key, const std::vector<char>& value);

  int fd_ = -1;
  std::string where_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
};

}  // namespace tg::dist
