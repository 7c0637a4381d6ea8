"""Administration without the web UI.

    python -m core.admin create-user EMAIL [--role admin] [--org NAME] [--username NAME]
    python -m core.admin ensure-admin      # first start: create ADMIN_EMAIL if there is no user
    python -m core.admin deactivate-user EMAIL   # no more logins; open live views close
    python -m core.admin activate-user EMAIL

The password comes from ADMIN_PASSWORD, or is asked for on the terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import access_events, accounts
from core.access_events import AccessChange
from core.db import create_engine, create_sessionmaker
from core.errors import DomainError, NotFound
from core.models import Membership, Organization, Role, User
from core.redis import create_redis
from core.settings import Settings, get_settings

DEFAULT_ORG_NAME = "Default organization"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _read_password(settings: Settings) -> str:
    if settings.admin_password and settings.admin_password.get_secret_value():
        return settings.admin_password.get_secret_value()
    if not sys.stdin.isatty():
        raise SystemExit("error: set ADMIN_PASSWORD or run this on a terminal to type the password")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("error: the passwords do not match")
    return first


async def _org_named(session: AsyncSession, name: str | None) -> Organization | None:
    query = select(Organization).order_by(Organization.id).limit(1)
    if name:
        query = query.where(Organization.name == name)
    return await session.scalar(query)


async def _create_user(
    session: AsyncSession,
    settings: Settings,
    email: str,
    password: str,
    role: Role,
    org_name: str | None,
    username: str | None,
) -> tuple[User, Organization]:
    user = await accounts.create_user(
        session, settings, email=email, username=username or email, password=password
    )
    org = await _org_named(session, org_name)
    if org is None:
        org = await accounts.create_organization(session, user, org_name or DEFAULT_ORG_NAME, role)
    else:
        session.add(Membership(user_id=user.id, org_id=org.id, role=role))
        user.last_org_id = org.id
    return user, org


@asynccontextmanager
async def _transaction(settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()


async def create_user_command(args: argparse.Namespace, settings: Settings) -> None:
    password = _read_password(settings)
    async with _transaction(settings) as session:
        user, org = await _create_user(
            session,
            settings,
            args.email.strip().lower(),
            password,
            Role(args.role),
            args.org,
            args.username,
        )
    _out(f"created {user.email} as {args.role} of '{org.name}'")


async def ensure_admin_command(settings: Settings) -> None:
    """Creates the first admin on first start; silent when any user exists."""
    email = settings.admin_email.strip().lower()
    given = settings.admin_password.get_secret_value() if settings.admin_password else ""
    password = given or secrets.token_urlsafe(12)
    async with _transaction(settings) as session:
        if await accounts.count_users(session):
            return
        await _create_user(session, settings, email, password, Role.admin, None, None)
    _out(f"Created the first admin: {email}")
    if not given:
        _out(f"Generated password (shown once, change it after logging in): {password}")


async def set_active_command(args: argparse.Namespace, settings: Settings) -> None:
    active = args.command == "activate-user"
    async with _transaction(settings) as session:
        user = await accounts.find_user(session, args.email)
        if user is None:
            raise NotFound(f"no user {args.email}")
        user.is_active = active
    if not active:  # committed: now every live-view replica closes the user's sockets
        redis = create_redis(settings)
        try:
            await access_events.publish(redis, AccessChange(user.id, "deactivated"))
        finally:
            await redis.aclose()
    _out(f"{'activated' if active else 'deactivated'} {user.email}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.admin")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a user (password from ADMIN_PASSWORD)")
    create.add_argument("email")
    create.add_argument("--role", choices=[r.value for r in Role], default=Role.admin.value)
    create.add_argument("--org", help="organization name (default: the first, created if none)")
    create.add_argument("--username", help="login name (default: the e-mail)")
    commands.add_parser("ensure-admin", help="create ADMIN_EMAIL as admin if there is no user")
    for name, does in (("deactivate-user", "refuse"), ("activate-user", "allow again")):
        commands.add_parser(name, help=f"{does} a user's logins and tokens").add_argument("email")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "create-user":
        command = create_user_command(args, settings)
    elif args.command == "ensure-admin":
        command = ensure_admin_command(settings)
    else:
        command = set_active_command(args, settings)
    try:
        asyncio.run(command)
    except DomainError as exc:
        _out(f"error: {exc.detail}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
