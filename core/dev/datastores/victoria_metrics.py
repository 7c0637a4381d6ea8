"""VictoriaMetrics with retention, dedup, no query latency offset and caps on new series."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx

from core.bounds import DEFAULT_TSDB_MAX_DAILY_SERIES, DEFAULT_TSDB_MAX_HOURLY_SERIES
from core.dev.datastores._process import (
    _find_binary,
    _ServerProcess,
)

logger = logging.getLogger(__name__)


class VictoriaMetricsServer(_ServerProcess):
    """A single-node VictoriaMetrics on 127.0.0.1:`port`, storing into `data_dir`."""

    name = "victoria-metrics"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        retention: str = "90d",
        latency_offset: str = "0s",
        dedup_interval: str | None = "1ms",
        max_hourly_series: int = DEFAULT_TSDB_MAX_HOURLY_SERIES,
        max_daily_series: int = DEFAULT_TSDB_MAX_DAILY_SERIES,
    ) -> None:
        super().__init__(data_dir, port)
        self.retention = retention
        # A backstop behind the ingestion service's own per-agent and per-organization caps:
        # series past these are dropped (and logged) by VictoriaMetrics for everyone.
        self.max_hourly_series = max_hourly_series
        self.max_daily_series = max_daily_series
        # Samples of one series within this interval are stored once. At 1ms it only merges
        # identical writes: a stream entry written again after a worker crash (written, not yet
        # acknowledged) is not counted twice.
        self.dedup_interval = dedup_interval
        # VictoriaMetrics hides samples younger than -search.latencyOffset (default 30s) from
        # queries, which suits scraping but not our pushed reports: live views and tests must
        # read what was just written.
        self.latency_offset = latency_offset

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _binary(self) -> str:
        return _find_binary("victoria-metrics", "victoria-metrics")

    def _command(self) -> list[str]:
        command = [
            self._binary(),
            f"-httpListenAddr=127.0.0.1:{self.port}",
            f"-storageDataPath={self.data_dir}",
            f"-retentionPeriod={self.retention}",
            f"-search.latencyOffset={self.latency_offset}",
            f"-storage.maxHourlySeries={self.max_hourly_series}",
            f"-storage.maxDailySeries={self.max_daily_series}",
        ]
        if self.dedup_interval:
            command.append(f"-dedup.minScrapeInterval={self.dedup_interval}")
        return command

    def _is_ready(self) -> bool:
        try:
            # trust_env=False: an HTTP(S)_PROXY in the environment must not capture localhost.
            response = httpx.get(f"{self.url}/health", timeout=1, trust_env=False)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
