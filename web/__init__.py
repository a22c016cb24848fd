"""The aiohttp web service: health, readiness and metrics now; the panel and API come later."""
