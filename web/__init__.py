"""The aiohttp web service: panel pages, sessions, JSON API + OpenAPI, /healthz, /readyz, /metrics (see web.app)."""
