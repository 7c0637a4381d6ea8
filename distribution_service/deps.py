"""The live view's state, made at start-up, and the dependency its endpoints reach it by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from core.state import state_dependency
from distribution_service.config import LiveSettings
from distribution_service.domain.hub import Hub
from distribution_service.domain.monitors_topic import MonitorsTopics
from distribution_service.domain.org_topic import OrgTopics
from distribution_service.domain.watch import AccessWatch


@dataclass
class LiveState:
    config: LiveSettings
    hub: Hub  # the one pub/sub connection of the process
    watch: AccessWatch  # open sockets, re-checked when their user's access changes
    topics: OrgTopics  # the organization topics someone on this process watches
    monitors: MonitorsTopics  # the monitors topics someone on this process watches


LiveDep = Annotated[LiveState, Depends(state_dependency(LiveState))]
