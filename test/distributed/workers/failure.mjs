// MODE=kill: rank KILL_RANK dies (SIGKILL) after one all-reduce; MODE=hang: it stays alive but skips
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
  if (rank === victim && mode === "hang") await new Promise((r) => setTimeout(r, timeoutMs * 3));
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
