"""The test harness: real PostgreSQL, Redis and VictoriaMetrics, in-process and live services."""
