"""Shared core of StatusMonitor: settings, models, schemas, security and service plumbing."""

__version__ = "0.1.0"
