// Install snippets with this dashboard's gateway URL and the new token filled in. They follow
// the project's own install notes: agent_service/statusmonitor-agent.service (systemd),
// agent_service/Dockerfile (its header's run line) and README (psutil + httpx, then the agent).
// The agent is not published on a package index: each snippet starts from a copy of the
// StatusMonitor source on the host (`source`, editable on the page).

export interface SnippetInput {
  /** This page's origin, e.g. https://monitor.example.com */
  origin: string;
  token: string;
  /** Where the StatusMonitor source is on the host to monitor. */
  source: string;
}

export const DEFAULT_SOURCE = "/opt/statusmonitor";
const AGENT_DEPENDENCIES = `"psutil>=5.9,<8" "httpx>=0.27,<1"`;

/** The agent posts to `${INGESTION_URL}/ingest`; the gateway routes /api/ingest to ingestion. */
export function ingestionUrl(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/api`;
}

/** A POSIX shell word: single quotes, with each ' written as '\''. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** An address other hosts cannot reach (the agent would talk to its own host). */
export function isLocalOnly(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\./.test(host);
}

export function systemdSnippet({ origin, token, source }: SnippetInput): string {
  const src = shellQuote(source);
  return [
    `SRC=${src}  # the StatusMonitor source on this host`,
    `sudo python3 -m venv /opt/statusmonitor-agent`,
    `sudo /opt/statusmonitor-agent/bin/pip install ${AGENT_DEPENDENCIES}`,
    `sudo /opt/statusmonitor-agent/bin/pip install --no-deps "$SRC"`,
    `sudo ln -sf /opt/statusmonitor-agent/bin/statusmonitor-agent /usr/local/bin/statusmonitor-agent`,
    `sudo install -m 0600 -D /dev/stdin /etc/statusmonitor/agent.env <<'EOF'`,
    `INGESTION_URL=${ingestionUrl(origin)}`,
    `AGENT_TOKEN=${token}`,
    `EOF`,
    `sudo cp "$SRC/agent_service/statusmonitor-agent.service" /etc/systemd/system/`,
    `sudo systemctl daemon-reload`,
    `sudo systemctl enable --now statusmonitor-agent`,
    `journalctl -u statusmonitor-agent -f`,
  ].join("\n");
}

export function dockerSnippet({ origin, token, source }: SnippetInput): string {
  const src = shellQuote(source);
  return [
    `SRC=${src}  # the StatusMonitor source on this host`,
    `docker build -f "$SRC/agent_service/Dockerfile" -t statusmonitor/agent "$SRC"`,
    `docker run -d --name statusmonitor-agent --restart unless-stopped \\`,
    `  --pid host --network host --uts host \\`,
    `  -v /proc:/host/proc:ro -v /:/host/root:ro,rslave \\`,
    `  -v statusmonitor-agent:/var/lib/statusmonitor-agent \\`,
    `  -e INGESTION_URL=${shellQuote(ingestionUrl(origin))} -e AGENT_TOKEN=${shellQuote(token)} \\`,
    `  statusmonitor/agent`,
    `docker logs -f statusmonitor-agent`,
  ].join("\n");
}

export function pipSnippet({ origin, token, source }: SnippetInput): string {
  const src = shellQuote(source);
  return [
    `SRC=${src}  # the StatusMonitor source on this host`,
    `python3 -m venv ~/.statusmonitor/venv`,
    `~/.statusmonitor/venv/bin/pip install ${AGENT_DEPENDENCIES}`,
    `~/.statusmonitor/venv/bin/pip install --no-deps "$SRC"`,
    `INGESTION_URL=${shellQuote(ingestionUrl(origin))} AGENT_TOKEN=${shellQuote(token)} \\`,
    `  ~/.statusmonitor/venv/bin/statusmonitor-agent`,
  ].join("\n");
}

export const SNIPPETS = { systemd: systemdSnippet, docker: dockerSnippet, pip: pipSnippet } as const;
export type SnippetKind = keyof typeof SNIPPETS;
