"""The probe service's state, made at start-up, and the dependencies its routes reach it by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from core.crypto import SecretBox
from core.state import state_dependency
from probe_service.checks import CheckContext
from probe_service.config import ProbeSettings


@dataclass
class ProbeState:
    config: ProbeSettings
    box: SecretBox  # seals and opens the monitors' secrets (SECRET_KEY)
    checks: CheckContext  # guarded HTTP clients for "test now"


ProbeDep = Annotated[ProbeState, Depends(state_dependency(ProbeState))]
