// The N-API surface of tensorgrad_dist.node, the distributed addon (loaded by lib/distributed/ on
// first use, never by the core). A Group wraps one ProcessGroup; every method queues a job on its
// communication thread and returns a Promise that a thread-safe function settles on the JS thread.
// The typed arrays a job reads or writes are held by references until then; the JS side also
// pins their storage so dispose() cannot free it under the thread (lib/storage.ts).
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "distributed/process_group.h"

namespace tg::dist {
namespace {

struct Pending {
  Napi::Promise::Deferred deferred;
  std::vector<Napi::Reference<Napi::Value>> keep;
  explicit Pending(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
};

struct View {
  Elem elem;
  void* data;
  size_t count;
};

View typed(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a typed array");
  auto ta = v.As<Napi::TypedArray>();
  Elem e;
  switch (ta.TypedArrayType()) {
    case napi_float32_array: e = Elem::F32; break;
    case napi_float64_array: e = Elem::F64; break;
    case napi_int32_array: e = Elem::I32; break;
    default: throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array, Float64Array or Int32Array");
  }
  auto* base = static_cast<char*>(ta.ArrayBuffer().Data());
  return {e, base + ta.ByteOffset(), ta.ElementLength()};
}

Job* new_job(Kind kind, const View& in = {Elem::F32, nullptr, 0}, const View& out = {Elem::F32, nullptr, 0}) {
  auto* job = new Job();
  job->kind = kind;
  job->elem = in.elem;
  job->data = in.data;
  job->count = in.count;
  job->out = out.data;
  job->out_count = out.count;
  return job;
}

class Group : public Napi::ObjectWrap<Group> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Group",
                       {InstanceMethod("connect", &Group::Connect), InstanceMethod("allReduce", &Group::AllReduce),
                        InstanceMethod("broadcast", &Group::Broadcast), InstanceMethod("allGather", &Group::AllGather),
                        InstanceMethod("reduceScatter", &Group::ReduceScatter), InstanceMethod("barrier", &Group::Barrier),
                        InstanceMethod("close", &Group::Close)});
  }

  // new Group({rank, size, timeoutMs, fileStore, host, port, path, iface}); the JS side validated them.
  explicit Group(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Group>(info) {
    Napi::Object o = info[0].As<Napi::Object>();
    GroupConfig c;
    c.rank = o.Get("rank").As<Napi::Number>().Int32Value();
    c.size = o.Get("size").As<Napi::Number>().Int32Value();
    c.timeout = std::chrono::milliseconds(o.Get("timeoutMs").As<Napi::Number>().Int64Value());
    c.file_store = o.Get("fileStore").ToBoolean();
    c.host = o.Get("host").ToString();
    c.port = o.Get("port").As<Napi::Number>().Int32Value();
    c.path = o.Get("path").ToString();
    c.iface = o.Get("iface").ToString();
    c.mpi = o.Get("mpi").ToBoolean();
    tsfn_ = Napi::ThreadSafeFunction::New(info.Env(), Napi::Function::New(info.Env(), [](const Napi::CallbackInfo&) {}),
                                          "tensorgrad.distributed", 0, 1);
    tsfn_.Unref(info.Env());  // only pending jobs keep the process alive
    group_ = std::make_unique<ProcessGroup>(c, [this](Job* job) {
      tsfn_.BlockingCall(job, [this](Napi::Env env, Napi::Function, Job* j) { Settle(env, j); });
    });
  }

  ~Group() override {
    // Exit without destroyProcessGroup(): a thread stuck in a collective cannot be joined, so the
    // group is left to the process's end; an idle one is stopped.
    if (group_ && group_->busy()) (void)group_.release();
  }

 private:
  Napi::Value Submit(const Napi::CallbackInfo& info, Job* job, const std::vector<Napi::Value>& keep) {
    if (closed_) {
      delete job;
      throw Napi::Error::New(info.Env(), "the process group was destroyed; call initProcessGroup() again");
    }
    auto* p = new Pending(info.Env());
    for (const auto& v : keep) p->keep.push_back(Napi::Persistent(v));
    job->owner = p;
    if (pending_++ == 0) tsfn_.Ref(info.Env());
    if (job->kind == Kind::Close) closed_ = true;
    group_->submit(job);
    return p->deferred.Promise();
  }

  void Settle(Napi::Env env, Job* job) {
    std::unique_ptr<Job> j(job);
    std::unique_ptr<Pending> p(static_cast<Pending*>(job->owner));
    if (--pending_ == 0) tsfn_.Unref(env);
    if (job->kind == Kind::Close) {
      group_->join();
      group_.reset();
      tsfn_.Release();
    }
    if (job->error.empty()) return p->deferred.Resolve(env.Undefined());
    Napi::Error e = Napi::Error::New(env, "tensorgrad.distributed." + job->error);
    if (job->stranded) {
      // The backend may still write these arrays (an MPI collective cannot be cancelled): they
      // stay referenced while this Group lives, and the JS side keeps their storage pinned for good.
      for (auto& ref : p->keep) stranded_.push_back(std::move(ref));
      e.Set("buffersInUse", true);
    }
    p->deferred.Reject(e.Value());
  }

  Napi::Value Connect(const Napi::CallbackInfo& info) {
    return Submit(info, new_job(Kind::Connect), {});
  }

  // allReduce(array, op): op 0 sum, 1 avg, 2 max, 3 min.
  Napi::Value AllReduce(const Napi::CallbackInfo& info) {
    View v = typed(info[0], "allReduce: tensor storage");
    auto* job = new_job(Kind::AllReduce, v);
    job->op = static_cast<ReduceOp>(info[1].As<Napi::Number>().Int32Value());
    return Submit(info, job, {info[0]});
  }

  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    View v = typed(info[0], "broadcast: tensor storage");
    auto* job = new_job(Kind::Broadcast, v);
    job->root = info[1].As<Napi::Number>().Int32Value();
    return Submit(info, job, {info[0]});
  }

