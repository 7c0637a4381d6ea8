"""Field types reused across schemas."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, ClassVar, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic import BaseModel as _PydanticBase

from core.inputs import NUL_REFUSED, contains_nul

# Deliberately permissive: "admin@localhost" is a valid address for a self-hosted install.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def normalise_email(value: str) -> str:
    # Checked before stripping: "a@b.example\r\n" is a header injection attempt, not a typo.
    if _CONTROL_CHARS.search(value):
        raise ValueError(
            "control characters (NUL, CR, LF, ...) are not allowed in an e-mail address"
        )
    value = value.strip().lower()
    if not _EMAIL_RE.match(value):
        raise ValueError("not an e-mail address")
    return value


# Every id is a PostgreSQL `integer`: a larger one is refused as input, never sent to the database.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Pages past the last possible id are as empty as any other, and the row offset stays bounded.
PageNumber = Annotated[int, Field(ge=1, le=MAX_ID)]

# Instants anyone may give: within what PostgreSQL, Python and a human calendar all agree on.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


def _to_utc(value: datetime) -> datetime:
    """Naive means UTC. Refused, naming the range: instants outside EARLIEST..LATEST, and those
    an offset pushes out of Python's calendar (year 1 at +05:00 is before year 1 in UTC)."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC)")
    return utc


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Berlin)") from None
    return value


# An IANA time zone name ("Europe/Berlin", "UTC").
TimeZoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_zone)]

Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(normalise_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Labels = Annotated[
    dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=256)]],
    Field(max_length=32),
]


class Schema(_PydanticBase):
    """What the API returns, read from rows by attribute (`Schema.model_validate(row)`)."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def from_row(cls, row: object, **computed: object) -> Self:
        """The fields from `row`'s attributes of the same names, except those in `computed`:
        the ones the row lacks or must not show as stored (derived, renamed, redacted)."""
        return cls.model_validate(_Overlay(row, computed))


class _Overlay:
    """`row` with some attributes replaced, as `from_attributes` reads it."""

    def __init__(self, row: object, values: dict[str, object]) -> None:
        self._row = row
        self._values = values

    def __getattr__(self, name: str) -> object:
        return self._values[name] if name in self._values else getattr(self._row, name)


class TextInput(_PydanticBase):
    """Anything a client sends: no text anywhere in it may hold a NUL (PostgreSQL refuses it),
    and the error names the field that does."""

    # Fields whose text a more specific rule checks later, naming the exact part.
    nul_checked_later: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object, info: ValidationInfo) -> object:
        if info.field_name not in cls.nul_checked_later and contains_nul(value):
            raise ValueError(NUL_REFUSED)
        return value


class StrictInput(TextInput):
    """Request bodies: unknown fields are an error, so typos are reported instead of ignored."""

    model_config = ConfigDict(extra="forbid")
