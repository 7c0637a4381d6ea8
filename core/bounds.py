"""How much one request may carry (every list, map and label in every accepted format), and
how much the datastores may hold.

One agent token must not be able to grow the stream, the live view or the time-series store
without bound, so each collection a client sends has a ceiling, generous for real hosts and
collectors, and anything beyond it is refused with a 4xx naming the limit (never trimmed in
silence). The wire schemas (core/schemas/agent_payload.py, the ingestion service's doors) and
the history writer read their limits from here; the agent trims what it collects to them.
"""

from __future__ import annotations

# --- our agent's payload (POST /ingest, /ingest/batch) ---------------------------------------
MAX_CORES = 1024  # per_core_usage, per_core_freq: the largest x86 and ARM servers stay below
MAX_LOAD_AVERAGES = 3  # 1, 5 and 15 minutes
MAX_PARTITIONS = 256  # real filesystems; a container host lists overlays too
MAX_INTERFACES = 256  # network interfaces, veth pairs of a busy container host included
MAX_SENSORS = 256  # temperature sensors
MAX_NAME_LENGTH = 64  # an interface or sensor name
MAX_PATH_LENGTH = 256  # a mountpoint or device path
MAX_FSTYPE_LENGTH = 64
MAX_HOST_TEXT_LENGTH = 256  # each host_info string: hostname, os_version, cpu_model...
MAX_BATCH_REPORTS = 1000  # reports in one /ingest/batch

# --- custom metrics: the Metrics Collection API and InfluxDB line protocol ---------------------
MAX_CUSTOM_METRICS = 500  # metrics in one Metrics Collection API message
MAX_LINES = 10_000  # lines in one line-protocol write (Telegraf sends 1,000 by default)
MAX_FIELDS_PER_LINE = 1000  # fields of one line (Telegraf's mysql input sends ~400)
# A line-protocol write becomes one report per timestamp; a bigger group is split so that no
# stream entry (and live frame) grows with the size of the write.
MAX_SAMPLES_PER_REPORT = 2000

# --- labels, wherever they come from ------------------------------------------------------------
# VictoriaMetrics keeps 30 labels per series by default (-maxLabelsPerTimeseries) and drops the
# rest in silence; the platform adds 6 of its own (the name, org_id, target_type, target_id,
# agent_id, source), which leaves 24 for the sender.
MAX_LABELS = 24
MAX_LABEL_KEY_LENGTH = 64  # as core.reports.LABEL_NAME_RE allows
MAX_LABEL_VALUE_LENGTH = 1024

# --- the datastores `make run`, the tests and docker compose start -------------------------------
# Defaults of REDIS_MAXMEMORY, TSDB_MAX_HOURLY_SERIES and TSDB_MAX_DAILY_SERIES (.env.example),
# which deploy/run.py and docker-compose.yml read; no service needs them.
# Redis' memory ceiling (its maxmemory). Past it Redis refuses writes rather than evicting
# (maxmemory-policy noeviction, see core/dev/datastores/redis_server.py): ingestion answers 503
# and agents keep their reports on disk until there is room again. Consumers trim what they
# have read, so in normal operation the stream holds seconds of reports, far below this.
DEFAULT_REDIS_MAXMEMORY = "1gb"
# VictoriaMetrics' own backstop on series (-storage.maxHourlySeries, -storage.maxDailySeries):
# past these it drops new series of every tenant, so they sit far above what the per-agent and
# per-organization caps of the ingestion service let one tenant create.
DEFAULT_TSDB_MAX_HOURLY_SERIES = 2_000_000
DEFAULT_TSDB_MAX_DAILY_SERIES = 5_000_000
