"""A local ESI market fake (aiohttp) with deterministic Forge-scale books and switchable faults."""

from .catalog import DEFAULT_TYPE_IDS, load_type_ids_from_sde_zip
from .faults import Faults
from .pipeline import RecordedRequest
from .server import EsiFake
from .snapshot import PAGE_SIZE

__all__ = ["DEFAULT_TYPE_IDS", "PAGE_SIZE", "EsiFake", "Faults", "RecordedRequest", "load_type_ids_from_sde_zip"]
