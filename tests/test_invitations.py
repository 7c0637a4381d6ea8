"""Invitations cannot be hijacked (issue 9, item 2): only the account whose e-mail is the invited
address, holding the invitation's one-time token, joins; existing accounts accept first; the
invite answer tells nothing about accounts; a username never passes for someone else's e-mail."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from core.settings import Settings
from harness.database import fetch
from harness.factories import DEFAULT_PASSWORD, TestUser, invite, login, register_and_login

CEO = "ceo@victim.example"


@pytest.fixture
def client(open_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Open sign-up, the setting under which anyone (Mallory too) has an account."""
    return open_client


async def _org_ids(client: httpx.AsyncClient, user: TestUser) -> set[int]:
    orgs = await client.get("/organizations", headers=user.headers)
    return {org["id"] for org in orgs.json()}


async def _member_emails(client: httpx.AsyncClient, admin: TestUser) -> set[str]:
    members = (await client.get("/members", headers=admin.headers)).json()
    return {m["email"] for m in members if m["status"] == "active"}


async def _register(client: httpx.AsyncClient, username: str, **fields: str) -> httpx.Response:
    body = {"username": username, "password": DEFAULT_PASSWORD, **fields}
    return await client.post("/register", json=body)


async def _answer(
    client: httpx.AsyncClient, user: TestUser, what: str, token: str
) -> httpx.Response:
    return await client.post(f"/invitations/{what}", headers=user.headers, json={"token": token})


async def test_mallorys_username_cannot_take_the_ceos_invitation(
    client: httpx.AsyncClient,
) -> None:
    """The attack as reported: Mallory's username is the CEO's address, her e-mail her own."""
    victim = await register_and_login(client, "admin@victim.example")
    hijack = await _register(client, CEO, email="mallory@example.com")
    assert hijack.status_code == 422, hijack.text
    assert "username" in hijack.json()["detail"] and "own e-mail" in hijack.json()["detail"]

    invited = await invite(client, victim, CEO, "admin")
    assert invited.status_code == 201, invited.text
    assert await _member_emails(client, victim) == {"admin@victim.example"}
    ceo = await register_and_login(client, CEO, invitation_token=invited.json()["token"])
    assert ceo.org_id == victim.org_id
    assert await _member_emails(client, victim) == {"admin@victim.example", CEO}


