// Gloo's own all-reduce speed, the reference for tensorgrad's: rank R of N (argv) meets the others
// through a FileStore in argv[3], then all-reduces persistent, pre-touched float buffers of each
// size in MiB (argv[4..]) with Gloo's default algorithm over TCP on 127.0.0.1, as tg.distributed
// does. Prints {"<MiB>": [seconds per repeat...]} as its last line.
#include <gloo/allreduce.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const int rank = std::atoi(argv[1]), size = std::atoi(argv[2]), reps = 7;
  gloo::rendezvous::FileStore store(argv[3]);
  gloo::transport::tcp::attr attr;
  attr.hostname = "127.0.0.1";
  auto dev = gloo::transport::tcp::CreateDevice(attr);
  auto ctx = std::make_shared<gloo::rendezvous::Context>(rank, size);
  ctx->connectFullMesh(store, dev);
  uint32_t tag = 0;
  std::string json = "{";
  for (int a = 4; a < argc; ++a) {
    const size_t n = size_t(std::atof(argv[a]) * 1048576) / sizeof(float);
    std::vector<float> buf(n, 1.0f);  // touched once here
    std::string times;
    for (int r = -1; r < reps; ++r) {  // r = -1: warm-up
      const auto t0 = std::chrono::steady_clock::now();
      gloo::AllreduceOptions o(ctx);
      o.setOutput<float>(buf.data(), n);
      o.setReduceFunction([](void* c, const void* x, const void* y, size_t k) { gloo::sum<float>(c, x, y, k); });
      o.setTag(tag++);
      gloo::allreduce(o);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r >= 0) times += (times.empty() ? "" : ",") + std::to_string(s);
    }
    json += std::string(a > 4 ? "," : "") + "\"" + argv[a] + "\":[" + times + "]";
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
