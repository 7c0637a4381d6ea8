"""Field types reused across schemas."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints
from pydantic import BaseModel as _PydanticBase

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


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(normalise_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Labels = Annotated[
    dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=256)]],
    Field(max_length=32),
]


class Schema(_PydanticBase):
    model_config = ConfigDict(from_attributes=True)


class StrictInput(_PydanticBase):
    """Request bodies: unknown fields are an error, so typos are reported instead of ignored."""

    model_config = ConfigDict(extra="forbid")
