"""The headless StatusMonitor agent: collects host metrics with psutil and pushes them.

Installed on monitored hosts, so it depends on psutil and httpx only and never imports the
platform's `core` package; the tests check its output against core's wire schema instead.
"""

__version__ = "0.1.0"
