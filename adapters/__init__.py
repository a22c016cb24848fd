"""The outside world behind core's ports: ESI, Postgres, Redis, static data, embedded servers."""
