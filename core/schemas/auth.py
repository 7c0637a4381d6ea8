"""Users, login tokens and password management."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from core.models import Role
from core.schemas.common import Email, Schema, StrictInput, TextInput, normalise_email
from core.schemas.orgs import InvitationToken, OrgPublic

Password = str  # length is checked against the configured policy in the service, not here


class RegisterRequest(StrictInput):
    # No spaces or control characters; one with "@" must be the account's own e-mail.
    username: str = Field(min_length=3, max_length=254, pattern=r"^[^\s\x00-\x1f\x7f]+$")
    password: Password = Field(max_length=1024)
    email: Email | None = None
    # From an invitation: lets this address sign up under any REGISTRATION_POLICY and join.
    invitation_token: InvitationToken | None = None

    @model_validator(mode="after")
    def _email_from_username(self) -> RegisterRequest:
        if self.email is None and "@" in self.username:
            self.email = normalise_email(self.username)
        if self.email is None and self.invitation_token is None:
            raise ValueError("email is required when the username is not an e-mail address")
        return self


class LoginForm(TextInput):
    """POST /token: the OAuth2 password grant's form (RFC 6749 4.3); other fields are ignored."""

    username: str = Field(max_length=254)
    password: Password = Field(max_length=1024)
    grant_type: str | None = Field(default=None, pattern=r"^password$")
    scope: str = Field(default="", max_length=1024)


class UserPublic(Schema):
    id: int
    username: str
    email: str
    created_at: datetime
    org_id: int | None = None
    role: Role | None = None
    organizations: list[OrgPublic] = []


class TokenPair(Schema):
    access_token: str
    # null for the dashboard's own page: there it travels only in the httpOnly session cookie.
    refresh_token: str | None
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class RefreshRequest(StrictInput):
    refresh_token: str = Field(min_length=1, max_length=4096)


class PasswordChange(StrictInput):
    current_password: Password = Field(max_length=1024)
    new_password: Password = Field(max_length=1024)


class Message(Schema):
    detail: str


# --- The Device Monitoring Backend's auth API: POST /login (JSON) and GET /profile -----------


class JsonLogin(TextInput):
    """POST /login: the Device Monitoring Backend's JSON body; other fields are ignored."""

    username: str = Field(max_length=254)
    password: Password = Field(max_length=1024)


class Profile(Schema):
    """GET /profile; `role` is the one in the organization the token is scoped to."""

    id: int
    username: str
    email: str
    role: Role | None = None


class ProfileLogin(TokenPair):
    """POST /login's answer: the token pair, as POST /token gives it, and who logged in."""

    user: Profile
