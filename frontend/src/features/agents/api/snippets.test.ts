import { describe, expect, it } from "vitest";
import { dockerSnippet, ingestionUrl, isLocalOnly, pipSnippet, shellQuote, systemdSnippet } from "./snippets";

const input = { origin: "https://monitor.example.com", token: "sm_AbC-123_xyz", source: "/opt/statusmonitor" };

describe("install snippets", () => {
  it("point the agent at the gateway's /api, where /api/ingest reaches ingestion", () => {
    expect(ingestionUrl("https://monitor.example.com")).toBe("https://monitor.example.com/api");
    expect(ingestionUrl("http://10.0.0.5:8080/")).toBe("http://10.0.0.5:8080/api");
  });

  it("systemd: the env file holds the URL and token, the unit comes from the source", () => {
    const text = systemdSnippet(input);
    expect(text).toContain("INGESTION_URL=https://monitor.example.com/api\nAGENT_TOKEN=sm_AbC-123_xyz\nEOF");
    expect(text).toContain("install -m 0600 -D /dev/stdin /etc/statusmonitor/agent.env");
    expect(text).toContain('cp "$SRC/agent_service/statusmonitor-agent.service" /etc/systemd/system/');
    expect(text).toContain("systemctl enable --now statusmonitor-agent");
    // The unit runs /usr/local/bin/statusmonitor-agent.
    expect(text).toContain("ln -sf /opt/statusmonitor-agent/bin/statusmonitor-agent /usr/local/bin/statusmonitor-agent");
  });

  it("docker: the Dockerfile header's run line with the token filled in", () => {
    const text = dockerSnippet(input);
    expect(text).toContain('docker build -f "$SRC/agent_service/Dockerfile" -t statusmonitor/agent "$SRC"');
    expect(text).toContain("--pid host --network host --uts host");
    expect(text).toContain("-v /proc:/host/proc:ro -v /:/host/root:ro,rslave");
    expect(text).toContain("-e INGESTION_URL=https://monitor.example.com/api -e AGENT_TOKEN=sm_AbC-123_xyz");
    // Every continued line ends in a backslash, the last command line does not.
    const run = text.slice(text.indexOf("docker run")).split("\n");
    expect(run.slice(0, -2).every((line) => line.endsWith(" \\"))).toBe(true);
    expect(run.at(-2)).toBe("  statusmonitor/agent");
  });

  it("pip: the agent's two dependencies, the source without the platform's, then the agent", () => {
    const text = pipSnippet(input);
    expect(text).toContain(`pip install "psutil>=5.9,<8" "httpx>=0.27,<1"`);
    expect(text).toContain('pip install --no-deps "$SRC"');
    expect(text).toContain("INGESTION_URL=https://monitor.example.com/api AGENT_TOKEN=sm_AbC-123_xyz \\\n  ~/.statusmonitor/venv/bin/statusmonitor-agent");
  });

  it("quote what the shell would otherwise split or expand", () => {
    expect(shellQuote("/opt/statusmonitor")).toBe("/opt/statusmonitor");
    expect(shellQuote("/home/me/my source")).toBe("'/home/me/my source'");
    expect(shellQuote("it's $HOME")).toBe("'it'\\''s $HOME'");
    expect(systemdSnippet({ ...input, source: "/srv/a b" })).toContain("SRC='/srv/a b'");
  });

  it("warn about addresses only this machine can reach", () => {
    expect(isLocalOnly("http://localhost:8080")).toBe(true);
    expect(isLocalOnly("http://127.0.0.1:5173")).toBe(true);
    expect(isLocalOnly("http://[::1]:8080")).toBe(true);
    expect(isLocalOnly("https://monitor.example.com")).toBe(false);
    expect(isLocalOnly("http://192.168.1.10:8080")).toBe(false);
  });
});
