"""Roles: admin pages and endpoints refuse users (403) and anonymous callers (401); admins manage roles."""

from __future__ import annotations

from tests.web.helpers import create_account, csrf_of, sign_in


async def test_user_gets_403_on_every_admin_route(client, pg_pool):
    user = await create_account(pg_pool)
    target = await create_account(pg_pool)
    await sign_in(client, user)
    page = await client.get("/admin")
    assert page.status == 403 and "Only admins" in await page.text()
    api = await client.get("/api/v1/admin/accounts")
    assert api.status == 403 and (await api.json())["error"]["code"] == "forbidden"
    token = await csrf_of(client)
    change = await client.put(
        f"/api/v1/admin/accounts/{user}/role", json={"role": "admin"}, headers={"X-CSRF-Token": token}
    )
    assert change.status == 403
    form = await client.post(f"/admin/accounts/{target}/role", data={"role": "admin", "csrf_token": token})
    assert form.status == 403
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", user) == "user"
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", target) == "user"


async def test_anonymous_admin_route_asks_to_sign_in(make_light_client):
    client = await make_light_client()
    page = await client.get("/admin")
    assert page.status == 401 and "Sign-in is not available" in await page.text()
    assert (await client.get("/api/v1/admin/accounts")).status == 401


async def test_admin_lists_accounts_and_changes_roles_but_not_the_last_admin(client, pg_pool):
    admin = await create_account(pg_pool, "admin")
    user = await create_account(pg_pool, identities=(("telegram", "9", "T"),))
    await pg_pool.execute("UPDATE accounts SET role = 'user' WHERE id <> $1", admin)  # the module shares a database
    await sign_in(client, admin)
    listing = await (await client.get("/api/v1/admin/accounts")).json()
    mine = [(a["id"], a["role"], a["identities"]) for a in listing["accounts"] if a["id"] in (admin, user)]
    assert mine == [(admin, "admin", 0), (user, "user", 1)]
    page = await client.get("/admin")
    assert page.status == 200 and f'action="/admin/accounts/{user}/role"' in await page.text()
    headers = {"X-CSRF-Token": await csrf_of(client)}
    last = await client.put(f"/api/v1/admin/accounts/{admin}/role", json={"role": "user"}, headers=headers)
    assert last.status == 409
    promoted = await client.put(f"/api/v1/admin/accounts/{user}/role", json={"role": "admin"}, headers=headers)
    assert await promoted.json() == {"id": user, "role": "admin"}
    form = await client.post(
        f"/admin/accounts/{user}/role",
        data={"role": "user", "csrf_token": headers["X-CSRF-Token"]},
        allow_redirects=False,
    )
    assert form.status == 303 and form.headers["Location"] == "/admin?changed=1"
    assert await pg_pool.fetchval("SELECT role FROM accounts WHERE id = $1", user) == "user"
    bad = await client.put(f"/api/v1/admin/accounts/{user}/role", json={"role": "root"}, headers=headers)
    assert bad.status == 422
    missing = await client.put("/api/v1/admin/accounts/999999/role", json={"role": "user"}, headers=headers)
    assert missing.status == 404


async def test_demotion_counts_at_once_despite_the_admin_access_token(client, pg_pool):
    admin = await create_account(pg_pool, "admin")
    await create_account(pg_pool, "admin")
    session = await sign_in(client, admin)
    assert session.is_admin
    await pg_pool.execute("UPDATE accounts SET role = 'user' WHERE id = $1", admin)
    assert (await client.get("/api/v1/admin/accounts")).status == 403
