"""PostgreSQL adapters: pool, migrations, repositories and COPY-based ingestion."""
