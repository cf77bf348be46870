// Run by tensorgrad-run: prints the environment it got (and stops there with ENV_ONLY); with FAIL_RANK, that rank exits with code
// 3 while the others wait in an all-reduce (the launcher must stop them).
import * as tg from "../../../dist/index.js";

const keys = ["RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK", "MASTER_ADDR", "MASTER_PORT"];
console.log(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k]])), args: process.argv.slice(2) }));
if (process.env.ENV_ONLY) process.exit(0);
await tg.distributed.initProcessGroup({ timeoutMs: 20_000 });
if (String(tg.distributed.getRank()) === process.env.FAIL_RANK) process.exit(3);
const t = tg.ones([3]);
await tg.distributed.allReduce(t);
if (process.env.FAIL_RANK) await new Promise((r) => setTimeout(r, 20_000));
await tg.distributed.destroyProcessGroup();
