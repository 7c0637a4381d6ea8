// What the end-to-end specs need beside the browser: the platform under test, a real agent
// reporting to it, and a local webhook receiver for notification channels.
//
// `make test` (tests/frontend/test_playwright.py) starts the platform as `make run` does and
// sets SM_BASE_URL, SM_ADMIN_USER, SM_ADMIN_PASSWORD, SM_REPO (the checkout, whose
// .venv/bin/statusmonitor-agent is the real agent) and SM_TMP (a directory the run deletes);
// the alert service there may send to loopback addresses (ALERT_OUTBOUND_ALLOW_PRIVATE).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const baseURL = process.env.SM_BASE_URL ?? "http://localhost:8080";
export const repo = process.env.SM_REPO ?? resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const scratch = process.env.SM_TMP ?? tmpdir();

const started = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of started) child.kill("SIGKILL"); // a spec that failed half-way
});

export interface RunningAgent {
  /** The agent's HOME (its queue and state live under it). */
  home: string;
  /** Resolves with the exit code (3: the server rejected the token). */
  exited: Promise<number | null>;
  /** What it printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
}

/** The real agent (`.venv/bin/statusmonitor-agent`) with its own HOME, reporting every
 *  `interval` seconds to the platform under test with `token`. Stop it when done. */
export function startAgent(token: string, interval = 2): RunningAgent {
  const home = mkdtempSync(join(scratch, "agent-"));
  const child = spawn(join(repo, ".venv/bin/statusmonitor-agent"), [], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      INGESTION_URL: `${baseURL}/api`,
      AGENT_TOKEN: token,
      COLLECTION_INTERVAL: String(interval),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return {
    home,
    exited,
    output: () => output,
    stop: async () => {
      started.delete(child);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** Where a webhook channel should send: http://127.0.0.1:<port>/hook */
  url: string;
  received: ReceivedRequest[];
  /** The first request (already received or still to come) that `match` accepts. */
  waitFor: (match: (request: ReceivedRequest) => boolean, timeoutMs?: number) => Promise<ReceivedRequest>;
  close: () => Promise<void>;
}

/** An HTTP server on 127.0.0.1 that answers 204 and keeps every request. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const waiting = new Set<() => void>();
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
      response.writeHead(204).end();
      for (const wake of waiting) wake();
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  const waitFor = (match: (request: ReceivedRequest) => boolean, timeoutMs = 30_000) =>
    new Promise<ReceivedRequest>((found, fail) => {
      const check = () => {
        const hit = received.find(match);
        if (hit === undefined) return;
        clearTimeout(timer);
        waiting.delete(check);
        found(hit);
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        fail(new Error(`no matching webhook within ${timeoutMs} ms (${received.length} received)`));
      }, timeoutMs);
      waiting.add(check);
      check();
    });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
