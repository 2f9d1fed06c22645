"""Demo catalogue: ten titles with generated covers, stock levels (one low), and orders in every
status. Safe to run twice: titles are matched on their slug, and the orders are made once."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from materials import services
from materials.models import Material, Order
from selvhjelp.models import PostalCode

A, F = Material.Audience, Material.Format
# slug, title, audience, format, languages, stock, orderable, description
TITLES = [
    (
        "hva-er-en-selvhjelpsgruppe",
        "Hva er en selvhjelpsgruppe?",
        A.EVERYONE,
        F.POCKET,
        ["nb", "nn"],
        1200,
        True,
        "En liten brosjyre om hva det vil si å være med i en selvhjelpsgruppe.",
    ),
    (
        "for-parorende",
        "For deg som er pårørende",
        A.RELATIVES,
        F.POCKET,
        ["nb"],
        800,
        True,
        "Om å møte andre som står nær noen som strever.",
    ),
    (
        "etter-helsekurset",
        "Etter helsekurset",
        A.PARTICIPANTS,
        F.POCKET,
        ["nb"],
        35,
        True,
        "For deg som har vært på kurs og vil fortsette sammen med andre.",
    ),
    (
        "arbeidshefte",
        "Arbeidshefte for selvhjelpsgrupper",
        A.PARTICIPANTS,
        F.BOOKLET,
        ["nb"],
        300,
        True,
        "Et hefte med spørsmål og øvelser for gruppemøtene.",
    ),
    (
        "standardbrosjyre-kontaktpunkt",
        "Standardbrosjyre for kontaktpunkter",
        A.CONTACT_POINTS,
        F.BROCHURE,
        ["nb"],
        2000,
        True,
        "Brosjyren kontaktpunktene deler ut om tilbudet sitt.",
    ),
    (
        "kursmateriell-igangsettere",
        "Kursmateriell for igangsettere",
        A.FACILITATORS,
        F.BOOKLET,
        ["nb"],
        150,
        True,
        "Materiell til kurset for igangsettere.",
    ),
    (
        "plakat-moteplass",
        "Plakat: Finn en gruppe nær deg",
        A.EVERYONE,
        F.POSTER,
        ["nb"],
        400,
        True,
        "En plakat til oppslagstavla på legekontoret eller biblioteket.",
    ),
    (
        "til-fastlegen",
        "Til fastlegen",
        A.HEALTH_SERVICES,
        F.BROCHURE,
        ["nb"],
        600,
        True,
        "Kort om selvhjelpsgrupper, for fastleger og helsestasjoner.",
    ),
    (
        "self-help-groups-english",
        "What is a self-help group?",
        A.EVERYONE,
        F.POCKET,
        ["en"],
        250,
        True,
        "The pocket brochure in English.",
    ),
    (
        "iesvehkiid-joavku",
        "Iešveahkkejoavku",
        A.EVERYONE,
        F.POCKET,
        ["se"],
        0,
        False,
        "Brosjyren på nordsamisk, som PDF.",
    ),
]
COLOURS = [
    "#1d4e89",
    "#2a6f97",
    "#7b2d26",
    "#31572c",
    "#5a189a",
    "#9c6644",
    "#0b525b",
    "#6d597a",
    "#355070",
    "#3a5a40",
]


def _cover(title: str, colour: str) -> ContentFile:
    image = Image.new("RGB", (300, 420), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 280, 400], outline="white", width=3)
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 16:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for n, text in enumerate(lines):
        draw.text((40, 60 + n * 28), text, fill="white", font_size=24)
    draw.text((40, 360), "Selvhjelp", fill="white", font_size=18)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


def create_demo_materials(contact_point=None) -> tuple[int, int]:
    materials = []
    for n, (slug, title, audience, fmt, languages, stock, orderable, text) in enumerate(TITLES):
        material, created = Material.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "audience": audience,
                "format": fmt,
                "languages": languages,
                "is_orderable": orderable,
                "description": text,
                "sort_order": n,
                "low_stock_threshold": 50,
            },
        )
        if created:
            material.stock = stock
        if not material.cover:
            material.cover.save(f"{slug}.png", _cover(title, COLOURS[n]), save=False)
        material.save()
        materials.append(material)
    if Order.objects.filter(email__endswith="@demo.selvhjelp.example").exists():
        return len(materials), 0
    return len(materials), _demo_orders(materials, contact_point)


def _demo_orders(materials: list[Material], contact_point) -> int:
    dombaas = PostalCode.objects.select_related("municipality").get(code="2660")
    oslo = PostalCode.objects.select_related("municipality").get(code="0182")
    people = [
        ("Siri Hansen", "Storvegen 4", dombaas),
        ("Ola Nordmann", "Karl Johans gate 1", oslo),
        ("Legekontoret på Dombås", "Kongsvegen 2", dombaas),
        ("Deichman Grünerløkka", "Schous plass 10", oslo),
        ("Kari Larsen", "Bjerkeveien 7", oslo),
    ]
    orders = []
    for n, (name, street, postal) in enumerate(people):
        orders.append(
            services.order_place(
                quantities={materials[n % 4].pk: 3, materials[4 + n % 3].pk: 5},
                address=services.Address(
                    name=name,
                    street_address=street,
                    postal_code=postal,
                    email=f"demo{n}@demo.selvhjelp.example",
                ),
                staff=True,
                contact_point=contact_point if n == 0 else None,
            )
        )
    waiting = services.order_place(
        quantities={
            materials[0].pk: 10,
            materials[1].pk: 10,
            materials[3].pk: 10,
            materials[7].pk: 10,
        },
        address=services.Address(
            name="Stor bestilling",
            street_address="Torget 1",
            postal_code=dombaas,
            email="demo9@demo.selvhjelp.example",
        ),
    )
    received, packed, shipped, cancelled, _still_received = orders
    services.order_pack(order=packed, by=None)
    services.order_pack(order=shipped, by=None)
    services.order_ship(order=shipped, by=None)
    services.order_cancel(order=cancelled, by=None)
    return len(orders) + (1 if waiting else 0)
