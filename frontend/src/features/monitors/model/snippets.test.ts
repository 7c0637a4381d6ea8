import { describe, expect, it } from "vitest";
import { cronSchedule, crontabSnippet, curlSnippet, powershellSnippet, psQuote, pushUrl, shellQuote, shellWrapperSnippet } from "./snippets";

const url = "https://monitor.example.com/ping/k3y_AbC-123";
const input = { url, schedule: "*/5 * * * *", command: "/usr/local/bin/backup.sh" };

describe("the push URL", () => {
  it("is the dashboard's origin plus the monitor's push path", () => {
    expect(pushUrl("https://monitor.example.com/", "/ping/k3y_AbC-123")).toBe(url);
    expect(pushUrl("http://10.0.0.5:8080", "ping/abc")).toBe("http://10.0.0.5:8080/ping/abc");
  });
});

describe("the schedule a crontab line gets", () => {
  it("is the monitor's cron, or its period when cron can say it", () => {
    expect(cronSchedule({ cron: "0 3 * * mon-fri", period_seconds: 60 })).toEqual({ schedule: "0 3 * * mon-fri", exact: true });
    expect(cronSchedule({ period_seconds: 60 })).toEqual({ schedule: "* * * * *", exact: true });
    expect(cronSchedule({ period_seconds: 300 })).toEqual({ schedule: "*/5 * * * *", exact: true });
    expect(cronSchedule({ period_seconds: 3600 })).toEqual({ schedule: "0 * * * *", exact: true });
    expect(cronSchedule({ period_seconds: 6 * 3600 })).toEqual({ schedule: "0 */6 * * *", exact: true });
    expect(cronSchedule({ period_seconds: 86_400 })).toEqual({ schedule: "0 0 * * *", exact: true });
  });

  it("says when it cannot (the user adjusts it)", () => {
    expect(cronSchedule({ period_seconds: 7 * 60 })).toEqual({ schedule: "0 * * * *", exact: false });
    expect(cronSchedule({ period_seconds: 90 })).toEqual({ schedule: "0 * * * *", exact: false });
    expect(cronSchedule({ period_seconds: 7 * 86_400 })).toEqual({ schedule: "0 * * * *", exact: false });
  });
});

describe("the snippets", () => {
  it("crontab: the job, then success or /fail by its exit status", () => {
    const line = crontabSnippet(input).split("\n")[1];
    expect(line).toBe(`*/5 * * * * /usr/local/bin/backup.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${url} || curl -fsS -m 10 --retry 5 -o /dev/null ${url}/fail`);
  });

  it("shell wrapper: /start, the command with its arguments, then /<exit status> with the output's tail", () => {
    const text = shellWrapperSnippet(input);
    expect(text.startsWith("#!/bin/sh\n")).toBe(true);
    expect(text).toContain(`URL=${url}`);
    expect(text).toContain(`curl -fsS -m 10 --retry 5 -o /dev/null "$URL/start"`);
    expect(text).toContain(`"$@" >"$LOG" 2>&1\nSTATUS=$?`);
    expect(text).toContain(`tail -c 10000 "$LOG" | curl -fsS -m 10 --retry 5 -o /dev/null --data-binary @- "$URL/$STATUS"`);
    expect(text.endsWith("exit $STATUS")).toBe(true);
    expect(text).toContain("#   */5 * * * * /usr/local/bin/statusmonitor-run /usr/local/bin/backup.sh");
  });

  it("PowerShell: Invoke-RestMethod to /start, then to the exit code with the output", () => {
    const text = powershellSnippet({ ...input, command: "C:\\jobs\\backup.ps1" });
    expect(text.split("\n")[0]).toBe(`$url = '${url}'`);
    expect(text).toContain(`Invoke-RestMethod -Uri "$url/start" -TimeoutSec 10 | Out-Null`);
    expect(text).toContain("& C:\\jobs\\backup.ps1 2>&1 | Out-String");
    expect(text).toContain(`Invoke-RestMethod -Uri "$url/$code" -Method Post -Body $body -TimeoutSec 10 | Out-Null`);
  });

  it("curl: success, failure and an exit status, the URL quoted once", () => {
    const text = curlSnippet(input);
    expect(text).toContain(`URL=${url}`);
    expect(text).toContain(`"$URL/$?"`);
  });

  it("quote what a shell would split or expand", () => {
    expect(shellQuote(url)).toBe(url);
    expect(shellQuote("http://host/ping/a b")).toBe("'http://host/ping/a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(psQuote("it's")).toBe("'it''s'");
    expect(crontabSnippet({ ...input, url: "http://h/ping/$x" })).toContain("'http://h/ping/$x' ||");
  });
});
