"""The per-person registry collects every registered app's export and erasure."""

from __future__ import annotations

import pytest

from selvhjelp import privacy


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(privacy, "_registry", {})


def test_export_and_erase_ask_every_registered_app_with_the_normalised_address(empty_registry):
    seen = []
    privacy.register(
        "first",
        export=lambda email: [{"email": email}],
        erase=lambda email: seen.append(("first", email)) or 2,
    )
    privacy.register("second", export=lambda email: [], erase=lambda email: 0)

    assert privacy.export_person(" Kari@Example.NO ") == {
        "first": [{"email": "kari@example.no"}],
        "second": [],
    }
    assert privacy.erase_person("Kari@Example.no") == {"first": 2, "second": 0}
    assert seen == [("first", "kari@example.no")]


def test_registering_twice_under_one_name_keeps_one_entry(empty_registry):
    privacy.register("app", export=lambda email: [], erase=lambda email: 0)
    privacy.register("app", export=lambda email: [{"x": 1}], erase=lambda email: 1)

    assert [entry.name for entry in privacy.registered()] == ["app"]
    assert privacy.export_person("a@b.no") == {"app": [{"x": 1}]}
