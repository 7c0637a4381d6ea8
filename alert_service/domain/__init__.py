"""Alerting logic without HTTP."""
