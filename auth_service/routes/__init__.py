"""HTTP handlers of the auth service: thin wrappers around auth_service.domain."""
