"""Daily jobs for interest lists (registered with selvhjelp.jobs.register_daily).

Each is safe to run twice: demand notices are one open row per contact point and topic, and
retention deletes only what is still there.
"""

from __future__ import annotations

from groups import services_workspace
from selvhjelp.jobs import register_daily


@register_daily("interest_retention")
def interest_retention() -> dict[str, int]:
    return services_workspace.retention_run()


@register_daily("demand_notices")
def demand_notices() -> int:
    return services_workspace.demand_check_all()
