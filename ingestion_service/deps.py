"""The ingestion service's state (the `Ingestion` pipeline, made at start-up) as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from core.state import state_dependency
from ingestion_service.domain.pipeline import Ingestion

IngestionDep = Annotated[Ingestion, Depends(state_dependency(Ingestion))]
