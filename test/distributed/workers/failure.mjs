// MODE=kill: rank KILL_RANK dies (SIGKILL) after one all-reduce; MODE=kill-mid: it dies in the middle
// of a 64 MiB all-reduce, once part of the result has landed in its tensor (it first prints how many
// of the tensor's 1 MiB pieces had changed); MODE=hang: it stays alive but skips
// the next collective; MODE=mismatch: ranks reduce tensors of different sizes; MODE=mismatch-rs:
// their reduceScatter outputs differ in size. The others print
// how their pending collective ended and after how long.
import * as tg from "../../../dist/index.js";

const d = tg.distributed;
const mode = process.env.MODE, victim = Number(process.env.KILL_RANK ?? -1);
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 3000);
let rank = Number(process.env.RANK);  // under mpirun: from MPI, once initialized
let start = Date.now();
try {
  await d.initProcessGroup({ timeoutMs, backend: process.env.BACKEND ?? "gloo" });
  rank = d.getRank();
  await d.allReduce(tg.ones([4]));
  start = Date.now();
  if (rank === victim && mode === "kill") process.kill(process.pid, "SIGKILL");
  if (mode === "kill-mid") await bigAllReduce(rank === victim);
  else if (rank === victim && mode === "hang") await new Promise((r) => setTimeout(r, timeoutMs * 3));
  else if (mode === "mismatch-rs") await d.reduceScatter(tg.zeros([2 + rank]), [tg.ones([2 + rank]), tg.ones([2 + rank])]);
  else await d.allReduce(tg.ones([mode === "mismatch" ? 1000 * (rank + 1) : 1000]));
  console.log(JSON.stringify({ rank, ok: true }));
} catch (e) {
  // A later collective on the broken group is refused at once.
  let next = "";
  try {
    await d.barrier();
  } catch (e2) {
    next = e2.message;
  }
  // …and the group can still be destroyed (nothing waits on the stuck peer).
  let destroyed = "";
  if (d.isInitialized()) destroyed = await d.destroyProcessGroup().then(() => "ok", (e3) => e3.message);
  console.log(JSON.stringify({ rank, ok: false, ms: Date.now() - start, error: e.message, next, destroyed }));
}

// 64 MiB of ones, all-reduced; the victim watches one element per 1 MiB piece (Gloo's segment size)
// from the JS thread while the communication thread writes sums into the tensor, and kills itself
// as soon as some piece has changed and before all have: by construction, in mid-transfer.
async function bigAllReduce(victim) {
  const t = tg.ones([16 * 1048576]);
  const done = d.allReduce(t);
  if (!victim) return done;
  const view = t.storage, step = 262144;
  let settled = false;
  done.then(() => (settled = true), () => (settled = true));
  for (;;) {
    await new Promise((r) => setImmediate(r));
    let changed = 0;
    for (let i = 0; i < view.length; i += step) if (view[i] !== 1) changed += 1;
    if (settled) throw new Error("the all-reduce finished before the victim saw it in mid-transfer");
    if (changed > 0 && changed < view.length / step) {
      console.log(JSON.stringify({ rank, killedMidTransfer: true, piecesChanged: changed, pieces: view.length / step }));
      process.kill(process.pid, "SIGKILL");
    }
  }
}
