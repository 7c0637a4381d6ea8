// The activation window of a new agent token: AGENT_TOKEN_ACTIVATION_MINUTES (5 by default,
// core/settings.py) from its creation, the agent must make its first report, or the token
// expires unused (core/security/agent_tokens.py). The deadline is the server's clock; the
// countdown runs on the browser's, shifted by the difference the answer's Date header shows.

/**
 * The deadline in this browser's clock (ms since the epoch): `deadline` (ISO, server time)
 * moved by the server's lead over the browser when the answer (`serverDate`, its Date header)
 * arrived at `receivedAt`. Without a usable Date header the deadline is taken as it is.
 */
export function localDeadline(deadline: string | null, serverDate: string | null, receivedAt: number): number | null {
  if (!deadline) return null;
  const end = Date.parse(deadline);
  if (Number.isNaN(end)) return null;
  const server = serverDate ? Date.parse(serverDate) : Number.NaN;
  // The header has whole seconds: a skew under two seconds is rounding, not a wrong clock.
  if (Number.isNaN(server) || Math.abs(receivedAt - server) < 2000) return end;
  return end + (receivedAt - server);
}

/** "4:59", "0:07"; "1:02:03" past an hour (a long AGENT_TOKEN_ACTIVATION_MINUTES). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
