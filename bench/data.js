// `npm run bench:data`: the data pipeline and checkpoints beside PyTorch in the same run (medians of 5,
// interleaved): loading Fashion-MNIST's 60,000 training images from Debian's .gz files, one shuffled epoch
// of batches, and saving/loading a 784-512-256-10 MLP with its Adam state. PyTorch's side does what
// torchvision's reader does (gzip + numpy view + float/255) and safetensors' layout with numpy/torch.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tg from "../dist/index.js";

const ROOT = "/usr/share/datasets/fashion-mnist", RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), "tg-bench-data-"));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const medians = (pairs) => [median(pairs.map((p) => p[0])), median(pairs.map((p) => p[1]))];
// Wall and CPU (all threads) milliseconds: on a shared machine the CPU time is the steadier figure.
const time = (fn) => {
  const t0 = performance.now(), c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return [performance.now() - t0, (c.user + c.system) / 1000];
};

const PY = String.raw`
import gzip, json, struct, sys, time, numpy as np, torch
root, ckpt = sys.argv[1], sys.argv[2]
def load():
    b = gzip.open(root + "/train-images-idx3-ubyte.gz").read()
    return torch.from_numpy(np.frombuffer(b, np.uint8, offset=16).reshape(-1, 1, 28, 28)).float().div_(255)
def epoch(x):
    for idx in torch.randperm(x.shape[0]).split(64): x.index_select(0, idx)
def st_load(p):
    b = open(p, "rb").read(); n = struct.unpack("<Q", b[:8])[0]; h = json.loads(b[8:8 + n]); h.pop("__metadata__", None)
    return {k: torch.frombuffer(bytearray(b[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"]) for k, v in h.items()}
out = {"load": [], "epoch": [], "ckptLoad": []}
def timed(fn, *args):
    t, c = time.perf_counter(), time.process_time(); fn(*args)
    return [1e3 * (time.perf_counter() - t), 1e3 * (time.process_time() - c)]
x = load()
for _ in range(int(sys.argv[3])):
    out["load"].append(timed(load)); out["epoch"].append(timed(epoch, x)); out["ckptLoad"].append(timed(st_load, ckpt))
print(json.dumps(out))
`;

const model = new tg.nn.Sequential(new tg.nn.Linear(784, 512), new tg.nn.ReLU(), new tg.nn.Linear(512, 256), new tg.nn.ReLU(), new tg.nn.Linear(256, 10));
const opt = new tg.optim.Adam(model.parameters());
model.forward(tg.randn([8, 784])).sum().backward();
opt.step();
const ckpt = join(dir, "mlp.safetensors"), weights = join(dir, "weights.safetensors");
tg.save(model.stateDict(), weights);

const mine = { load: [], epoch: [], ckptSave: [], ckptLoad: [] };
let ds;
for (let r = 0; r < RUNS; ++r) {
  mine.load.push(time(() => (ds = new tg.data.FashionMNIST(ROOT))));
  const loader = new tg.data.DataLoader(ds, { batchSize: 64, shuffle: true });
  mine.epoch.push(time(() => { for (const _ of loader); }));
  mine.ckptSave.push(time(() => tg.save({ model: model.stateDict(), optimizer: opt.stateDict() }, ckpt)));
  mine.ckptLoad.push(time(() => tg.load(weights)));
}
const py = spawnSync("/usr/bin/python3", ["-c", PY, ROOT, weights, String(RUNS)], { encoding: "utf8" });
const theirs = py.status === 0 ? JSON.parse(py.stdout) : null;
const rows = [
  ["Fashion-MNIST train images (60,000, .gz) to float32 batches", "load", "torchvision-style gzip + numpy"],
  ["one shuffled epoch, batch 64 (938 batches)", "epoch", "randperm + index_select"],
  ["load MLP weights (1.1 MB safetensors)", "ckptLoad", "read + header + frombuffer"],
  ["save MLP + Adam state (3.2 MB, atomic, fsync)", "ckptSave", null],
];
console.log(`tensorgrad ${tg.cpuIsa()}, ${tg.getNumThreads()} threads; medians of ${RUNS} runs, wall / CPU ms${theirs ? "" : `; PyTorch skipped: ${py.stderr.split("\n").filter(Boolean).at(-1)}`}`);
const fmtPair = ([w, c]) => `${w.toFixed(1).padStart(7)} / ${c.toFixed(1).padStart(7)}`;
for (const [label, key, how] of rows) {
  const a = medians(mine[key]), b = theirs && how ? medians(theirs[key]) : null;
  console.log(`${label}\n  tensorgrad ${fmtPair(a)}` + (b === null ? "" : `   PyTorch (${how}) ${fmtPair(b)}   CPU-time ratio ${(b[1] / a[1]).toFixed(2)}×`));
}
