"""Use cases: what the product does, as plain results that chat commands, the web API and the AI tools render."""
