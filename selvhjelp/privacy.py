"""One person's data across the apps: export it, or erase it, by email address.

Each app that keeps personal data registers how to export and erase one person's rows (at import
time, in its AppConfig.ready(), like `selvhjelp.jobs.register_daily`), so selvhjelp needs to import
no app. Callers get every app's answer in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonData:
    name: str
    export: Callable[[str], list[dict[str, Any]]]  # email -> the person's rows, as plain dicts
    erase: Callable[[str], int]  # email -> how many rows were deleted


_registry: dict[str, PersonData] = {}


def register(
    name: str,
    *,
    export: Callable[[str], list[dict[str, Any]]],
    erase: Callable[[str], int],
) -> None:
    _registry[name] = PersonData(name=name, export=export, erase=erase)


def registered() -> list[PersonData]:
    return list(_registry.values())


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def export_person(email: str) -> dict[str, list[dict[str, Any]]]:
    email = normalise_email(email)
    return {entry.name: entry.export(email) for entry in registered()}


def erase_person(email: str) -> dict[str, int]:
    email = normalise_email(email)
    return {entry.name: entry.erase(email) for entry in registered()}
