"""Notification channels: one module each (see base.py), all registered on import."""

from __future__ import annotations

import importlib
import pkgutil

from alert_service.channels.base import (
    CHANNELS,
    Channel,
    ChannelConfig,
    DeliveryError,
    SendContext,
    deliver,
    get_channel,
    register,
    secret_fields,
)

_NOT_CHANNELS = {"base", "outbound"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _NOT_CHANNELS and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "CHANNELS",
    "Channel",
    "ChannelConfig",
    "DeliveryError",
    "SendContext",
    "deliver",
    "get_channel",
    "register",
    "secret_fields",
]
