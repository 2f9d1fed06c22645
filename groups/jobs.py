"""The daily jobs of groups (registered with selvhjelp.jobs.register_daily): interest
retention, demand notices, group confirmation reminders and hiding stale groups.

Each is safe to run twice: demand notices are one open row per contact point and topic,
retention deletes only what is still there, and reminders and hiding claim each group with a
conditional update.
"""

from __future__ import annotations

from groups.services import confirmation as confirmation_services
from groups.services import demand as demand_services
from groups.services import privacy as privacy_services
from selvhjelp.jobs import register_daily

register_daily("interest_retention")(privacy_services.retention_run)
register_daily("demand_notices")(demand_services.demand_check_all)
register_daily("group_confirmation_reminders")(confirmation_services.group_confirmation_reminders)
register_daily("group_hide_stale")(confirmation_services.group_hide_stale)
