"""Group approval and life cycle services, and their daily jobs."""
