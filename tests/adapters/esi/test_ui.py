"""EsiUi through the one ESI transport against the ESI fake: a market window opens for a token with
esi-ui.open_window.v1; a token without it, or an invalid one, is refused as ESI refuses it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from adapters.esi.errors import EsiClientError
from adapters.esi.settings import EsiSettings
from adapters.esi.transport import EsiTransport
from adapters.esi.ui import EsiUi
from core.accounts.sso import SCOPE_WALLET
from fakes.esi import EsiFake
from fakes.esi.characters import trust_sso
from fakes.esi.ui import OPEN_WINDOW_SCOPE, opened
from fakes.sso import SsoFake

pytestmark = pytest.mark.e2e
JOE, TRITANIUM = 90000001, 34


@pytest_asyncio.fixture
async def servers() -> AsyncIterator[tuple[EsiFake, SsoFake, EsiUi]]:
    async with EsiFake(regions={10000002: 5}) as esi, SsoFake() as sso:
        trust_sso(esi, sso)
        transport = EsiTransport(
            EsiSettings(esi.base_url, user_agent="evetrader-tests/1", compatibility_date="2020-01-01", max_attempts=1)
        )
        await transport.start()
        try:
            yield esi, sso, EsiUi(transport)
        finally:
            await transport.close()


async def test_the_market_window_opens_in_the_characters_client(servers) -> None:
    esi, sso, ui = servers
    await ui.open_market_details(TRITANIUM, sso.mint(JOE, scopes=[OPEN_WINDOW_SCOPE]))
    assert opened(esi) == [(JOE, TRITANIUM)]
    [request] = [r for r in esi.requests if r.path.startswith("/ui/")]
    assert (request.method, request.status, request.query) == ("POST", 204, {"type_id": "34"})


@pytest.mark.parametrize(("token", "status"), [("scope", 403), ("bogus", 401)])
async def test_a_token_without_the_scope_or_an_invalid_one_is_refused(servers, token: str, status: int) -> None:
    esi, sso, ui = servers
    bearer = sso.mint(JOE, scopes=[SCOPE_WALLET]) if token == "scope" else "not-a-jwt"
    with pytest.raises(EsiClientError) as caught:
        await ui.open_market_details(TRITANIUM, bearer)
    assert caught.value.status == status and opened(esi) == []
