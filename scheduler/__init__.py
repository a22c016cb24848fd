"""APScheduler jobs that keep market data fresh, run by exactly one leader at a time."""
