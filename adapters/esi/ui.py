"""ESI's window routes through the one transport: open an item's market window in a linked character's client."""

from __future__ import annotations

from adapters.esi.errors import EsiClientError
from adapters.esi.transport import EsiTransport
from core.trading.windows import WindowRefused

MARKET_DETAILS = "/ui/openwindow/marketdetails/"


class EsiWindowRefused(EsiClientError, WindowRefused):
    """ESI refused the character's token: 401 (the login no longer works) or 403 (no esi-ui.open_window.v1)."""

    def __init__(self, refused: EsiClientError) -> None:
        EsiClientError.__init__(self, refused.status, refused.error, refused.url)
        self.expired = refused.status == 401


class EsiUi:
    """POST /ui/openwindow/marketdetails/ with a character's access token (esi-ui.open_window.v1)."""

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def open_market_details(self, type_id: int, access_token: str) -> None:
        """Open the item's market window in the token's character's client (ESI answers 204); EsiWindowRefused
        (an EsiClientError and a WindowRefused) 401 for a refused token, 403 without the scope."""
        try:
            await self._transport.request(
                "POST", MARKET_DETAILS, {"type_id": int(type_id)}, guarded=False, access_token=access_token
            )
        except EsiClientError as exc:
            if exc.status in (401, 403):
                raise EsiWindowRefused(exc) from None
            raise
