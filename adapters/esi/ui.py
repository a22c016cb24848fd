"""ESI's window routes through the one transport: open an item's market window in a linked character's client."""

from __future__ import annotations

from adapters.esi.transport import EsiTransport

MARKET_DETAILS = "/ui/openwindow/marketdetails/"


class EsiUi:
    """POST /ui/openwindow/marketdetails/ with a character's access token (esi-ui.open_window.v1)."""

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def open_market_details(self, type_id: int, access_token: str) -> None:
        """Open the item's market window in the token's character's client (ESI answers 204); EsiClientError 401
        for a refused token, 403 without the scope."""
        await self._transport.request(
            "POST", MARKET_DETAILS, {"type_id": int(type_id)}, guarded=False, access_token=access_token
        )
