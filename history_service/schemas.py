"""Response shapes of the history API (for OpenAPI; handlers encode with orjson)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ChartSeriesOut(BaseModel):
    name: str = Field(examples=["cpu_percent"])
    labels: dict[str, str] = Field(examples=[{"core": "0"}])
    timestamps: list[int] = Field(description="unix seconds, one per step, shared by the chart")
    values: list[float | None] = Field(description="null where there is no data")


class ChartOut(BaseModel):
    agent_id: int
    metric: str
    start: datetime
    stop: datetime
    step_seconds: int
    series: list[ChartSeriesOut]


class StatsOut(BaseModel):
    min: float | None
    avg: float | None
    max: float | None
    p95: float | None
    last: float | None


class SummaryOut(BaseModel):
    agent_id: int
    metric: str = "summary"
    start: datetime
    stop: datetime
    stats: dict[str, StatsOut] = Field(description="cpu_percent, memory_percent, disk_percent")


class MetricNamesOut(BaseModel):
    agent_id: int
    start: datetime
    stop: datetime
    metrics: list[str]
