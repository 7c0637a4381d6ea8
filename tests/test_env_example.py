""".env.example is where an administrator learns what can be set: every setting of every
service appears there under the name the service reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from alert_service.config import AlertSettings
from core.settings import Settings
from distribution_service.config import LiveSettings
from history_service.config import HistorySettings
from ingestion_service.config import IngestSettings
from probe_service.config import ProbeSettings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def _listed() -> set[str]:
    """Names set in the file, commented out (optional, no default) or not."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), re.MULTILINE))


def _names(cls: type[BaseSettings], field: str) -> set[str]:
    alias = cls.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return {str(choice).upper() for choice in alias.choices}
    prefix = str(cls.model_config.get("env_prefix") or "")
    return {f"{prefix}{field}".upper()}


@pytest.mark.parametrize(
    "cls", [Settings, IngestSettings, LiveSettings, HistorySettings, AlertSettings, ProbeSettings]
)
def test_every_setting_is_listed(cls: type[BaseSettings]) -> None:
    listed = _listed()
    missing = [
        " or ".join(sorted(names))
        for field in cls.model_fields
        if not (names := _names(cls, field)) & listed
    ]
    assert missing == [], f"{cls.__name__} settings missing from .env.example"
