"""`statusmonitor-agent` / `python -m agent_service`: the headless agent's entry point.

Exit codes: 0 after SIGTERM/SIGINT, 2 for a configuration problem, 3 when the server
rejects the token. The systemd unit does not restart on 2 or 3: retrying cannot fix them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys

import psutil

from agent_service import __version__
from agent_service.agent import Agent, Timing
from agent_service.collector import Collector
from agent_service.config import AgentConfig, ConfigError, load_config
from agent_service.disk_queue import DiskQueue
from agent_service.sender import Sender

log = logging.getLogger("agent_service")

EXIT_CONFIG = 2


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr,
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    try:
        config = load_config(os.environ)
    except ConfigError as exc:
        log.error("configuration error: %s", exc)
        return EXIT_CONFIG
    if config.host_proc:
        psutil.PROCFS_PATH = config.host_proc  # read the host's /proc from inside a container
    try:
        queue = DiskQueue(config.queue_path, config.queue_max_age_s, config.queue_max_bytes)
    except (OSError, sqlite3.Error) as exc:
        log.error("cannot open the queue %s: %s", config.queue_path, exc)
        return EXIT_CONFIG
    try:
        return asyncio.run(_run(config, queue))
    finally:
        queue.close()


async def _run(config: AgentConfig, queue: DiskQueue) -> int:
    stop = asyncio.Event()
    _on_stop_signals(stop)
    collector = Collector(config.interval, config.server_url, config.host_proc, config.host_root)
    sender = Sender(config.server_url, config.token)
    log.info(
        "statusmonitor-agent %s sending to %s every %g s; %d reports queued in %s",
        __version__,
        config.server_url,
        config.interval,
        len(queue),
        queue.path,
    )
    agent = Agent(collector.collect, sender, queue, Timing(config.interval), stop)
    try:
        code = await agent.run()
    finally:
        await sender.aclose()
    log.info(
        "stopped: collected %d reports since start; %d queued in %s",
        agent.collected,
        len(queue),
        queue.path,
    )
    return code


def _on_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()

    def handle(signum: int) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, handle, signum)
        except NotImplementedError:  # Windows: a plain handler, handing over to the loop
            signal.signal(signum, lambda n, _: loop.call_soon_threadsafe(handle, n))
