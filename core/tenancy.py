"""Organization-scoped lookups: another organization's object answers exactly like a missing one."""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound


class OrgOwned(Protocol):
    @property
    def org_id(self) -> int: ...


T = TypeVar("T", bound=OrgOwned)


async def get_owned(
    session: AsyncSession,
    model: type[T],
    object_id: int,
    org_id: int,
    what: str,
    *,
    for_update: bool = False,
) -> T:
    """The organization's `model` row, or a 404 "<what> not found" that reveals nothing."""
    found = await session.get(model, object_id, with_for_update=for_update)
    if found is None or found.org_id != org_id:
        raise NotFound(f"{what} not found")
    return found
