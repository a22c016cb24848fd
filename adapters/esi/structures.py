"""Authorized ESI reads of player structures through the one transport: a structure's market (paged, one cache
generation, as a MarketSource for the snapshot refresher), its name and place, and structure search by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from adapters.esi.errors import EsiClientError, MalformedResponse
from adapters.esi.paging import fetch_consistent_pages
from adapters.esi.response import EsiResponse, PagedResult
from adapters.esi.transport import EsiTransport
from core.market.structures import StructureError, StructureInfo

DENIED = (
    "{who} cannot trade at structure {structure_id}: ESI answered '{error}'. The character needs docking access"
    " there (and structure market access granted at /link trading)."
)


def market_path(structure_id: int) -> str:
    """ESI's path of a structure's order book."""
    return f"/markets/structures/{int(structure_id)}/"


class EsiStructures:
    """GET /universe/structures/{id}/, /markets/structures/{id}/ and /characters/{id}/search/ with a token."""

    def __init__(self, transport: EsiTransport) -> None:
        self._transport = transport

    async def info(self, structure_id: int, token: str) -> StructureInfo:
        """The structure's name, system, owner and type; StructureError when unknown or not accessible."""
        path = f"/universe/structures/{int(structure_id)}/"
        try:
            response = await self._transport.request("GET", path, {}, guarded=False, access_token=token)
        except EsiClientError as exc:
            raise _refused(structure_id, exc) from None
        payload = response.json()
        try:
            return StructureInfo(
                structure_id,
                str(payload["name"]),
                int(payload["solar_system_id"]),
                int(payload["owner_id"]) if payload.get("owner_id") is not None else None,
                int(payload["type_id"]) if payload.get("type_id") is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            raise MalformedResponse(response.url, "not a structure object") from None

    async def search(self, character_id: int, text: str, token: str) -> list[int]:
        """Structure ids whose name contains `text`, among those the character may dock at."""
        params = {"categories": "structure", "search": text, "strict": "false"}
        path = f"/characters/{int(character_id)}/search/"
        try:
            response = await self._transport.request("GET", path, params, guarded=False, access_token=token)
        except EsiClientError as exc:
            if exc.status == 403:
                raise StructureError(
                    "searching structures by name needs esi-search.search_structures.v1 (/link trading), or give"
                    " the structure's id"
                ) from None
            raise
        payload = response.json()
        ids = payload.get("structure", []) if isinstance(payload, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise MalformedResponse(response.url, "not a search result")
        return sorted(ids)

    async def check_market(self, structure_id: int, token: str) -> None:
        """Read the market's first page: StructureError when the character has no market access there."""
        try:
            await self._transport.request(
                "GET", market_path(structure_id), {}, guarded=False, expect_json_array=True, access_token=token
            )
        except EsiClientError as exc:
            raise _refused(structure_id, exc) from None

    def market_source(self, structure_id: int, token: str) -> StructureBook:
        """The structure's market as the snapshot refresher's source, read with `token`."""
        return StructureBook(self._transport, structure_id, token)


class StructureBook:
    """One structure's orders as a core.market.ports.MarketSource: every page from one cache generation, authorized."""

    def __init__(self, transport: EsiTransport, structure_id: int, token: str) -> None:
        self._transport = transport
        self.structure_id = structure_id
        self._token = token

    def book(self, _market_id: int) -> tuple[str, dict[str, str | int]]:
        """The refresher's request of this book (core.market.ingest.BookRequest): its market path, no parameters."""
        return market_path(self.structure_id), {}

    async def get(
        self, path: str, params: Mapping[str, str | int] | None = None, *, etag: str | None = None
    ) -> EsiResponse:
        """One authorized GET of the structure's market path."""
        if path != market_path(self.structure_id):
            raise ValueError(f"this source reads structure {self.structure_id}'s market only, not {path}")
        return await self._transport.request("GET", path, params, etag=etag, guarded=False, access_token=self._token)

    async def fetch_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_page: Callable[[int, bytes], Awaitable[None]],
        *,
        etag: str | None = None,
    ) -> PagedResult:
        """Fetch the structure's pages (`path` must be its market path); 403/404 raise EsiClientError."""
        if path != market_path(self.structure_id):
            raise ValueError(f"this source reads structure {self.structure_id}'s market only, not {path}")
        return await fetch_consistent_pages(
            self._transport, path, dict(params), on_page, etag=etag, access_token=self._token
        )


def _refused(structure_id: int, exc: EsiClientError) -> Exception:
    """A user-facing StructureError for 403/404; other client errors as they are."""
    if exc.status in (401, 403, 404):
        return StructureError(DENIED.format(who="Your character", structure_id=structure_id, error=exc.error))
    return exc
