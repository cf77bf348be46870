// Every collective on every dtype; prints what each produced as JSON, or writes it to
// RESULT_DIR/rank-N.json when that is set (under mpirun, whose forwarding of several ranks' output can
// split a long line). INIT_METHOD selects the store, BACKEND=mpi the MPI backend (under mpirun).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tg from "../../../dist/index.js";

const d = tg.distributed;
const initMethod = process.env.INIT_METHOD ?? "env://";
const backend = process.env.BACKEND ?? "gloo";
const given = process.env.RANK ? { rank: Number(process.env.RANK), worldSize: Number(process.env.WORLD_SIZE) } : {};  // mpirun: from MPI
await d.initProcessGroup({ backend, ...(backend === "gloo" ? { initMethod } : {}), ...given, timeoutMs: 10_000 });
const r = d.getRank(), n = d.getWorldSize();
const out = { rank: r, worldSize: n, initialized: d.isInitialized() };
const base = (dtype) => tg.tensor([r + 1, 2 * (r + 1), -(r + 1), 0.5], { dtype });
for (const dtype of ["float32", "float64", "int32"]) {
  for (const op of ["sum", "avg", "max", "min"]) {
    if (op === "avg" && dtype === "int32") continue;
    const t = base(dtype).reshape([2, 2]);
    const same = await d.allReduce(t, { op });
    out[`allReduce.${op}.${dtype}`] = { values: Array.from(t.data()), shape: t.shape, same: same === t };
  }
  const b = base(dtype);
  await d.broadcast(b, { src: n - 1 });
  out[`broadcast.${dtype}`] = Array.from(b.data());
  const list = Array.from({ length: n }, () => tg.zeros([4], { dtype }));
  await d.allGather(list, base(dtype));
  out[`allGather.${dtype}`] = list.map((x) => Array.from(x.data()));
  // inputList[k] on rank r is [k + r, 10k - r², r/2] (r/2 truncates in int32).
  for (const op of ["sum", "avg", "max", "min"]) {
    if (op === "avg" && dtype === "int32") continue;
    const o = tg.zeros([3], { dtype });
    const inputs = Array.from({ length: n }, (_, k) => tg.tensor([k + r, 10 * k - r * r, r / 2], { dtype }));
    const same = await d.reduceScatter(o, inputs, { op });
    out[`reduceScatter.${op}.${dtype}`] = Array.from(o.data());
    out[`reduceScatter.${op}.${dtype}.kept`] = same === o && inputs.every((x, k) => x.data()[0] === k + r);
  }
}
// Non-contiguous output and inputs: [2, 2] transposed views.
const tOut = tg.zeros([2, 2]).t();
await d.reduceScatter(tOut, Array.from({ length: n }, (_, k) => tg.tensor([[k, 1], [r, 2]]).t()));
out.reduceScatterStrided = Array.from(tOut.contiguous().data());
// 9.6 MB per input, twice (the second reuses the kept buffers), then a small one and the large one
// again (Gloo 2022's own ReduceScatterHalvingDoubling got the tail of such chunks wrong now and then).
// inputList[k][i] on rank r = i % 1000 + k + r; each rank checks its chunk against that formula and
// reports the elements that differ.
const bigN = 1_200_000;
let bad = 0;
for (const len of [bigN, bigN, 5, bigN]) {
  const inputs = Array.from({ length: n }, (_, k) => tg.tensor(Float64Array.from({ length: len }, (_, i) => (i % 1000) + k + r)));
  const o = tg.zeros([len], { dtype: "float64" });
  await d.reduceScatter(o, inputs);
  const got = o.data();
  for (let i = 0; i < len; ++i) if (got[i] !== n * ((i % 1000) + r) + (n * (n - 1)) / 2) ++bad;
}
out.reduceScatterLarge = bad;
// A view in the middle of a larger storage is reduced in place, and only there.
const big = tg.arange(0, 8);
const mid = big.narrow(0, 2, 4);
await d.allReduce(mid);
out.view = Array.from(big.data());
// Empty and 0-d tensors; NaN and infinities propagate as in a plain sum.
const empty = tg.zeros([0]);
await d.allReduce(empty);
out.empty = empty.shape;
const scalar = tg.tensor(r + 1);
await d.allReduce(scalar);
out.scalar = scalar.item();
const special = tg.tensor(r === 0 ? [NaN, Infinity, -0] : [1, 1, -0]);
await d.allReduce(special);
out.special = Array.from(special.data()).map(String);
// A tensor disposed while its all-reduce is in flight still gets reduced (its storage is pinned).
const pinnedT = tg.ones([1 << 16]);
const p = d.allReduce(pinnedT);
const keep = pinnedT.storage;
pinnedT.dispose();
const lengthInFlight = keep.length;
await p;
out.pinned = [lengthInFlight, keep.length];
await d.barrier();
await d.destroyProcessGroup();
out.afterDestroy = d.isInitialized();
if (process.env.RESULT_DIR) writeFileSync(join(process.env.RESULT_DIR, `rank-${r}.json`), JSON.stringify(out));
else console.log(JSON.stringify(out));