async def test_a_squatted_address_does_not_lock_its_owner_out(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Mallory signs up first as the CEO's address (nothing proves an address). She still cannot
    join the victim's organization, and the CEO, holding the link, signs up under another
    username with that address and joins as invited."""
    victim = await register_and_login(client, "admin@victim.example")
    mallory = await register_and_login(client, CEO)
    token = (await invite(client, victim, CEO, "admin")).json()["token"]
    assert victim.org_id not in await _org_ids(client, mallory)
    guessed = await _answer(client, mallory, "accept", "smi_" + "A" * 43)
    assert guessed.status_code == 404
    assert victim.org_id not in await _org_ids(client, mallory)

    body = {"username": CEO, "password": "the ceo's own password", "invitation_token": token}
    taken = await client.post("/register", json=body)
    assert taken.status_code == 409 and "username" in taken.json()["detail"]
    ceo = await client.post("/register", json={**body, "username": "ceo"})
    assert ceo.status_code == 201, ceo.text
    assert ceo.json()["email"] == CEO and ceo.json()["org_id"] == victim.org_id
    assert ceo.json()["role"] == "admin"
    assert (await login(client, "ceo", "the ceo's own password")).status_code == 200
    # The address alone logs in neither account now; each username still does.
    assert (await login(client, CEO, "the ceo's own password")).status_code == 401
    assert (await login(client, CEO, DEFAULT_PASSWORD)).status_code == 200
    rows = await fetch(settings.database_url, "SELECT username FROM users WHERE email = $1", CEO)
    assert sorted(r["username"] for r in rows) == ["ceo", CEO]


async def test_an_invited_existing_user_joins_only_after_accepting(
    client: httpx.AsyncClient,
) -> None:
    alice = await register_and_login(client, "alice@example.com")
    bob = await register_and_login(client, "bob@example.com")
    invited = await invite(client, alice, "Bob@Example.com", "operator")
    assert invited.status_code == 201, invited.text
    assert alice.org_id not in await _org_ids(client, bob)
    assert await _member_emails(client, alice) == {"alice@example.com"}
    pending = (await client.get("/users/me/invitations", headers=bob.headers)).json()
    assert [(p["org_id"], p["org_name"], p["role"]) for p in pending] == [
        (alice.org_id, "Default organization", "operator")
    ]
    assert "token" not in pending[0]

    accepted = await _answer(client, bob, "accept", invited.json()["token"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["id"] == alice.org_id and accepted.json()["role"] == "operator"
    assert alice.org_id in await _org_ids(client, bob)
    assert await _member_emails(client, alice) == {"alice@example.com", "bob@example.com"}
    assert (await client.get("/users/me/invitations", headers=bob.headers)).json() == []
    again = await _answer(client, bob, "accept", invited.json()["token"])
    assert again.status_code == 409 and "already been accepted" in again.json()["detail"]


async def test_another_account_holding_the_link_is_refused(client: httpx.AsyncClient) -> None:
    alice = await register_and_login(client, "alice@example.com")
    bob = await register_and_login(client, "bob@example.com")
    carol = await register_and_login(client, "carol@example.com")
    token = (await invite(client, alice, "bob@example.com", "admin")).json()["token"]
    for what in ("accept", "decline"):
        refused = await _answer(client, carol, what, token)
        assert refused.status_code == 403 and "another e-mail" in refused.json()["detail"]
    signup = await _register(client, "dave@example.com", invitation_token=token)
    assert signup.status_code == 403 and "another e-mail" in signup.json()["detail"]
    assert alice.org_id not in await _org_ids(client, carol)
    # Refusals leave the invitation to its addressee.
    assert (await _answer(client, bob, "accept", token)).status_code == 200


async def test_the_invite_answer_is_the_same_for_existing_and_unknown_addresses(
    client: httpx.AsyncClient,
) -> None:
    alice = await register_and_login(client, "alice@example.com")
    await register_and_login(client, "bob@example.com")
    existing = await invite(client, alice, "bob@example.com", "operator")
    unknown = await invite(client, alice, "nobody@example.com", "operator")
    assert existing.status_code == unknown.status_code == 201
    one, other = existing.json(), unknown.json()
    assert one.keys() == other.keys()
    assert not {"user_id", "username"} & one.keys()
    varying = {"id", "email", "token", "created_at", "expires_at"}
    assert {k: v for k, v in one.items() if k not in varying} == {
        k: v for k, v in other.items() if k not in varying
    }
    assert one["status"] == "pending" and one["token"] != other["token"]


async def test_declining_keeps_the_user_out_and_closes_the_link(client: httpx.AsyncClient) -> None:
    alice = await register_and_login(client, "alice@example.com")
    bob = await register_and_login(client, "bob@example.com")
    token = (await invite(client, alice, "bob@example.com")).json()["token"]
    declined = await _answer(client, bob, "decline", token)
    assert declined.status_code == 204, declined.text
    assert alice.org_id not in await _org_ids(client, bob)
    assert (await client.get("/invitations", headers=alice.headers)).json() == []
    assert (await client.get("/users/me/invitations", headers=bob.headers)).json() == []
    late = await _answer(client, bob, "accept", token)
    assert late.status_code == 410 and "declined" in late.json()["detail"]
    # The admin may ask again: a new link, which works.
    second = await invite(client, alice, "bob@example.com")
    assert second.status_code == 201
    assert (await _answer(client, bob, "accept", second.json()["token"])).status_code == 200


async def test_an_expired_invitation_is_refused_and_can_be_renewed(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    alice = await register_and_login(client, "alice@example.com")
    bob = await register_and_login(client, "bob@example.com")
    old = (await invite(client, alice, "bob@example.com")).json()
    assert old["expires_at"] > old["created_at"]
    await fetch(
        settings.database_url,
        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1",
        old["id"],
    )
    for answer in (
        await _answer(client, bob, "accept", old["token"]),
        await _register(client, "bob2", email="bob@example.com", invitation_token=old["token"]),
    ):
        assert answer.status_code == 410 and "expired" in answer.json()["detail"]
    assert alice.org_id not in await _org_ids(client, bob)
    assert (await client.get("/users/me/invitations", headers=bob.headers)).json() == []
    listed = (await client.get("/invitations", headers=alice.headers)).json()
    assert [(i["id"], i["status"]) for i in listed] == [(old["id"], "expired")]
    renewed = await invite(client, alice, "bob@example.com")
    assert renewed.status_code == 201
    assert (await _answer(client, bob, "accept", old["token"])).status_code == 410
    assert (await _answer(client, bob, "accept", renewed.json()["token"])).status_code == 200


async def test_a_username_that_looks_like_an_email_must_be_the_accounts_own(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    someone_else = await _register(client, "someone@else.example", email="me@example.com")
    assert someone_else.status_code == 422
    assert "own e-mail" in someone_else.json()["detail"]
    not_an_address = await _register(client, "a@b@c")
    assert not_an_address.status_code == 422
    own = await _register(client, "Me@Example.com", email="me@example.com")
    assert own.status_code == 201, own.text
    assert own.json()["username"] == own.json()["email"] == "me@example.com"
    plain = await _register(client, "myself", email="me@example.com")
    assert plain.status_code == 201, plain.text
    assert (
        await fetch(settings.database_url, "SELECT 1 FROM users WHERE username LIKE '%@else%'")
        == []
    )


async def test_a_new_user_signs_up_with_the_link_where_sign_up_needs_an_invitation(
    auth_client: httpx.AsyncClient,
) -> None:
    """REGISTRATION_POLICY=first-user (the default): after the first account, only a link
    opens sign-up, and only for its address; the e-mail comes from it when not given."""
    admin = await register_and_login(auth_client, "admin@example.com")
    token = (await invite(auth_client, admin, "new@example.com", "operator")).json()["token"]
    without = await _register(auth_client, "newbie", email="new@example.com")
    assert without.status_code == 403
    joined = await _register(auth_client, "newbie", invitation_token=token)
    assert joined.status_code == 201, joined.text
    assert joined.json()["email"] == "new@example.com"
    assert joined.json()["org_id"] == admin.org_id and joined.json()["role"] == "operator"
    tokens = (await login(auth_client, "newbie", DEFAULT_PASSWORD)).json()
    orgs = await auth_client.get(
        "/organizations", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert [org["id"] for org in orgs.json()] == [admin.org_id]  # none of its own


async def test_another_organizations_invitations_are_invisible(client: httpx.AsyncClient) -> None:
    alice = await register_and_login(client, "alice@example.com")
    mallory = await register_and_login(client, "mallory@example.com")
    invitation = (await invite(client, alice, "bob@example.com")).json()
    assert (await client.get("/invitations", headers=mallory.headers)).json() == []
    gone = await client.delete(f"/invitations/{invitation['id']}", headers=mallory.headers)
    assert gone.status_code == 404
    listed = (await client.get("/invitations", headers=alice.headers)).json()
    assert [i["status"] for i in listed] == ["pending"]


async def test_two_accounts_racing_for_one_link_make_one_member(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Both accounts use the invited address (addresses are not unique); the token is redeemed
    once."""
    alice = await register_and_login(client, "alice@example.com")
    first = await register_and_login(client, "bob@example.com")
    assert (await _register(client, "bob-two", email="bob@example.com")).status_code == 201
    tokens = (await login(client, "bob-two", DEFAULT_PASSWORD)).json()
    second = TestUser(0, "bob@example.com", DEFAULT_PASSWORD, tokens["access_token"], "", None)
    token = (await invite(client, alice, "bob@example.com")).json()["token"]
    answers = await asyncio.gather(
        _answer(client, first, "accept", token), _answer(client, second, "accept", token)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    rows = await fetch(
        settings.database_url, "SELECT user_id FROM memberships WHERE org_id = $1", alice.org_id
    )
    assert len(rows) == 2  # alice and one of the two


@pytest.mark.parametrize(
    "email",
    [
        "bob\x00@example.com",
        "bob@example.com\r\nBcc: all@example.com",
        "bob@exa\nmple.com",
        "a" * 100_000 + "@example.com",
    ],
)
async def test_hostile_invitation_addresses_are_refused(
    client: httpx.AsyncClient, settings: Settings, email: str
) -> None:
    alice = await register_and_login(client, "alice@example.com")
    response = await invite(client, alice, email)
    assert response.status_code == 422, response.text
    signup = await _register(client, email)
    assert signup.status_code == 422, signup.text
    assert await fetch(settings.database_url, "SELECT id FROM invitations") == []


@pytest.mark.parametrize(
    "token",
    [
        "smi_\x00" + "A" * 40,
        "smi_abc\r\nX-Injected: 1" + "A" * 20,
        "A" * 100_000,
        "smi_ünïcödé" * 4,
        "",
    ],
)
async def test_hostile_invitation_tokens_are_refused(client: httpx.AsyncClient, token: str) -> None:
    bob = await register_and_login(client, "bob@example.com")
    for what in ("accept", "decline"):
        response = await _answer(client, bob, what, token)
        assert response.status_code == 422, response.text
    signup = await _register(client, "eve@example.com", invitation_token=token)
    assert signup.status_code == 422, signup.text
