"""Permission matrix rows for the materials app (merged into tests/test_permissions.py).

The catalogue, the order form and the status link are public (a tampered link gets a calm 404
page). The fulfilment, stock and figures pages are for national admins: 404 for everyone else
logged in, the login page for anonymous visitors. A contact point's material pages follow the
workspace: its staff, its district office and national admins.
"""

from materials import tokens
from tests.materials.factories import make_material, place_order
from tests.permissions_workspace import workspace


def everyone(status: int) -> dict[str, int]:
    from tests.factories import PERSONAS

    return dict.fromkeys(PERSONAS, status)


def admins_only() -> dict[str, int]:
    return {**everyone(404), "anonymous": 302, "national_admin": 200}


def _cp(o: dict) -> dict:
    return {"slug": o["contact_point"].slug}


ROWS: dict = {
    # Uploaded files, served by Django in development only (selvhjelp/urls.py).
    "media": (lambda o: {"path": "materials/covers/finnes-ikke.png"}, everyone(404)),
    "materials:material-list": (None, everyone(200)),
    "materials:material-detail": (lambda o: {"slug": o["material"].slug}, everyone(200)),
    "materials:order-create": (None, everyone(200)),
    "materials:order-status": (
        lambda o: {"token": tokens.order_status_token(o["material_order"])},
        everyone(200),
    ),
    "materials:fulfilment-list": (None, admins_only()),
    "materials:fulfilment-detail": (lambda o: {"pk": o["material_order"].pk}, admins_only()),
    "materials:stock-list": (None, admins_only()),
    "materials:stock-restock": (lambda o: {"pk": o["material"].pk}, admins_only()),
    "materials:figures": (None, admins_only()),
    "materials:figures-csv": (None, admins_only()),
    "workspace:material-orders": (_cp, workspace()),
    "workspace:material-order-create": (_cp, workspace()),
}

HIDDEN = [
    (
        "materials:material-detail",
        lambda o: {"slug": o["hidden_material"].slug},
        everyone(404),
    ),
    ("materials:order-status", lambda o: {"token": "tampered"}, everyone(404)),
    (
        "workspace:material-orders",
        lambda o: {"slug": o["ws_other_cp"].slug},
        {**workspace(404), "national_admin": 200, "anonymous": 302},
    ),
]


def extra_objects(objects: dict) -> dict:
    material = make_material("Matrisebrosjyre", stock=100)
    return {
        "material": material,
        "hidden_material": make_material("Skjult brosjyre", is_published=False),
        "material_order": place_order({material: 1}),
    }
