"""Market domain: hubs, order pages, quotes, snapshots and the ingestion use case."""
