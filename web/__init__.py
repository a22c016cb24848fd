"""The aiohttp web service: panel pages, sessions, JSON API + OpenAPI (see web.app); web.ops: operations listener."""
