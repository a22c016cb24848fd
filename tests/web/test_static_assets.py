"""Static files: content-hashed names cached for a year (immutable), pages revalidated, unknown names 404."""

from __future__ import annotations

import hashlib
import re
from importlib.resources import files
from pathlib import Path

from tests.web.helpers import create_account, sign_in
from web.assets import IMMUTABLE, StaticAssets, panel_assets


def test_the_name_carries_a_hash_of_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "panel.css").write_text("body { color: red; }")
    (tmp_path / "panel.js").write_text("void 0;")
    before = StaticAssets(tmp_path)
    (tmp_path / "panel.css").write_text("body { color: blue; }")
    after = StaticAssets(tmp_path)
    digest = hashlib.sha256(b"body { color: red; }").hexdigest()[:8]
    assert before.url("panel.css") == f"/static/panel.{digest}.css"
    assert after.url("panel.css") != before.url("panel.css")  # new bytes, new URL: no cache serves the old file
    assert after.url("panel.js") == before.url("panel.js")


async def test_hashed_css_is_immutable_and_pages_link_to_it(make_light_client):
    client = await make_light_client()
    page = await client.get("/")
    html = await page.text()
    assert page.headers["Cache-Control"] == "no-cache"
    links = re.findall(r'href="(/static/[^"]+)"', html)
    assert links == [panel_assets().url("panel.css")] and re.fullmatch(r"/static/panel\.[0-9a-f]{8}\.css", links[0])
    css = await client.get(links[0])
    assert css.status == 200 and css.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert css.content_type == "text/css"
    assert await css.read() == (files("web") / "static" / "panel.css").read_bytes()


async def test_unhashed_and_unknown_names_are_not_found(make_light_client):
    client = await make_light_client()
    for path in ("/static/panel.css", "/static/panel.00000000.css", "/static/..%2Fapp.py", "/static/"):
        response = await client.get(path)
        assert response.status == 404, path
        assert response.headers["Cache-Control"] != IMMUTABLE, path


async def test_a_signed_in_page_is_private(client, pg_pool):
    await sign_in(client, await create_account(pg_pool))
    page = await client.get("/account")
    assert page.status == 200 and page.headers["Cache-Control"] == "private, no-cache"
