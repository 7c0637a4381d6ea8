"""Monitor types: one module each (see base.py), all registered on import."""

from __future__ import annotations

import importlib
import pkgutil

from core.typed_config import secret_fields
from probe_service.checks.base import (
    CHECKS,
    Check,
    CheckConfig,
    CheckContext,
    CheckResult,
    Target,
    get_check,
    register,
)

_NOT_CHECKS = {"base"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _NOT_CHECKS and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "CHECKS",
    "Check",
    "CheckConfig",
    "CheckContext",
    "CheckResult",
    "Target",
    "get_check",
    "register",
    "secret_fields",
]
