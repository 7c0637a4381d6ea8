"""HTTP handlers of the history service: thin wrappers around history_service.domain."""
