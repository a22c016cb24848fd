"""The AI trade analyst: provider port and failover, facts from our own numbers, read-only tools, the analyst loop."""
