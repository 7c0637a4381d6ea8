"""Creating users and organizations; used by the auth service and the admin CLI alike."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, Unprocessable
from core.models import AlertRule, Invitation, Membership, Organization, Role, User
from core.schemas.alerting import HOST_OFFLINE
from core.security.passwords import hash_password
from core.settings import Settings


def check_password_policy(settings: Settings, password: str) -> None:
    if len(password) < settings.password_min_length:
        raise Unprocessable(
            f"password: must be at least {settings.password_min_length} characters long"
        )


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def find_user(session: AsyncSession, login: str) -> User | None:
    """By username or e-mail, case-insensitively for e-mail."""
    login = login.strip()
    return await session.scalar(
        select(User).where(or_(User.username == login, User.email == login.lower()))
    )


async def create_user(
    session: AsyncSession, settings: Settings, *, email: str, username: str, password: str
) -> User:
    check_password_policy(settings, password)
    if await find_user(session, username) or await find_user(session, email):
        raise Conflict("a user with this username or e-mail already exists")
    password_hash = await hash_password(settings, password)
    user = User(email=email.lower(), username=username, password_hash=password_hash)
    session.add(user)
    await session.flush()
    return user


async def create_organization(
    session: AsyncSession, owner: User, name: str, role: Role = Role.admin
) -> Organization:
    org = Organization(name=name)
    session.add(org)
    await session.flush()
    session.add(Membership(user_id=owner.id, org_id=org.id, role=role))
    owner.last_org_id = owner.last_org_id or org.id
    session.add_all(default_rules(org.id))
    await session.flush()
    return org


def default_rules(org_id: int) -> list[AlertRule]:
    """Seed 000's checks for every agent, so a new organization is watched from the start:
    CPU, memory and disk above 90 %, and a host silent for 3 report intervals. Editable."""
    percent = [
        AlertRule(org_id=org_id, metric=metric, condition="gt", threshold=90.0)
        for metric in ("cpu", "memory", "disk")
    ]
    offline = AlertRule(
        org_id=org_id, metric=HOST_OFFLINE, condition="ge", threshold=3.0, severity="critical"
    )
    return [*percent, offline]


async def accept_invitations(session: AsyncSession, user: User) -> int:
    """Turns every pending invitation for the user's e-mail into a membership."""
    invitations = (
        await session.scalars(select(Invitation).where(Invitation.email == user.email))
    ).all()
    for invitation in invitations:
        session.add(Membership(user_id=user.id, org_id=invitation.org_id, role=invitation.role))
        user.last_org_id = user.last_org_id or invitation.org_id
        await session.delete(invitation)
    await session.flush()
    return len(invitations)


def default_org_name(user: User) -> str:
    return f"{user.username.split('@')[0]}'s organization"
