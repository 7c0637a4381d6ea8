"""`make run` end to end: `python -m deploy.run` with its own datastores, services and gateway.

Runs the supervisor as a user would (in a temporary data dir, on free ports), logs in
through the gateway with the password it printed, checks that its datastores want the
passwords it generated and that /metrics stays internal, then stops it with SIGINT and checks
that it exits 0 and leaves no port or process behind.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg
import pytest
import redis

from harness.make_run import (
    ADMIN_EMAIL,
    make_run,
    port_free,
    port_variables,
    processes_mentioning,
    run_env,
)

pytestmark = pytest.mark.e2e


def _assert_datastores_want_passwords(pg_port: int, redis_port: int, passwords: list[str]) -> None:
    anonymous = redis.Redis(port=redis_port)
    with pytest.raises(redis.AuthenticationError):
        anonymous.set("agent-token:forged", '{"org_id": 1}')
    anonymous.close()
    for user, database in (("statusmonitor", "statusmonitor"), ("postgres", "postgres")):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(f"postgresql://{user}@127.0.0.1:{pg_port}/{database}").close()
    pg_password, redis_password = passwords
    assert redis.Redis(port=redis_port, password=redis_password).ping()
    dsn = f"postgresql://statusmonitor:{pg_password}@127.0.0.1:{pg_port}/statusmonitor"
    psycopg.connect(dsn).close()


def _assert_the_dashboard_signs_in_with_a_cookie(gateway: str, password: str) -> None:
    """The SPA's session through the gateway: the page (a deep link) with its policy, sign-in,
    refresh and reuse detection by cookie, logout."""
    page = {"Origin": gateway, "Sec-Fetch-Site": "same-origin"}
    form = {"username": ADMIN_EMAIL, "password": password}
    with httpx.Client(base_url=gateway, trust_env=False) as browser:
        deep_link = browser.get("/hosts/12")
        assert deep_link.status_code == 200, deep_link.text
        assert "script-src 'self';" in deep_link.headers["content-security-policy"]
        # nginx replaces a client's X-Forwarded-Proto: over plain http the cookie is not Secure.
        signed_in = browser.post(
            "/api/auth/token", data=form, headers={**page, "X-Forwarded-Proto": "https"}
        )
        assert signed_in.status_code == 200, signed_in.text
        cookie = signed_in.headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=strict", "Path=/api/auth/refresh"):
            assert attribute in cookie, cookie
        assert "secure" not in cookie.lower() and signed_in.json()["refresh_token"] is None
        first = browser.cookies["sm_refresh"]

        refreshed = browser.post("/api/auth/refresh", headers=page)
        assert refreshed.status_code == 200, refreshed.text
        access = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
        assert browser.get("/api/auth/users/me", headers=access).status_code == 200
        # The browser refreshes again; only then is the first cookie replayed (not a retry).
        assert browser.post("/api/auth/refresh", headers=page).status_code == 200
        browser.cookies.clear()
        replay = browser.post(
            "/api/auth/refresh", headers={**page, "Cookie": f"sm_refresh={first}"}
        )
        assert replay.status_code == 401 and "reuse" in replay.json()["detail"]

        signed_in = browser.post("/api/auth/token", data=form, headers=page)
        access = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        out = browser.post("/api/auth/logout", headers={**page, **access})
        assert out.status_code == 200 and not browser.cookies
        assert out.headers["x-content-type-options"] == "nosniff"


def test_make_run_serves_through_the_gateway_and_stops_cleanly(tmp_path: Path) -> None:
    env = run_env(tmp_path / "data")
    with make_run(env) as run:
        run.wait_until_up()
        assert f"Login       {ADMIN_EMAIL}" in run.output.text, run.output.text
        login = httpx.post(
            f"{run.gateway}/api/auth/token",
            data={"username": ADMIN_EMAIL, "password": run.admin_password()},
            trust_env=False,
        )
        assert login.status_code == 200, login.text
        _assert_the_dashboard_signs_in_with_a_cookie(run.gateway, run.admin_password())

        passwords = [run.secret("postgres_password"), run.secret("redis_password")]
        for name in ("postgres_password", "redis_password", "secret_key"):
            assert (run.data_dir / name).stat().st_mode & 0o077 == 0, name
        _assert_datastores_want_passwords(
            run.port("RUN_PG_PORT"), run.port("RUN_REDIS_PORT"), passwords
        )

        # Prometheus scrapes the service port; the gateway does not serve it.
        scraped = httpx.get(
            f"http://127.0.0.1:{run.port('RUN_AUTH_PORT')}/metrics", trust_env=False
        )
        assert scraped.status_code == 200 and "# HELP" in scraped.text
        outside = httpx.get(f"{run.gateway}/api/auth/metrics", trust_env=False)
        assert outside.status_code == 404 and "# HELP" not in outside.text

        assert run.stop() == 0, run.output.text

    assert not any(password in run.output.text for password in passwords)
    ports = [int(env[name]) for name in port_variables()]
    assert [port for port in ports if not port_free(port)] == [], run.output.text
    assert processes_mentioning(str(tmp_path)) == []
