"""The alert service's state, made at start-up, and the dependencies its routes reach it by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from alert_service.config import AlertSettings
from core.crypto import SecretBox
from core.outbound import OwnStores
from core.state import state_dependency


@dataclass
class AlertState:
    config: AlertSettings
    box: SecretBox  # seals and opens the channels' secrets (SECRET_KEY)
    own_stores: OwnStores  # the platform's stores, refused to every channel


AlertDep = Annotated[AlertState, Depends(state_dependency(AlertState))]


def get_secret_box(alert: AlertDep) -> SecretBox:
    return alert.box


BoxDep = Annotated[SecretBox, Depends(get_secret_box)]
