"""HTTP handlers of the alert service."""
