"""The daily jobs of groups (registered with selvhjelp.jobs.register_daily): interest
retention, demand notices, group confirmation reminders and hiding stale groups.

Each is safe to run twice: demand notices are one open row per contact point and topic,
retention deletes only what is still there, and reminders and hiding claim each group with a
conditional update.
"""

from __future__ import annotations

from groups import services_workspace, workflow
from selvhjelp.jobs import register_daily

register_daily("interest_retention")(services_workspace.retention_run)
register_daily("demand_notices")(services_workspace.demand_check_all)
register_daily("group_confirmation_reminders")(workflow.group_confirmation_reminders)
register_daily("group_hide_stale")(workflow.group_hide_stale)
