"""The audit log page (selvhjelp/views.audit_log): national admins read it, page by page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selvhjelp.audit import audit_log
from selvhjelp.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [1, 120])
def test_the_audit_log_costs_the_same_queries_however_long_it_is(
    persona_client, cp_user, contact_point, size, django_assert_max_num_queries
):
    for n in range(size):
        audit_log(
            actor=cp_user,
            action=AuditEntry.Action.VIEW,
            object_type="interest",
            object_id=n,
            contact_point_id=contact_point.pk,
        )
    client = persona_client("national_admin")
    last_page = f"{reverse('audit-log')}?side=3"

    for url in [reverse("audit-log"), last_page]:
        with django_assert_max_num_queries(6):
            response = client.get(url)
        assert response.status_code == 200, url
        assert str(cp_user) in response.content.decode(), url
