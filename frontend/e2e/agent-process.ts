// The real headless agent (`statusmonitor-agent` of the project's .venv) started by a spec with
// a token it created: its own HOME, so two agents never share a queue.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const AGENT = process.env.SM_AGENT_BIN ?? join(process.cwd(), "..", ".venv", "bin", "statusmonitor-agent");
const INGESTION = process.env.SM_INGESTION_URL ?? "http://localhost:8080/api";

export interface RunningAgent {
  /** Resolves with the exit code (3: the server rejected the token). */
  exited: Promise<number | null>;
  output: () => string;
  stop: () => Promise<void>;
}

export function startAgent(token: string, prefix = "agentsorg-agent-"): RunningAgent {
  const home = mkdtempSync(join(tmpdir(), prefix));
  let output = "";
  const child: ChildProcess = spawn(AGENT, [], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, INGESTION_URL: INGESTION, AGENT_TOKEN: token, COLLECTION_INTERVAL: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