  // allGather(out, in): out holds worldSize copies of in's length.
  Napi::Value AllGather(const Napi::CallbackInfo& info) {
    View out = typed(info[0], "allGather: output storage"), in = typed(info[1], "allGather: input storage");
    auto* job = new_job(Kind::AllGather, in, out);
    return Submit(info, job, {info[0], info[1]});
  }

  // reduceScatter(out, inputs, op): inputs is an array of worldSize arrays of out's type and length.
  Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
    View out = typed(info[0], "reduceScatter: output storage");
    if (!info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "reduceScatter: inputs must be an array");
    auto list = info[1].As<Napi::Array>();
    std::vector<Napi::Value> keep{info[0]};
    std::vector<void*> inputs;
    for (uint32_t i = 0; i < list.Length(); ++i) {
      View in = typed(list.Get(i), "reduceScatter: input storage");
      if (in.elem != out.elem || in.count != out.count)
        throw Napi::Error::New(info.Env(), "reduceScatter: every input must have the output's type and length");
      inputs.push_back(in.data);
      keep.push_back(list.Get(i));
    }
    auto* job = new_job(Kind::ReduceScatter, {out.elem, nullptr, out.count * inputs.size()}, out);
    job->inputs = std::move(inputs);
    job->op = static_cast<ReduceOp>(info[2].As<Napi::Number>().Int32Value());
    return Submit(info, job, keep);
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    return Submit(info, new_job(Kind::Barrier), {});
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    return Submit(info, new_job(Kind::Close), {});
  }

  Napi::ThreadSafeFunction tsfn_;
  std::unique_ptr<ProcessGroup> group_;
  std::vector<Napi::Reference<Napi::Value>> stranded_;
  int pending_ = 0;
  bool closed_ = false;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Group", Group::Define(env));
#ifdef TG_WITH_MPI
  exports.Set("withMpi", true);
#else
  exports.Set("withMpi", false);
#endif
  return exports;
}

}  // namespace
}  // namespace tg::dist

static Napi::Object InitDist(Napi::Env env, Napi::Object exports) { return tg::dist::Init(env, exports); }
NODE_API_MODULE(tensorgrad_dist, InitDist)
