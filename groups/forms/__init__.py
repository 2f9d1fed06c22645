"""Forms of the groups app, one module per sub-domain
(search, interests, privacy, planning, lifecycle, approval)."""
