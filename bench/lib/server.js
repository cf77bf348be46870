// A peer kept running for the whole bench and asked for one batch of timed calls at a time, so that its
// batches alternate with tensorgrad's (a host whose speed drifts by tens of percent within seconds then
// moves both sides of a ratio alike). The program prints one JSON line when ready, then answers each
// request line with one line, or "error …".
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

// Starts `cmd args` and waits for its first line. Resolves to { info, pid, ask(request) → answer, close() },
// or to { skipped: reason } when it cannot start or says nothing.
export async function startServer(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(lastLine(stderr) || `exited with code ${child.exitCode}`);
    return value;
  };
  const failed = new Promise((resolve) => child.once("error", (e) => resolve({ skipped: e.message })));
  const ready = nextLine().then((l) => ({ info: JSON.parse(l) }), (e) => ({ skipped: e.message }));
  const first = await Promise.race([ready, failed]);
  if (first.skipped) {
    child.kill();
    return { skipped: `${cmd.split("/").at(-1)}: ${first.skipped}` };
  }
  return {
    info: first.info,
    pid: child.pid,
    async ask(request) {
      child.stdin.write(`${request}\n`);
      const answer = await nextLine();
      if (answer.startsWith("error")) throw new Error(`${cmd.split("/").at(-1)} on "${request}": ${answer}`);
      return answer;
    },
    close: () => child.stdin.end(),
  };
}

// A prepared workload on `server` (its answer to `prepare …` read): { pid, batch() → seconds per call }.
export async function prepared(server, request) {
  await server.ask(`prepare ${request}`);
  return { pid: server.pid, batch: async () => Number(await server.ask("batch")) };
}

const lastLine = (s) => s.trim().split("\n").filter(Boolean).at(-1)?.slice(0, 160) ?? "";
