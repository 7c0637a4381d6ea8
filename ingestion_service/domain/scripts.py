"""The Lua scripts that append a report and update the live view in one atomic step.

Redis runs a script without interleaving other commands, so a report is either appended
and (if it is the newest) shown live, or not touched at all; and a repeated Metrics
Collection API message is either stored once or found already stored.

The live view moves forward only: an old backlog being replayed must neither replace the
latest report nor be pushed to viewers, and a retried report (an identical frame) is not
published twice. Reports of custom metrics only (InfluxDB lines, the Metrics Collection
API) are published but never become the latest report, which the agents overview reads CPU,
memory and disk from. Its time is kept in a hash of its own (core.live.latest_ts_key), so no
stored JSON is parsed here. An agent's report that becomes the latest is also published, as a
small summary (core.live.summary_frame), on its organization's channel, which the
organization-wide live topic follows. A failure of the live part (pcall) never fails the
append, which has already happened.
"""

from __future__ import annotations

# A shebang makes Redis (7+) refuse the whole script up front while it is past maxmemory.
# Without one, a script that already wrote (ZREMRANGEBYSCORE frees memory, but counts as a
# write) may go on writing past the ceiling, and a half-run script could append without
# recording its message id.
REFUSED_WHOLE_WHEN_FULL = "#!lua\n"

_SHOW_LIVE = """
local function show_live(hash, ts_hash, field, frame, ts, channel, snapshot, org, summary)
  if snapshot == '0' then
    redis.call('PUBLISH', channel, frame)
    return
  end
  if redis.call('HGET', hash, field) == frame then return end
  local current_ts = tonumber(redis.call('HGET', ts_hash, field))
  if current_ts and current_ts > tonumber(ts) then return end
  redis.call('HSET', hash, field, frame)
  redis.call('HSET', ts_hash, field, ts)
  redis.call('PUBLISH', channel, frame)
  if org ~= '' then redis.call('PUBLISH', org, summary) end
end
"""

# KEYS: stream, latest-report hash, latest-report time hash
# ARGV: maxlen, entry field, encoded report, target id, report ts, live channel,
#       '1' if the report may become the latest (it has host metrics) else '0',
#       the organization's channel ('' for none) and the summary published there
APPEND_AND_SHOW = (
    REFUSED_WHOLE_WHEN_FULL
    + _SHOW_LIVE
    + """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', ARGV[2], ARGV[3])
pcall(show_live, KEYS[2], KEYS[3], ARGV[4], ARGV[3], ARGV[5], ARGV[6], ARGV[7], ARGV[8],
      ARGV[9])
return id
"""
)

# KEYS: stream, latest-report hash, latest-report time hash, the sender's seen message ids
#       (sorted set: id -> when)
# ARGV: as APPEND_AND_SHOW, then how long an id is remembered (s), now, the message id, and
#       how many ids are remembered per sender at most (the oldest are forgotten first)
# The id is recorded after the XADD, so a failing XADD leaves no record to lose a retry to.
APPEND_ONCE_AND_SHOW = (
    REFUSED_WHOLE_WHEN_FULL
    + _SHOW_LIVE
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[11]) - tonumber(ARGV[10]))
if redis.call('ZSCORE', KEYS[4], ARGV[12]) then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[11], ARGV[12])
local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[13])
if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[4], 0, excess - 1) end
redis.call('EXPIRE', KEYS[4], ARGV[10])
pcall(show_live, KEYS[2], KEYS[3], ARGV[4], ARGV[3], ARGV[5], ARGV[6], ARGV[7], ARGV[8],
      ARGV[9])
return id
"""
)
