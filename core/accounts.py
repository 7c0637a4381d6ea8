"""Creating users and organizations; used by the auth service and the admin CLI alike."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, Unprocessable
from core.models import AlertRule, Membership, Organization, Role, User
from core.reports import MONITOR_DOWN, TARGET_MONITOR
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
    """By username; else by e-mail (case-insensitively) when exactly one account uses it.

    E-mail addresses are not unique (nothing proves them), so a username always wins and an
    address shared by two accounts logs in neither: their owners use their usernames.
    """
    login = login.strip()
    # Usernames that look like e-mail addresses are stored in lower case (login_name).
    by_name = await session.scalar(
        select(User).where(User.username == (login.lower() if "@" in login else login))
    )
    if by_name is not None:
        return by_name
    by_email = (
        await session.scalars(select(User).where(User.email == login.lower()).limit(2))
    ).all()
    return by_email[0] if len(by_email) == 1 else None


def login_name(username: str, email: str) -> str:
    """The username to store. One that looks like an e-mail address must be the account's own
    e-mail, so that it can never pass for someone else's (in member lists, at login)."""
    if "@" not in username:
        return username
    if username.strip().lower() != email:
        raise Unprocessable(
            "username: a username with '@' must be the account's own e-mail address "
            f"({email}); choose one without '@' or use the e-mail as username"
        )
    return email


async def create_user(
    session: AsyncSession, settings: Settings, *, email: str, username: str, password: str
) -> User:
    check_password_policy(settings, password)
    email = email.strip().lower()
    username = login_name(username, email)
    if await session.scalar(select(exists().where(User.username == username))):
        raise Conflict("this username is taken: choose another one")
    password_hash = await hash_password(settings, password)
    user = User(email=email, username=username, password_hash=password_hash)
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
    """The Data Monitoring Tool's checks for every agent, so a new organization is watched from the
    start: CPU, memory and disk above 90 %, and a host silent for 3 report intervals; and every
    uptime monitor going down. Editable."""
    percent = [
        AlertRule(org_id=org_id, metric=metric, condition="gt", threshold=90.0)
        for metric in ("cpu", "memory", "disk")
    ]
    offline = AlertRule(
        org_id=org_id, metric=HOST_OFFLINE, condition="ge", threshold=3.0, severity="critical"
    )
    monitor_down = AlertRule(
        org_id=org_id,
        target_type=TARGET_MONITOR,
        metric=MONITOR_DOWN,
        condition="ge",
        threshold=1.0,
        severity="critical",
        for_seconds=0,
    )
    return [*percent, offline, monitor_down]


def default_org_name(user: User) -> str:
    return f"{user.username.split('@')[0]}'s organization"
