"""ingestion_service: every door reports come in through, normalised onto the `reports` stream."""
