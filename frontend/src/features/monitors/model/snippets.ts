// Copy-paste snippets for a push monitor: a crontab line, a shell wrapper that reports a
// command's exit status, PowerShell. The push URL is this dashboard's origin plus the
// monitor's push path (/ping/<key>, served at the gateway's root, no sign-in: the key is the
// secret). /ping/<key>/start marks a run's start, /fail or /<exit status> its outcome, and a
// request body (its first 10 KB) is kept as the run's log.

export function pushUrl(origin: string, pushPath: string): string {
  return `${origin.replace(/\/+$/, "")}/${pushPath.replace(/^\/+/, "")}`;
}

/** A POSIX shell word: single quotes, with each ' written as '\''. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A PowerShell single-quoted string ('' inside). */
export function psQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const CURL = "curl -fsS -m 10 --retry 5 -o /dev/null";

/**
 * A crontab schedule for the monitor: its own cron expression, else the period as cron says it
 * when it can (every N minutes dividing an hour, every N hours dividing a day, daily); else
 * hourly, with the caller's hint to adjust it.
 */
export function cronSchedule(config: { cron?: string | null; period_seconds?: number | null }): { schedule: string; exact: boolean } {
  if (config.cron && config.cron.trim() !== "") return { schedule: config.cron.trim(), exact: true };
  const period = config.period_seconds ?? 0;
  if (period > 0 && period % 60 === 0) {
    const minutes = period / 60;
    if (minutes === 1) return { schedule: "* * * * *", exact: true };
    if (minutes < 60 && 60 % minutes === 0) return { schedule: `*/${minutes} * * * *`, exact: true };
    if (minutes % 60 === 0) {
      const hours = minutes / 60;
      if (hours === 1) return { schedule: "0 * * * *", exact: true };
      if (hours < 24 && 24 % hours === 0) return { schedule: `0 */${hours} * * *`, exact: true };
      if (hours === 24) return { schedule: "0 0 * * *", exact: true };
    }
  }
  return { schedule: "0 * * * *", exact: false };
}

export interface PushSnippetInput {
  url: string;
  schedule: string;
  /** the job to run, as the user would type it */
  command: string;
}

/** A crontab line: the job, then success or /fail by its exit status. */
export function crontabSnippet({ url, schedule, command }: PushSnippetInput): string {
  const quoted = shellQuote(url);
  return [
    `# m h dom mon dow  command`,
    `${schedule} ${command} && ${CURL} ${quoted} || ${CURL} ${shellQuote(`${url}/fail`)}`,
  ].join("\n");
}

/** A wrapper script: start, run the command, report its exit status with the end of its output. */
export function shellWrapperSnippet({ url, schedule, command }: PushSnippetInput): string {
  return [
    `#!/bin/sh`,
    `# statusmonitor-run: runs a command and reports its exit status (and output) to StatusMonitor.`,
    `# Save as /usr/local/bin/statusmonitor-run, chmod +x, then in crontab:`,
    `#   ${schedule} /usr/local/bin/statusmonitor-run ${command}`,
    `URL=${shellQuote(url)}`,
    `${CURL} "$URL/start"`,
    `LOG=$(mktemp)`,
    `"$@" >"$LOG" 2>&1`,
    `STATUS=$?`,
    `tail -c 10000 "$LOG" | ${CURL} --data-binary @- "$URL/$STATUS"`,
    `cat "$LOG"`,
    `rm -f "$LOG"`,
    `exit $STATUS`,
  ].join("\n");
}

/** PowerShell (a scheduled task): start, run, report the exit code with the output. */
export function powershellSnippet({ url, command }: PushSnippetInput): string {
  return [
    `$url = ${psQuote(url)}`,
    `Invoke-RestMethod -Uri "$url/start" -TimeoutSec 10 | Out-Null`,
    `try {`,
    `  $output = & ${command} 2>&1 | Out-String`,
    `  $code = if ($?) { 0 } else { [Math]::Max(1, [int]$LASTEXITCODE) }`,
    `} catch {`,
    `  $output = $_ | Out-String`,
    `  $code = 1`,
    `}`,
    `$body = if ($output.Length -gt 10000) { $output.Substring($output.Length - 10000) } else { $output }`,
    `Invoke-RestMethod -Uri "$url/$code" -Method Post -Body $body -TimeoutSec 10 | Out-Null`,
  ].join("\n");
}

/** The plainest calls, for any script: success, failure, or the last command's exit status. */
export function curlSnippet({ url }: PushSnippetInput): string {
  return [
    `URL=${shellQuote(url)}`,
    `${CURL} "$URL"        # success`,
    `${CURL} "$URL/fail"   # failure`,
    `${CURL} "$URL/$?"     # the exit status of the command just run`,
  ].join("\n");
}

export const PUSH_SNIPPETS = { crontab: crontabSnippet, wrapper: shellWrapperSnippet, powershell: powershellSnippet, curl: curlSnippet } as const;
export type PushSnippetKind = keyof typeof PUSH_SNIPPETS;
