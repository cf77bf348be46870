#!/usr/bin/env node
// tensorgrad-run: torchrun for tensorgrad. Starts --nproc-per-node copies of a script on this
// machine with torchrun's environment (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, …),
// forwards SIGINT/SIGTERM/SIGHUP to them, and when one fails stops the others and exits with its
// code. Run it on every machine of the job with the same --master-addr/--master-port.
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";

const USAGE = `usage: tensorgrad-run --nproc-per-node N [--nnodes M --node-rank R --master-addr A --master-port P] script.js [args...]
  --nproc-per-node  processes (ranks) to start on this machine
  --nnodes          machines in the job (default 1)
  --node-rank       this machine's index in [0, nnodes) (default 0)
  --master-addr     address of node 0, where rank 0 serves the rendezvous store (default 127.0.0.1)
  --master-port     free TCP port on node 0 for that store (default 29500)`;

const OPTIONS = {
  "nproc-per-node": { type: "string" }, nnodes: { type: "string" }, "node-rank": { type: "string" },
  "master-addr": { type: "string" }, "master-port": { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

function fail(msg: string): never {
  process.stderr.write(`tensorgrad-run: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

// The launcher's own options come before the script; everything from the script on is the script's.
function split(argv: string[]): [string[], string | undefined, string[]] {
  let i = 0;
  while (i < argv.length && argv[i].startsWith("-")) i += argv[i].includes("=") || argv[i] === "--help" || argv[i] === "-h" ? 1 : 2;
  return [argv.slice(0, i), argv[i], argv.slice(i + 1)];
}

function int(values: Record<string, unknown>, name: string, dflt: number | undefined, min: number, max = Infinity): number {
  const raw = values[name];
  if (raw === undefined) {
    if (dflt === undefined) fail(`--${name} is required`);
    return dflt;
  }
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) fail(`--${name} must be an integer in [${min}, ${max}], got ${String(raw)}`);
  return v;
}

function main(): void {
  const [own, script, scriptArgs] = split(process.argv.slice(2));
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: own, options: OPTIONS, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const nproc = int(values, "nproc-per-node", undefined, 1);
  const nnodes = int(values, "nnodes", 1, 1);
  const nodeRank = int(values, "node-rank", 0, 0, nnodes - 1);
  const port = int(values, "master-port", 29500, 1, 65535);
  if (!script) fail("no script given");
  const world = nproc * nnodes;
  const children: ChildProcess[] = [];
  let exitCode = 0, left = nproc, stopping = false;
  const stopAll = (sig: NodeJS.Signals) => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill(sig));
  for (let local = 0; local < nproc; ++local) {
    const rank = nodeRank * nproc + local;
    const env = {
      ...process.env, MASTER_ADDR: String(values["master-addr"] ?? "127.0.0.1"), MASTER_PORT: String(port),
      WORLD_SIZE: String(world), RANK: String(rank), LOCAL_RANK: String(local), LOCAL_WORLD_SIZE: String(nproc),
      GROUP_RANK: String(nodeRank), NODE_RANK: String(nodeRank), ROLE_RANK: String(rank), ROLE_WORLD_SIZE: String(world),
    };
    const child = spawn(process.execPath, [...process.execArgv, script, ...scriptArgs], { env, stdio: "inherit" });
    child.on("error", (e) => process.stderr.write(`tensorgrad-run: rank ${rank}: ${e.message}\n`));
    child.on("exit", (code, signal) => {
      const failed = code !== 0;
      if (failed && exitCode === 0) {
        exitCode = code ?? 128 + (signal === "SIGKILL" ? 9 : signal === "SIGINT" ? 2 : 15);
        process.stderr.write(`tensorgrad-run: rank ${rank} ${code !== null ? `exited with code ${code}` : `was killed by ${signal}`}; stopping the others\n`);
      }
      if (failed && !stopping) {
        stopping = true;
        stopAll("SIGTERM");
      }
      if (--left === 0) process.exit(exitCode);
    });
    children.push(child);
  }
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(sig, () => {
      stopping = true;
      stopAll(sig);
    });
}

main();
