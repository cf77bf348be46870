// Every collective on every dtype; prints what each produced as JSON. INIT_METHOD selects the store,
// BACKEND=mpi the MPI backend (under mpirun).
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
  const o = tg.zeros([2], { dtype });
  await d.reduceScatter(o, Array.from({ length: n }, (_, k) => tg.tensor([k + r, 10 * k], { dtype })));
  out[`reduceScatter.${dtype}`] = Array.from(o.data());
}
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
console.log(JSON.stringify(out));
