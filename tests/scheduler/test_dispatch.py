"""Region dispatch: due regions are claimed once, refreshed, released; failures back off; nothing runs twice."""

from __future__ import annotations

import asyncio

from core.market.ingest import RefreshResult
from evetrader.app import App
from evetrader.bootstrap.market import region_refresher
from evetrader.bootstrap.scheduler import dispatcher_for
from fakes.esi import EsiFake

AMARR, DODIXIE = 10000043, 10000032


async def test_due_regions_are_claimed_once_then_refreshed_and_released(app: App) -> None:
    dispatcher = dispatcher_for(app)
    assert await dispatcher.claim_due([AMARR, DODIXIE]) == [AMARR, DODIXIE]
    assert await dispatcher.claim_due([AMARR, DODIXIE]) == []
    outcome = await dispatcher.execute(region_refresher(app), AMARR)
    assert outcome is not None and outcome.result is RefreshResult.UPDATED
    assert not await app.redis.exists(app.keys.ingest_claim(AMARR))
    # Amarr is fresh until its Expires: not due again; Dodixie still claimed by the first call
    assert await dispatcher.claim_due([AMARR, DODIXIE]) == []


async def test_failure_holds_the_claim_as_backoff(app: App, fake: EsiFake) -> None:
    dispatcher = dispatcher_for(app)
    fake.faults.server_errors(10, status=503)
    assert await dispatcher.claim_due([DODIXIE]) == [DODIXIE]
    assert await dispatcher.execute(region_refresher(app), DODIXIE) is None
    ttl = await app.redis.ttl(app.keys.ingest_claim(DODIXIE))
    assert 0 < ttl <= 30
    assert await dispatcher.claim_due([DODIXIE]) == []
    fake.faults.clear()


async def test_concurrent_executions_of_one_region_run_once(app: App) -> None:
    dispatcher = dispatcher_for(app)
    results = await asyncio.gather(*(dispatcher.execute(region_refresher(app), AMARR) for _ in range(3)))
    ran = [r for r in results if r is not None]
    assert len(ran) >= 1
    assert sum(1 for r in ran if r.result is RefreshResult.UPDATED) == 1
