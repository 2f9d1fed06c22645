"""Daily jobs for interest lists (registered with selvhjelp.jobs.register_daily)."""
